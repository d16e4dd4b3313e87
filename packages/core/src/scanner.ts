import type { Provider, Subject } from "./model.ts";

/**
 * One unit of sweep work: an AWS account × region, an Azure subscription, a GCP project.
 * `key` is stable and unique (`aws:123456789012:eu-west-1`), so `--shard i/N` can split targets deterministically.
 * `Meta` is what the scanner that listed the target needs to collect it; the sweep hands it back untouched.
 */
export interface ScanTarget<Meta = Readonly<Record<string, unknown>>> {
  readonly provider: Provider;
  readonly key: string;
  readonly account: string;
  /** Absent for global services or a whole subscription/project. */
  readonly region?: string;
  /** Human label: account name, OU path … */
  readonly label: string;
  /** Provider-specific data the collector needs (assumed-role credentials are NOT kept here). */
  readonly meta: Meta;
}

/**
 * The stable classes of what a sweep could not see, shared by every cloud so reports, `--fail-on-gaps` and SIEMs
 * read one vocabulary. `AssumeRoleFailed`: the identity a target is read with could not be taken on (AWS
 * AssumeRole, GCP service-account impersonation). `RegionDisabled`: the target's region (or location) is not
 * enabled. `NotAvailable`: the service or operation does not exist there. `Unreadable`: a value is encrypted with
 * a key the scanner cannot use. `Truncated`: a listing stopped at its configured cap. `NoCredentials`: the sweep's
 * own identity was found nowhere the cloud's credential chain looks (its message says where it looked and how to
 * give one). `ScannerError`: the scanner broke its promise not to throw (set by the sweep).
 */
export const GAP_CODES = [
  "AccessDenied",
  "Throttling",
  "Timeout",
  "ServerError",
  "AssumeRoleFailed",
  "RegionDisabled",
  "NotAvailable",
  "Unreadable",
  "Truncated",
  "NoCredentials",
  "Error",
  "ScannerError",
] as const;
export type GapCode = (typeof GAP_CODES)[number];

/** Something a sweep could not see: reported, never silently dropped. */
export interface CoverageGap<Code extends string = GapCode> {
  readonly provider: Provider;
  readonly account: string;
  readonly region?: string;
  /** `sagemaker`, `bedrock`, `sts`, `organizations` … */
  readonly service: string;
  readonly operation?: string;
  readonly code: Code;
  readonly message: string;
}

/** A gap as the history keeps it: written by this or an older release, whose codes it keeps as they were. */
export type RecordedGap = CoverageGap<string>;

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

/** A gap met while listing targets or collecting one. */
export interface GapItem {
  readonly type: "gap";
  readonly gap: CoverageGap;
}

/** What a collector yields as it pages: subjects stream into evaluation and the store. */
export type ScanItem = { readonly type: "subject"; readonly subject: Subject } | GapItem;

/** What a target listing yields: targets, and gaps for what could not be listed or reached. */
export type TargetItem<Meta = Readonly<Record<string, unknown>>> = ScanTarget<Meta> | GapItem;

export interface ScanStats {
  apiCalls: number;
  retries: number;
  /**
   * Seconds the requests spent in flight (sent to answer read), summed over requests: divided by the calls, how long
   * a call took; by the sweep's duration, how many were in flight on average.
   */
  requestSeconds?: number;
  /** The most requests that were in flight at once. */
  peakInFlight?: number;
}

/**
 * A cloud scanner plugs into the sweep through this one shape: targets → collect (normalized) → coverage.
 * Both steps stream; nothing holds a whole organization in memory. `collect` is only ever given a target this
 * scanner's `targets` listed, so it reads `target.meta` as its own `Meta`.
 */
export interface Scanner<Config = unknown, Meta = Readonly<Record<string, unknown>>> {
  readonly provider: Provider;
  /** Enumerate targets (accounts × regions …). Failures to list become gaps, not exceptions. */
  targets(config: Config, signal?: AbortSignal): AsyncIterable<TargetItem<Meta>>;
  /** Collect the AI subjects of one target. Per-service failures become gaps; the iteration never throws for them. */
  collect(target: ScanTarget<Meta>, config: Config, signal?: AbortSignal): AsyncIterable<ScanItem>;
  /** Counters since the scanner was created (API calls made, retries). */
  stats(): ScanStats;
  /** What the user must know about this configuration; asked once, after the sweep collected (counts may be in it). */
  notices?(config: Config): readonly ScanNotice[];
  /** Releases pooled connections; the scanner is not used afterwards. */
  close?(): void;
  /** The requests a sweep with `config` keeps in flight at most, when the scanner bounds them itself. */
  concurrency?(config: Config): number;
  /**
   * The targets a sweep with `config` should collect at once, when the scanner knows: each target holds its clients
   * and what it found until it is done, so memory follows targets in flight, while a target keeps several requests
   * in flight of its own.
   */
  targetsInFlight?(config: Config): number;
  /**
   * The sweep will collect `target`, after the targets queued before it: a scanner may start the target's slow,
   * rate-limited reads now, so that they do not hold one of the few targets in flight when its turn comes. A sweep
   * calls it only for targets it collects (not for another shard's). Once `signal` aborts, the scanner starts no
   * more such reads, and those running ask for no further page (a request already waiting for its rate limit goes).
   */
  queued?(target: ScanTarget<Meta>, config: Config, signal?: AbortSignal): void;
}
