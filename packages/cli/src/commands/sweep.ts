import type { FlagSpec } from "@aigov/scanner-kit";
import { scannerPlugins } from "@aigov/scanner-registry";
import type { Command } from "../command.ts";
import { executeSweep, SWEEP_OPTIONS } from "../sweep/sweep-execution.ts";
import { sweepTargets } from "../sweep/sweep-targets.ts";
import { loadCheckedPolicy } from "../policy-load.ts";

export const command: Command = {
  name: "sweep",
  summary: "scan the configured clouds for AI, judge it, and record it in the store",
  usage: "aigov sweep [--policy aigov.yaml] [--store FILE] [--shard i/N] [options] [scanner flags]",
  description: `Targets come from the policy's targets: section (see docs/operations/README.md) or the scanner flags
below, which override it for one run. The credentials are each cloud's standard chain (environment, profile,
workload identity). --shard i/N sweeps the targets whose key hashes to i of N, so N runners cover everything once.
After the run, the findings go to every sink under the policy's sinks: (what changed since the last export),
unless --no-export.`,
  options: SWEEP_OPTIONS,
  async moreOptions() {
    const options: Record<string, FlagSpec> = {};
    for (const plugin of await scannerPlugins()) Object.assign(options, plugin.flags);
    return { title: "Scanner flags", options };
  },
  examples: [
    "aigov sweep --policy aigov.yaml",
    "aigov sweep --aws-region eu-west-1 --format json -o sweep.json",
    "aigov sweep --shard 0/4 --store /data/aigov.db      # one of four runners",
  ],
  exitCodes: [
    [0, "no finding at or above the threshold"],
    [1, "findings at or above the threshold (--fail-on)"],
    [2, "nothing could be swept, a sink rejected the findings, or gaps with --fail-on-gaps"],
  ],
  async run(context) {
    const policy = await loadCheckedPolicy(context.stringOption("policy"), context.io.cwd);
    const targets = sweepTargets(policy, await scannerPlugins(), { flags: context.options }, context.io.cwd);
    const store = {
      store: context.stringOption("store"),
      keepRuns: context.stringOption("keep-runs"),
      keepDays: context.stringOption("keep-days"),
    };
    return executeSweep(context, { policy, targets, store });
  },
};
