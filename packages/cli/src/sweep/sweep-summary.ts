import {
  type CoverageGap,
  type Finding,
  isUnknown,
  type Provider,
  type ScanNotice,
  SEVERITIES,
  type Severity,
  type Subject,
} from "@aigov/core";
import type { RunChanges } from "@aigov/store";
import { compareText } from "../text-order.ts";

/** One line of the AI inventory: how many assets of a kind serve a model in one cloud. */
export interface InventoryLine {
  readonly provider: Provider;
  readonly kind: string;
  /** The model, or "-" for assets that name none. */
  readonly model: string;
  readonly count: number;
}

export type TargetCounts = { total: number; complete: number; partial: number; failed: number };

/** The numbers a sweep ends with (the `summary` of `--format json`). */
export interface SweepSummary {
  /** complete: every target fully covered; partial: some gaps; failed: nothing could be swept. */
  readonly status: "complete" | "partial" | "failed";
  readonly targets: TargetCounts;
  readonly inventory: readonly InventoryLine[];
  readonly assets: number;
  readonly keys: number;
  /** AI API calls read from logs (CloudTrail …). */
  readonly apiCallsObserved: number;
  readonly findings: {
    /** Findings seen in this run (not the resolved ones). */
    readonly total: number;
    readonly bySeverity: Readonly<Record<Severity, number>>;
    /** At or above the threshold: these make the exit code 1. */
    readonly blocking: number;
    readonly threshold: Severity;
    readonly unknown: number;
    readonly new: number;
    readonly reopened: number;
    readonly resolved: number;
    readonly waived: number;
  };
  readonly gaps: number;
  /** What the scanners' configuration means for this run: warnings, and what was deliberately not read. */
  readonly notices: readonly ScanNotice[];
  /** Requests the scanners sent, and how many of them were retries. */
  readonly apiCalls: number;
  readonly retries: number;
  /**
   * Seconds the requests spent in flight, summed: per call, how long the cloud took to answer, and the sweep's own
   * thread to read the answer (a sweep that keeps the cloud waiting shows calls far slower than the cloud answers);
   * per second of the sweep, how many were in flight on average. 0 when the scanners do not time their requests.
   */
  readonly requestSeconds: number;
  /** The most requests in flight at once: a scanner's concurrency bound (AWS: 128), when reached. */
  readonly peakRequestsInFlight: number;
  readonly durationMs: number;
}

/** Counts as subjects stream by; its size depends on the vocabulary (clouds × kinds × models), not on the estate. */
export class SummaryCounter {
  readonly #inventory = new Map<string, InventoryLine & { count: number }>();
  readonly targets: TargetCounts = { total: 0, complete: 0, partial: 0, failed: 0 };
  readonly bySeverity: Record<Severity, number> = { info: 0, low: 0, medium: 0, high: 0, critical: 0 };
  assets = 0;
  keys = 0;
  apiCallsObserved = 0;
  findings = 0;
  blocking = 0;
  unknown = 0;
  waived = 0;
  gaps = 0;

  subject(subject: Subject): void {
    if (subject.subject === "api-call") {
      this.apiCallsObserved += 1;
      return;
    }
    if (subject.subject === "key") this.keys += 1;
    else this.assets += 1;
    const models =
      subject.subject === "asset" &&
      subject.models !== undefined &&
      !isUnknown(subject.models) &&
      subject.models.length > 0
        ? subject.models
        : ["-"];
    for (const model of models) {
      const key = `${subject.provider}\u0000${subject.kind}\u0000${model}`;
      const line = this.#inventory.get(key);
      if (line === undefined)
        this.#inventory.set(key, { provider: subject.provider, kind: subject.kind, model, count: 1 });
      else line.count += 1;
    }
  }

  finding(finding: Finding, blocking: boolean): void {
    this.findings += 1;
    this.bySeverity[finding.severity] += 1;
    if (blocking) this.blocking += 1;
    if (finding.status === "unknown") this.unknown += 1;
    if (finding.status === "waived") this.waived += 1;
  }

  gap(_gap: CoverageGap): void {
    this.gaps += 1;
  }

  summary(extra: {
    status: SweepSummary["status"];
    changes: RunChanges;
    threshold: Severity;
    apiCalls: number;
    retries: number;
    requestSeconds: number;
    peakRequestsInFlight: number;
    durationMs: number;
    notices: readonly ScanNotice[];
  }): SweepSummary {
    const inventory = [...this.#inventory.values()].sort(
      (a, b) =>
        compareText(a.provider, b.provider) ||
        compareText(a.kind, b.kind) ||
        b.count - a.count ||
        compareText(a.model, b.model),
    );
    return {
      status: extra.status,
      targets: { ...this.targets },
      inventory,
      assets: this.assets,
      keys: this.keys,
      apiCallsObserved: this.apiCallsObserved,
      findings: {
        total: this.findings,
        bySeverity: Object.fromEntries(SEVERITIES.map((s) => [s, this.bySeverity[s]])) as Record<Severity, number>,
        blocking: this.blocking,
        threshold: extra.threshold,
        unknown: this.unknown,
        new: extra.changes.new,
        reopened: extra.changes.reopened,
        resolved: extra.changes.resolved,
        waived: this.waived,
      },
      gaps: this.gaps,
      notices: extra.notices,
      apiCalls: extra.apiCalls,
      retries: extra.retries,
      requestSeconds: extra.requestSeconds,
      peakRequestsInFlight: extra.peakRequestsInFlight,
      durationMs: extra.durationMs,
    };
  }
}
