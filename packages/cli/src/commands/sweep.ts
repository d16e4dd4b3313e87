import { loadPolicy } from "@aigov/core";
import { flagUsage } from "@aigov/scanner-kit";
import { scannerPlugins } from "@aigov/scanner-registry";
import type { ParseArgsOptionsConfig } from "node:util";
import type { Command } from "../command.ts";
import { executeSweep, SWEEP_OPTIONS } from "../sweep/sweep-execution.ts";
import { sweepTargets } from "../sweep/sweep-targets.ts";

export const command: Command = {
  name: "sweep",
  summary: "scan the configured clouds for AI, judge it, and record it in the store",
  usage: `aigov sweep [--policy aigov.yaml] [--store FILE] [--shard i/N] [--concurrency N] [--fail-on SEVERITY] [--fail-on-gaps]
            [--keep-runs N] [--keep-days N] [--progress-interval SECONDS] [--no-export] [--format text|json] [--output FILE]
            [scanner flags]

Targets come from the policy's targets: section (see docs/operations/README.md) or the scanner flags below, which
override it for one run.
--shard i/N sweeps the targets whose key hashes to i of N (0-based), so N runners cover everything once.
After the run, the findings go to every sink under the policy's sinks: (what changed since the last export), unless --no-export.
Exit codes: 0 no finding at or above the threshold, 1 some, 2 nothing could be swept (or gaps with --fail-on-gaps).`,
  options: SWEEP_OPTIONS,
  async moreOptions() {
    const plugins = await scannerPlugins();
    const options: ParseArgsOptionsConfig = {};
    for (const plugin of plugins)
      for (const [name, spec] of Object.entries(plugin.flags))
        options[name] = { type: spec.type, ...(spec.multiple === true ? { multiple: true } : {}) };
    return { options, usage: `Scanner flags:\n${flagUsage(plugins)}` };
  },
  async run(context) {
    const policy = await loadPolicy(context.stringOption("policy"), context.io.cwd);
    const targets = sweepTargets(policy, await scannerPlugins(), { flags: context.options }, context.io.cwd);
    const store = {
      store: context.stringOption("store"),
      keepRuns: context.stringOption("keep-runs"),
      keepDays: context.stringOption("keep-days"),
    };
    return executeSweep(context, { policy, targets, store });
  },
};
