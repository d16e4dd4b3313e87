import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The default rule pack when aigov runs from the repository's sources: the top-level `rules/` directory. */
export const DEFAULT_RULES_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "../../../rules");
