import { createReadStream, statSync } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { AigovError, fileErrorReason } from "@aigov/core";
import { LOG_INPUTS_HINT, type LogObject } from "./log-source.ts";

/** File names a directory walk reads; anything else in a log directory (READMEs, digests …) is left alone. */
const LOG_FILE = /\.(json|jsonl|ndjson|log)(\.gz)?$|\.gz$/i;

const READ_CHUNK = 256 * 1024;

/**
 * Files up to this size are read whole and at once: CloudTrail delivers one small gzip file per account, region and
 * five minutes, and a stream per file (open, read, gunzip pipe) costs several times reading and gunzipping it.
 */
const WHOLE_FILE_BYTES = 1024 * 1024;

export async function* fileObjects(path: string): AsyncIterable<LogObject> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch (error) {
    throw new AigovError("LOGS_INPUT_MISSING", `cannot read '${path}': ${fileErrorReason(error)}`, {
      hint: LOG_INPUTS_HINT,
    });
  }
  if (info.isDirectory()) {
    yield* directoryObjects(path);
    return;
  }
  yield fileObject(path, info.size, info.mtimeMs);
}

async function* directoryObjects(dir: string): AsyncIterable<LogObject> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* directoryObjects(path);
    else if (entry.isFile() && LOG_FILE.test(entry.name)) {
      // A trail's directory holds thousands of small files: a stat through the thread pool costs more than the stat.
      // A file removed since the listing (rotated, expired) is no longer part of the input.
      const info = statSync(path, { throwIfNoEntry: false });
      if (info !== undefined) yield fileObject(path, info.size, info.mtimeMs);
    }
  }
}

function fileObject(path: string, size: number, mtimeMs: number): LogObject {
  return {
    name: path,
    stateKey: `file:${path}`,
    size,
    version: String(Math.trunc(mtimeMs)),
    open: async () => createReadStream(path, { highWaterMark: READ_CHUNK }),
    ...(size <= WHOLE_FILE_BYTES ? { wholeFile: path } : {}),
    ...(path.endsWith(".gz")
      ? {}
      : { openAt: async (offset: number) => createReadStream(path, { start: offset, highWaterMark: READ_CHUNK }) }),
  };
}

export async function* stdinObject(stdin: NodeJS.ReadableStream): AsyncIterable<LogObject> {
  yield { name: "<stdin>", open: async () => stdin as AsyncIterable<Uint8Array> };
}
