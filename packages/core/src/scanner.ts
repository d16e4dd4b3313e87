import type { Provider, Subject } from "./model.ts";

/**
 * One unit of sweep work: an AWS account × region, an Azure subscription, a GCP project.
 * `key` is stable and unique (`aws:123456789012:eu-west-1`), so `--shard i/N` can split targets deterministically.
 */
export interface ScanTarget {
  readonly provider: Provider;
  readonly key: string;
  readonly account: string;
  /** Absent for global services or a whole subscription/project. */
  readonly region?: string;
  /** Human label: account name, OU path … */
  readonly label: string;
  /** Provider-specific data the collector needs (assumed-role credentials are NOT kept here). */
  readonly meta: Readonly<Record<string, unknown>>;
}

/** Something a sweep could not see: reported, never silently dropped. */
export interface CoverageGap {
  readonly provider: Provider;
  readonly account: string;
  readonly region?: string;
  /** `sagemaker`, `bedrock`, `sts`, `organizations` … */
  readonly service: string;
  readonly operation?: string;
  /** Stable error class: AccessDenied, Throttling, Timeout, AssumeRoleFailed, RegionDisabled, ServerError … */
  readonly code: string;
  readonly message: string;
}

/**
 * Something about a sweep as configured that its user must know, said once per run (stderr and the summary):
 * a risk in the set-up (`kind: "warning"`), or what the configuration leaves unread on purpose (`"coverage"`), so
 * an absent finding is not taken for a clean result.
 */
export interface ScanNotice {
  readonly provider: Provider;
  readonly kind: "warning" | "coverage";
  /** Stable, for scripts: `admin-role`, `ssm-parameter-values-not-read` … */
  readonly code: string;
  readonly message: string;
  /** What to do about it. */
  readonly hint: string;
}

/** What a collector yields as it pages: subjects stream into evaluation and the store. */
export type ScanItem =
  | { readonly type: "subject"; readonly subject: Subject }
  | { readonly type: "gap"; readonly gap: CoverageGap };

export interface ScanStats {
  apiCalls: number;
  retries: number;
}

/**
 * A cloud scanner plugs into the sweep through this one shape: targets → collect (normalized) → coverage.
 * Both steps stream; nothing holds a whole organization in memory.
 */
export interface Scanner<Config = unknown> {
  readonly provider: Provider;
  /** Enumerate targets (accounts × regions …). Failures to list become gaps, not exceptions. */
  targets(
    config: Config,
    signal?: AbortSignal,
  ): AsyncIterable<ScanTarget | { readonly type: "gap"; readonly gap: CoverageGap }>;
  /** Collect the AI subjects of one target. Per-service failures become gaps; the iteration never throws for them. */
  collect(target: ScanTarget, config: Config, signal?: AbortSignal): AsyncIterable<ScanItem>;
  /** Counters since the scanner was created (API calls made, retries). */
  stats(): ScanStats;
  /** What the user must know about this configuration; asked once, after the sweep collected (counts may be in it). */
  notices?(config: Config): readonly ScanNotice[];
}
