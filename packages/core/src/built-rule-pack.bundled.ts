import { readFileSync } from "node:fs";
import { BUILT_RULE_PACK_FILE, BUILT_RULE_TESTS_FILE, type BuiltRulePack } from "./built-rule-pack.ts";

/**
 * A bundle's checked default pack (see built-rule-pack.ts): one JSON file beside its chunks, read when rules are
 * first loaded (JSON.parse reads it faster than V8 compiles the same data inlined as JavaScript). None when the
 * build found a broken rule, or for a bundle built without it: the rule files are then read and the error reported.
 */
export function builtRulePack(): BuiltRulePack | undefined {
  try {
    return JSON.parse(readFileSync(new URL(`./${BUILT_RULE_PACK_FILE}`, import.meta.url), "utf8")) as BuiltRulePack;
  } catch {
    return undefined;
  }
}

let tests: readonly unknown[] | undefined;

/**
 * The built pack's rule tests (BUILT_RULE_TESTS_FILE), each rule's in the order of its raws: read once, when a rule's
 * tests are first asked for (`aigov rules test`), so that a gate does not parse a third of the pack it never runs.
 */
export function builtRuleTests(): readonly unknown[] {
  tests ??= JSON.parse(readFileSync(new URL(`./${BUILT_RULE_TESTS_FILE}`, import.meta.url), "utf8")) as unknown[];
  return tests;
}
