import { readFile } from "node:fs/promises";
import { AigovError, fileErrorReason } from "@aigov/core";

/** A file the user named (`world`, `faults`); one that cannot be read is SIM_<WHAT>_UNREADABLE, saying why. */
export async function readInputFile(path: string, what: "world" | "faults"): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    throw new AigovError(
      `SIM_${what.toUpperCase()}_UNREADABLE`,
      `cannot read ${what} file ${path}: ${fileErrorReason(error)}`,
      { cause: error },
    );
  }
}
