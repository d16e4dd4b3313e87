/**
 * The default rule pack checked in advance: every rule file parsed and schema-checked when the bundle was built
 * (packages/cli/scripts/build.ts writes it beside the bundle's chunks, read by built-rule-pack.bundled.ts), so a
 * fresh process (a CI runner) neither lists, reads nor parses the pack's rule files. Running from the sources there
 * is none: the rule files are read.
 */
export interface BuiltRulePack {
  /** Each rule file's path within the default pack, `/`-separated, in the order loadRules lists them. */
  readonly files: readonly string[];
  /**
   * Each file's checked content. In a bundle without its `tests`, which only `aigov rules test` reads: they are in
   * BUILT_RULE_TESTS_FILE beside it (builtRuleTests), read when a rule's tests are first asked for.
   */
  readonly raws: readonly Readonly<Record<string, unknown>>[];
  /**
   * The pack's digest as `aigov --version` prints it (packages/cli/src/rule-pack-digest.ts), worked out from the same
   * files when they were checked: the digest of the rules that judge, not of whatever the files on disk hold now.
   */
  readonly digest: string;
}

/** The file beside a bundle's chunks that holds its BuiltRulePack. */
export const BUILT_RULE_PACK_FILE = "rule-pack.json";
/** The file beside it that holds each rule's `tests`, in the order of its raws. */
export const BUILT_RULE_TESTS_FILE = "rule-tests.json";

export function builtRulePack(): BuiltRulePack | undefined {
  return undefined;
}

export function builtRuleTests(): readonly unknown[] {
  return [];
}
