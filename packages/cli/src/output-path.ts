import { statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { AigovError, fileErrorReason } from "@aigov/core";

/**
 * Refuses an output path that cannot be written before a command does its work (a sweep of an hour should not end
 * in ENOENT): a missing directory, a directory named as the file, a parent that is a file.
 */
export function checkOutputPath(output: string, cwd: string): void {
  if (output === "-") return;
  const path = resolve(cwd, output);
  const stats = statSync(path, { throwIfNoEntry: false });
  if (stats?.isDirectory() === true || output.endsWith("/"))
    throw outputPathError(output, Object.assign(new Error("is a directory"), { code: "EISDIR" }));
  const parent = statSync(dirname(path), { throwIfNoEntry: false });
  if (parent === undefined)
    throw outputPathError(output, Object.assign(new Error("no such directory"), { code: "ENOENT" }));
  if (!parent.isDirectory())
    throw outputPathError(output, Object.assign(new Error("not a directory"), { code: "ENOTDIR" }));
}

/** Where writing says more than reading (fileErrorReason) does. */
const WRITE_REASONS: Readonly<Record<string, string>> = {
  ENOENT: "its directory does not exist",
  EISDIR: "it is a directory; give a file name",
  EROFS: "the file system is read-only",
  ENOSPC: "no space left on the device",
};

/** A file-system error on an output path as one line, exit 2. */
export function outputPathError(output: string, error: unknown): AigovError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const reason = (code === undefined ? undefined : WRITE_REASONS[code]) ?? fileErrorReason(error);
  return new AigovError("CLI_OUTPUT_UNWRITABLE", `cannot write ${output}: ${reason}`, { cause: error });
}
