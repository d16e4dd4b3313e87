import type { ScannerJob } from "./sweep-run.ts";
import type { SweepTargets } from "./sweep-targets.ts";

/** Credentials handed to scanners instead of their cloud's standard chain (the demo's simulator). */
export interface ScannerCredentials {
  readonly aws?: { readonly accessKeyId: string; readonly secretAccessKey: string; readonly sessionToken?: string };
}

export interface ScannerJobs {
  readonly jobs: readonly ScannerJob[];
  /** Closes the scanners' pooled connections. */
  close(): void;
}

/** One job per configured cloud. Scanners load lazily: a sweep of one cloud does not pay for the others' SDKs. */
export async function scannerJobs(targets: SweepTargets, credentials: ScannerCredentials = {}): Promise<ScannerJobs> {
  const jobs: ScannerJob[] = [];
  const closers: (() => void)[] = [];
  if (targets.aws !== undefined) {
    const { createAwsScanner } = await import("@aigov/scanner-aws");
    const aws = credentials.aws;
    const scanner = createAwsScanner(aws === undefined ? {} : { credentials: async () => aws });
    jobs.push({ scanner, config: targets.aws });
    closers.push(() => scanner.close());
  }
  return {
    jobs,
    close: () => {
      for (const close of closers) close();
    },
  };
}
