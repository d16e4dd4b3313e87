import { AigovError, type Provider, type Scanner, type YamlSource } from "@aigov/core";

/** One command-line flag of a scanner (`--aws-region`), as `aigov sweep --help` lists it. */
export interface FlagSpec {
  readonly type: "string" | "boolean";
  /** Repeatable; each value may also be a comma-separated list. */
  readonly multiple?: boolean;
  readonly description: string;
  /** The value shown in --help: `--aws-region eu-west-1`. */
  readonly example?: string;
  /** What applies when neither the flag nor the policy says. */
  readonly default?: string;
}

export type FlagTable = Readonly<Record<string, FlagSpec>>;

/** Flag values as `node:util` parseArgs returns them. */
export type FlagValues = Readonly<Record<string, string | boolean | readonly (string | boolean)[] | undefined>>;

/** A scanner's flags, read by name. */
export interface FlagReader {
  string(name: string): string | undefined;
  /** A repeatable flag's values, comma-separated lists split; undefined when not given. */
  list(name: string): string[] | undefined;
  boolean(name: string): boolean;
  /** Whether any of these flags was given. */
  any(): boolean;
}

export function flagReader(table: FlagTable, values: FlagValues): FlagReader {
  const known = (name: string) => {
    // A misspelt name in a plugin would read as "not given" for ever; fail where it is written instead.
    if (!Object.hasOwn(table, name)) throw new Error(`flag --${name} is not in the scanner's flag table`);
    return values[name];
  };
  return {
    string(name) {
      const value = known(name);
      return typeof value === "string" ? value : undefined;
    },
    list(name) {
      const value = known(name);
      const items = typeof value === "string" ? [value] : Array.isArray(value) ? value : [];
      const split = items.flatMap((item) => String(item).split(",")).map((item) => item.trim());
      return split.length === 0 ? undefined : split.filter((item) => item !== "");
    },
    boolean: (name) => known(name) === true,
    any: () =>
      Object.keys(table).some((name) => {
        const value = values[name];
        return value !== undefined && value !== false && !(Array.isArray(value) && value.length === 0);
      }),
  };
}

/** What a scanner's configuration is made from. */
export interface ConfigSources {
  /** The policy's `targets.<provider>` with its positions in the file; undefined when the policy has none. */
  readonly section: YamlSource | undefined;
  readonly flags: FlagReader;
  /** The policy file's directory (a relative path in the section is relative to it), or the working directory. */
  readonly policyDir: string;
}

/** The running cloud simulator (`@aigov/cloud-sim`), as a demo hook needs it. */
export interface SimulatedCloud {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** `https://127.0.0.1:<port>`, signed by `caCertificate`. */
  readonly httpsUrl: string;
  readonly caCertificate: string;
  readonly caCertificateFile: string;
}

/** How the demo sweeps a cloud in the simulator: the flags that point the scanner at it, and how to create it. */
export interface DemoSetup<Options> {
  readonly flags: FlagValues;
  /** Options for `create`: the simulator's credentials (or token endpoint, key file, CA …). */
  readonly options: Options;
}

/**
 * A scanner as the cli sees it: a light module (`@aigov/scanner-<cloud>/plugin`) that imports no cloud SDK. The cli
 * lists every installed plugin's flags, checks and maps `targets.<provider>` with it, and only then calls `create`,
 * which imports the SDK-heavy code.
 */
export interface ScannerPlugin<Config = unknown, Meta = unknown, Options = unknown> {
  readonly provider: Provider;
  /** JSON Schema of `targets.<provider>`: checks the section (positions in messages) and completes it in editors. */
  readonly policySchema: object;
  /** Flags that override the section for one run, by name without `--`. */
  readonly flags: FlagTable;
  /**
   * The scanner's configuration from its section and flags, or undefined when neither names anything to sweep in
   * this cloud. Throws an AigovError at the section's position for what the schema cannot say (a missing target).
   */
  configFrom(sources: ConfigSources): Config | undefined;
  /** How the demo reaches this cloud in the simulator. */
  demo(sim: SimulatedCloud): DemoSetup<Options>;
  /** The scanner; its SDK-heavy code is imported here. `options` default to the cloud's standard credential chain. */
  create(options?: Options): Promise<Scanner<Config, Meta>>;
}

/** A cloud with no target anywhere: the section or the flags named the cloud, but nothing in it to sweep. */
export function noTargets(
  provider: Provider,
  section: YamlSource | undefined,
  message: string,
  hint: string,
): AigovError {
  const position = section?.locate([]);
  return new AigovError("POLICY_INVALID", `targets.${provider}: ${message}`, {
    ...(position === undefined ? {} : { position }),
    hint,
  });
}
