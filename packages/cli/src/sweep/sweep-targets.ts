import { dirname } from "node:path";
import { AigovError, type Policy, PROVIDERS, type Provider } from "@aigov/core";
import { type FlagValues, flagReader, type ScannerPlugin, type SimulatedCloud } from "@aigov/scanner-kit";

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
 * each installed scanner's plugin: the plugin checks its own section against its schema, at file:line:column. A
 * cloud named in `targets:` with no scanner installed is refused, never skipped silently.
 */
export function sweepTargets(
  policy: Policy,
  plugins: readonly ScannerPlugin[],
  from: TargetFlags,
  cwd: string,
): ConfiguredScanner[] {
  const byProvider = new Map(plugins.map((plugin) => [plugin.provider, plugin]));
  const targets = policy.section(["targets"])?.value;
  // The policy schema has made `targets` a mapping.
  for (const cloud of typeof targets === "object" && targets !== null ? Object.keys(targets) : []) {
    const position = policy.locate(["targets", cloud], "key");
    const at = position === undefined ? {} : { position };
    if (!isProvider(cloud))
      throw new AigovError("POLICY_INVALID", `targets.${cloud}: unknown cloud '${cloud}'`, {
        ...at,
        hint: `one of ${PROVIDERS.join(", ")}`,
      });
    if (!byProvider.has(cloud))
      throw new AigovError("POLICY_INVALID", `targets.${cloud}: this aigov has no ${cloud} scanner yet`, {
        ...at,
        hint: "remove the section, or sweep it with a newer aigov",
      });
  }
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

function isProvider(name: string): name is Provider {
  return PROVIDERS.some((provider) => provider === name);
}
