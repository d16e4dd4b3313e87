import { mkdirSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { defaultStorePath } from "@aigov/store";
import { scannerPlugins } from "@aigov/scanner-registry";
import { DEMO_POLICY, DEMO_WORLD } from "../assets.ts";
import type { Command } from "../command.ts";
import { anchorWorldClock } from "../sweep/demo-world.ts";
import { executeSweep, SWEEP_OPTIONS } from "../sweep/sweep-execution.ts";
import { sweepTargets } from "../sweep/sweep-targets.ts";
import { loadCheckedPolicy } from "../policy-load.ts";

export const command: Command = {
  name: "demo",
  summary: "sweep a built-in simulated organization (no cloud account needed)",
  usage: "aigov demo [--store FILE] [--world FILE] [--policy FILE] [--strict] [sweep options]",
  description: `Starts the cloud simulator on 127.0.0.1 with a small organization (packages/cli/assets/demo-world.yaml: five AWS
accounts, three Azure subscriptions and three Google Cloud projects, governed AI next to shadow AI) and sweeps it
exactly as 'aigov sweep' sweeps a real organization:
same scanners, rules, store and output; only the endpoints and the credentials differ (each scanner's demo hook).
The history goes to --store, else to demo.db beside the default store (never the default store itself, so the demo
leaves a real sweep's history alone); 'aigov report --store FILE' and 'aigov findings --store FILE' read it.
The demo organization has blocking findings by design: the sweep's result says "exit 1", but the demo exits 0
when it ran (2 when it could not). --strict exits as the sweep would (1), for scripts that test the pipeline.`,
  options: {
    ...SWEEP_OPTIONS,
    world: {
      type: "string",
      example: "world.yaml",
      description: "the simulated organization",
      default: "the built-in demo organization",
    },
    strict: { type: "boolean", description: "exit 1 on blocking findings, as the sweep would" },
  },
  examples: [
    "aigov demo",
    "aigov demo --store demo.db && aigov report --store demo.db",
    "aigov demo --format json -o demo.json",
  ],
  exitCodes: [
    [0, "the demo ran"],
    [1, "with --strict: findings at or above the threshold"],
    [2, "could not run"],
  ],
  async run(context) {
    const { startCloudSim, loadWorld } = await import("@aigov/cloud-sim");
    const policy = await loadCheckedPolicy(context.stringOption("policy") ?? DEMO_POLICY, context.io.cwd);
    const world = anchorWorldClock(await loadWorld(context.stringOption("world") ?? DEMO_WORLD), new Date());
    const sim = await startCloudSim({ world });
    const given = context.stringOption("store");
    const storeFile = resolve(
      context.io.cwd,
      given ?? join(dirname(defaultStorePath(context.io.env)), DEMO_STORE_FILE),
    );
    if (given === undefined) mkdirSync(dirname(storeFile), { recursive: true });
    try {
      const accounts = world.aws?.accounts.length ?? 0;
      const subscriptions = world.azure?.subscriptions.length ?? 0;
      const projects = world.gcp?.projects?.length ?? 0;
      context.message(
        `aigov demo: simulated organization with ${accounts} AWS accounts, ${subscriptions} Azure subscriptions and ${projects} Google Cloud projects at ${sim.url}`,
      );
      // Each cloud's scanner points itself at the simulator (endpoint, credentials) through its plugin's demo hook.
      const targets = sweepTargets(policy, await scannerPlugins(), { demo: sim }, context.io.cwd);
      const store = {
        store: storeFile,
        keepRuns: context.stringOption("keep-runs"),
        keepDays: context.stringOption("keep-days"),
      };
      const code = await executeSweep(context, { policy, targets, store });
      const shown = shellQuote(relativeToCwd(storeFile, context.io.cwd));
      context.message(
        `aigov demo: the history is in ${storeFile}; see it with 'aigov report --store ${shown}' or 'aigov findings --store ${shown}'`,
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
    }
  },
};

/** The demo's own store, beside the default store: its shadow AI never mixes into a real sweep's history. */
const DEMO_STORE_FILE = "demo.db";

/** A path the way a person would type it: relative when it is below the working directory. */
function relativeToCwd(path: string, cwd: string): string {
  const inner = relative(cwd, path);
  return inner !== "" && !inner.startsWith("..") && !isAbsolute(inner) ? inner : path;
}

/** Quoted for a POSIX shell when it holds anything but plain path characters. */
function shellQuote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replaceAll("'", "'\\''")}'`;
}
