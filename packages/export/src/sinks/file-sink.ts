import { open } from "node:fs/promises";
import { formatRecordLines } from "../record-format.ts";
import type { FileSinkConfig } from "./sink-config.ts";
import type { Sink, SinkRecord } from "./sink.ts";

/**
 * Appends one line per record to a file (fsync'd before the batch counts as delivered) or writes to stdout (`-`).
 * A consumer tailing the file (Filebeat, Splunk UF, the AMA) picks the lines up.
 */
export function fileSink(config: FileSinkConfig, stdout: NodeJS.WritableStream = process.stdout): Sink {
  return {
    name: config.name,
    type: "file",
    limits: config.limits,
    encode: (record: SinkRecord) =>
      formatRecordLines(config.format, record, {
        ...(config.accountId === undefined ? {} : { accountId: config.accountId }),
        ...(config.region === undefined ? {} : { region: config.region }),
      }).join("\n"),
    async send(encoded) {
      const text = `${encoded.join("\n")}\n`;
      if (config.path === "-") {
        await new Promise<void>((resolve, reject) =>
          stdout.write(text, (error) => (error ? reject(error) : resolve())),
        );
        return;
      }
      const handle = await open(config.path, "a");
      try {
        await handle.writeFile(text);
        await handle.sync();
      } finally {
        await handle.close();
      }
    },
    async close() {},
  };
}
