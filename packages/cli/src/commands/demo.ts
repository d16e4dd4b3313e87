import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadPolicy } from "@aigov/core";
import { scannerPlugins } from "@aigov/scanner-registry";
import { DEMO_POLICY, DEMO_WORLD } from "../assets.ts";
import type { Command } from "../command.ts";
import { anchorWorldClock } from "../sweep/demo-world.ts";
import { executeSweep, SWEEP_OPTIONS } from "../sweep/sweep-execution.ts";
import { sweepTargets } from "../sweep/sweep-targets.ts";

export const command: Command = {
  name: "demo",
  summary: "sweep a built-in simulated organization (no cloud account needed)",
  usage: `aigov demo [--store FILE] [--world FILE] [--policy FILE] [--strict] [sweep options] [--format text|json]

Starts the cloud simulator on 127.0.0.1 with a small organization (packages/cli/assets/demo-world.yaml: five AWS
accounts, governed AI next to shadow AI) and sweeps it exactly as 'aigov sweep' sweeps a real organization:
same scanners, rules, store and output; only the endpoints and the credentials differ (each scanner's demo hook).
The history goes to a temporary store unless --store is given (then 'aigov report --store FILE' shows it).
The demo organization has blocking findings by design: the sweep's result says "exit 1", but the demo exits 0
when it ran (2 when it could not). --strict exits as the sweep would (1), for scripts that test the pipeline.`,
  options: { ...SWEEP_OPTIONS, world: { type: "string" }, strict: { type: "boolean" } },
  async run(context) {
    const { startCloudSim, loadWorld } = await import("@aigov/cloud-sim");
    const policy = await loadPolicy(context.stringOption("policy") ?? DEMO_POLICY, context.io.cwd);
    const world = anchorWorldClock(await loadWorld(context.stringOption("world") ?? DEMO_WORLD), new Date());
    const sim = await startCloudSim({ world });
    const storeFlag = context.stringOption("store");
    const temporary = storeFlag === undefined ? mkdtempSync(join(tmpdir(), "aigov-demo-")) : undefined;
    try {
      const accounts = world.aws?.accounts.length ?? 0;
      context.message(`aigov demo: simulated organization with ${accounts} AWS accounts at ${sim.url}`);
      // Each cloud's scanner points itself at the simulator (endpoint, credentials) through its plugin's demo hook.
      const targets = sweepTargets(policy, await scannerPlugins(), { demo: sim }, context.io.cwd);
      const store = {
        store: temporary === undefined ? storeFlag : join(temporary, "aigov.db"),
        keepRuns: context.stringOption("keep-runs"),
        keepDays: context.stringOption("keep-days"),
      };
      const code = await executeSweep(context, { policy, targets, store });
      if (temporary !== undefined)
        context.message(
          "aigov demo: the history was kept in a temporary store; run with --store FILE to keep it, then 'aigov report --store FILE'",
        );
      if (code === 1 && context.options.strict !== true) {
        // A demo that found the shadow AI it plants has worked; a script that wants the sweep's verdict asks for it.
        context.message(
          "aigov demo: done. A real sweep exits 1 on these findings; the demo exits 0 (use --strict for the sweep's exit code)",
        );
        return 0;
      }
      return code;
    } finally {
      await sim.close();
      if (temporary !== undefined) rmSync(temporary, { recursive: true, force: true });
    }
  },
};
