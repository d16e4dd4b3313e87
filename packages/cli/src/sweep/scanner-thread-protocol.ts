import type { ScanItem, ScanNotice, ScanStats, ScanTarget, TargetItem } from "@aigov/core";

// What the sweep's thread (scanner-thread.ts) and a scanner's own thread (scanner-thread-worker.ts) say to each other.

/** What a scanner thread starts with: which installed scanner, and the one configuration it sweeps. */
export interface ScannerThreadData {
  readonly provider: string;
  readonly config: unknown;
}

/** Asks of the sweep's thread. `id` names the stream of a `targets` or `collect` ask; each has its own. */
export type ScannerThreadAsk =
  | { readonly kind: "targets"; readonly id: number }
  | { readonly kind: "collect"; readonly id: number; readonly target: ScanTarget<unknown> }
  | { readonly kind: "queued"; readonly target: ScanTarget<unknown> }
  | { readonly kind: "abort"; readonly id: number };

/** An error as it crosses threads: an AigovError keeps its code and hint. */
export interface ThreadError {
  readonly message: string;
  readonly code?: string;
  readonly hint?: string;
}

/** What the scanner knows of itself at the moment: the sweep's progress and summary read it synchronously. */
export interface ScannerState {
  readonly stats: ScanStats;
  readonly notices: readonly ScanNotice[] | undefined;
}

/** Answers of a scanner thread. Items of one stream come in order, in batches, then its end or its error. */
export type ScannerThreadAnswer =
  | {
      readonly kind: "ready";
      readonly concurrency: number | undefined;
      readonly targetsInFlight: number | undefined;
      readonly state: ScannerState;
    }
  | { readonly kind: "failed"; readonly error: ThreadError }
  | { readonly kind: "items"; readonly id: number; readonly items: readonly (ScanItem | TargetItem<unknown>)[] }
  | { readonly kind: "end"; readonly id: number; readonly state: ScannerState }
  | { readonly kind: "error"; readonly id: number; readonly error: ThreadError; readonly state: ScannerState };
