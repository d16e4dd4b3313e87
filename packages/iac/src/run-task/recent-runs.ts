/** How long a judged run is remembered: far past the 10-minute window in which its token can call back. */
export const DEFAULT_REMEMBER_RUNS_MS = 24 * 60 * 60 * 1000;
/** How many judged runs are remembered at most (a few MB); past it the oldest is forgotten first. */
export const DEFAULT_MAX_REMEMBERED_RUNS = 50_000;

/**
 * The runs this server has accepted, by run id and stage (HCP Terraform calls a task once per stage of a run), so a
 * request sent again — HCP Terraform retrying, or someone replaying a signed request — is not judged twice. Bounded
 * in size and time: entries are kept in the order they were accepted, so the oldest are dropped from the front.
 */
export class RecentRuns {
  readonly #acceptedAt = new Map<string, number>();
  readonly #maxEntries: number;
  readonly #ttlMs: number;
  readonly #now: () => number;

  constructor(options: { maxEntries?: number; ttlMs?: number; now?: () => number } = {}) {
    this.#maxEntries = Math.max(1, options.maxEntries ?? DEFAULT_MAX_REMEMBERED_RUNS);
    this.#ttlMs = options.ttlMs ?? DEFAULT_REMEMBER_RUNS_MS;
    this.#now = options.now ?? Date.now;
  }

  /** Whether this run's stage was accepted within the remembered window. */
  has(runId: string, stage: string): boolean {
    this.#forgetExpired();
    return this.#acceptedAt.has(key(runId, stage));
  }

  /** Remembers an accepted run's stage. */
  remember(runId: string, stage: string): void {
    this.#forgetExpired();
    this.#acceptedAt.set(key(runId, stage), this.#now());
    for (const oldest of this.#acceptedAt.keys()) {
      if (this.#acceptedAt.size <= this.#maxEntries) break;
      this.#acceptedAt.delete(oldest);
    }
  }

  #forgetExpired(): void {
    const cutoff = this.#now() - this.#ttlMs;
    for (const [entry, at] of this.#acceptedAt) {
      if (at > cutoff) break;
      this.#acceptedAt.delete(entry);
    }
  }
}

// A run id never holds NUL, so the pair cannot be confused with another.
const key = (runId: string, stage: string): string => `${runId}\u0000${stage}`;
