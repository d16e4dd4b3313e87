import { readFileSync } from "node:fs";
import { BUILT_RULE_PACK_FILE, type BuiltRulePack } from "./built-rule-pack.ts";

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
