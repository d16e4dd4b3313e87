import type { ScannerJob } from "./sweep-run.ts";
import type { ConfiguredScanner } from "./sweep-targets.ts";

export interface ScannerJobs {
  readonly jobs: readonly ScannerJob[];
  /** Closes the scanners' pooled connections. */
  close(): void;
}

/** One job per configured cloud. Each scanner's SDK loads here: a sweep of one cloud does not pay for the others'. */
export async function scannerJobs(configured: readonly ConfiguredScanner[]): Promise<ScannerJobs> {
  const jobs = await Promise.all(
    configured.map(async ({ plugin, config, options }) => ({ scanner: await plugin.create(options), config })),
  );
  return {
    jobs,
    close: () => {
      for (const { scanner } of jobs) scanner.close?.();
    },
  };
}
