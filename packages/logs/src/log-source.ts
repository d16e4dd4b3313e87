import { AigovError } from "@aigov/core";
import { azureBlobObjects, isAzureBlobUrl } from "./azure-blob-source.ts";
import { fileObjects, stdinObject } from "./file-source.ts";
import { gcsObjects } from "./gcs-source.ts";
import { s3Objects } from "./s3-source.ts";

/** One log object to read: a file, an S3 / GCS object, an Azure blob, or stdin. */
export interface LogObject {
  /** What a person reads in a message: the path or URL. */
  readonly name: string;
  /** The identity the read state remembers (absent for stdin, which cannot be read twice). */
  readonly stateKey?: string;
  /** Size in bytes and a version marker (mtime, ETag): together they say whether the object changed since the last read. */
  readonly size?: number;
  readonly version?: string;
  /** The raw bytes (possibly gzip). */
  open(): Promise<AsyncIterable<Uint8Array>>;
  /** An object-store object (S3, GCS, Azure Blob): a round trip per GET, so small ones are fetched a few ahead. */
  readonly remote?: true;
  /** Only for small local files: the path, read whole and scanned at once (cheaper than a stream per file). */
  readonly wholeFile?: string;
  /** Only for appendable local files: the bytes from `offset` on, so a growing NDJSON log is read incrementally. */
  openAt?(offset: number): Promise<AsyncIterable<Uint8Array>>;
}

/** How to reach object stores: endpoint overrides (local fakes, emulators, sovereign clouds) and credentials from the environment. */
export interface SourceOptions {
  readonly env: NodeJS.ProcessEnv;
  readonly stdin?: NodeJS.ReadableStream;
  readonly s3Endpoint?: string;
  readonly fetch?: typeof fetch;
}

/** What `aigov logs` can read, for errors about an input it cannot. */
export const LOG_INPUTS_HINT =
  "give a file, a directory, '-', s3://bucket/prefix, gs://bucket/prefix or https://<account>.blob.core.windows.net/<container>/<prefix>";

/** Expands one command-line input (file, directory, `-`, s3://, gs://, https://<account>.blob.core.windows.net/…) into objects. */
export function logObjects(input: string, options: SourceOptions): AsyncIterable<LogObject> {
  if (input === "-") {
    if (options.stdin === undefined)
      throw new AigovError("LOGS_NO_STDIN", "'-' reads logs from stdin, but no stdin is available");
    return stdinObject(options.stdin);
  }
  if (input.startsWith("s3://")) return s3Objects(input, options);
  if (input.startsWith("gs://")) return gcsObjects(input, options);
  if (isAzureBlobUrl(input, options.env)) return azureBlobObjects(input, options);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(input)) {
    throw new AigovError("LOGS_BAD_INPUT", `cannot read logs from '${input}'`, {
      hint: LOG_INPUTS_HINT,
    });
  }
  return fileObjects(input);
}
