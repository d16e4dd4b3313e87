import { installedScanner } from "@aigov/scanner-registry";
import { scannerInThreads } from "./scanner-thread.ts";
import type { ScannerJob } from "./sweep-run.ts";
import type { ConfiguredScanner } from "./sweep-targets.ts";

export interface ScannerJobs {
  readonly jobs: readonly ScannerJob[];
  /** Closes the scanners' pooled connections (and their threads). */
  close(): void;
}

/**
 * One job per configured cloud. Each scanner's SDK loads here: a sweep of one cloud does not pay for the others'.
 * An installed scanner with its cloud's standard credentials runs in a thread of its own (scanner-thread.ts); one
 * given options (the demo's simulator credentials are functions, which cannot cross threads) or registered by a test
 * runs in this thread.
 */
export async function scannerJobs(configured: readonly ConfiguredScanner[]): Promise<ScannerJobs> {
  const created = await Promise.allSettled(
    configured.map(async ({ plugin, config, options }) => {
      const ownThread = options === undefined && (await installedScanner(plugin.provider)) === plugin;
      return {
        scanner: ownThread
          ? await scannerInThreads(plugin.provider, config, Number(process.env.AIGOV_SCANNER_THREADS ?? 1))
          : await plugin.create(options),
        config,
      };
    }),
  );
  const jobs = created.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []));
  const close = () => {
    for (const { scanner } of jobs) scanner.close?.();
  };
  const failed = created.find((result) => result.status === "rejected");
  if (failed !== undefined) {
    // The scanners that did start hold connections (and threads) that would keep the process alive.
    close();
    throw failed.reason;
  }
  return { jobs, close };
}
