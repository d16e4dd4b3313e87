import { dirname } from "node:path";
import { AigovError, type Policy } from "@aigov/core";
import { type FlagValues, flagReader, type ScannerPlugin, type SimulatedCloud } from "@aigov/scanner-kit";
import { checkTargets } from "../policy-load.ts";

/** One cloud to sweep: its scanner plugin, the configuration the policy and flags give it, and how to create it. */
export interface ConfiguredScanner {
  readonly plugin: ScannerPlugin;
  readonly config: unknown;
  /** Options for the plugin's `create` (the demo's simulator credentials); absent: the cloud's standard chain. */
  readonly options?: unknown;
}

/** Where the flags come from: the command line, or the demo hooks of the plugins pointing them at the simulator. */
export type TargetFlags = { readonly flags: FlagValues } | { readonly demo: SimulatedCloud };

/**
 * Reads the policy's `targets:` section (one key per cloud) and the flags into one configuration per cloud, through
 * each installed scanner's plugin: `targets:` may name only installed scanners, and each section keeps to its
 * scanner's schema (errors at file:line:column).
 */
export function sweepTargets(
  policy: Policy,
  plugins: readonly ScannerPlugin[],
  from: TargetFlags,
  cwd: string,
): ConfiguredScanner[] {
  checkTargets(policy, plugins);
  const policyDir = policy.file === undefined ? cwd : dirname(policy.file);
  const configured: ConfiguredScanner[] = [];
  for (const plugin of plugins) {
    const section = policy.section(["targets", plugin.provider]);
    // The demo sweeps the clouds its policy names, each pointed at the simulator by its own hook.
    if ("demo" in from && section === undefined) continue;
    const demo = "demo" in from ? plugin.demo(from.demo) : undefined;
    const flags = flagReader(plugin.flags, demo?.flags ?? ("flags" in from ? from.flags : {}));
    const config = plugin.configFrom({ section, flags, policyDir });
    if (config === undefined) continue;
    configured.push({ plugin, config, ...(demo === undefined ? {} : { options: demo.options }) });
  }
  if (configured.length === 0) {
    throw new AigovError(
      "SWEEP_NO_TARGETS",
      "nothing to sweep: the policy has no targets: section and no target flags were given",
      {
        hint: `add a targets: section (${plugins.map((plugin) => `targets.${plugin.provider}`).join(", ")}) to aigov.yaml (docs/operations/README.md), or pass the target flags 'aigov sweep --help' lists; 'aigov demo' sweeps a simulated organization`,
      },
    );
  }
  return configured;
}
