import { createSocket } from "node:dgram";
import { readFileSync } from "node:fs";
import { isIP, connect as netConnect, type Socket } from "node:net";
import { connect as tlsConnect } from "node:tls";
import { AigovError, fileErrorReason } from "@aigov/core";
import { octetCounted, syslogMessage } from "../syslog.ts";
import type { SyslogSinkConfig } from "./sink-config.ts";
import { DeliveryError, type Sink } from "./sink.ts";

/** UDP datagrams beyond this are often dropped on the way; RFC 5426 asks receivers to take at least 480/2048 bytes. */
const UDP_MAX_BYTES = 8192;

/**
 * Syslog: RFC 5424 messages (with a CEF or structured-data body) over TLS (RFC 5425, octet-counting framing),
 * plain TCP (octet counting too, which rsyslog and syslog-ng detect), or UDP (one message per datagram).
 * TCP has no application-level ack, so a batch counts as delivered once the socket flushed it; a connection that
 * fails mid-batch makes the whole batch retry (duplicates keep their id).
 */
export function syslogSink(config: SyslogSinkConfig): Sink {
  let ca: Buffer | undefined;
  if (config.caFile !== undefined) {
    try {
      ca = readFileSync(config.caFile);
    } catch (error) {
      throw new AigovError(
        "EXPORT_SINK_CONFIG",
        `sink '${config.name}': cannot read ca_file ${config.caFile}: ${fileErrorReason(error)}`,
        { position: config.position("ca_file") },
      );
    }
  }
  let socket: Socket | undefined;

  function open(): Promise<Socket> {
    return new Promise((resolve, reject) => {
      const onError = (error: Error) =>
        reject(
          new DeliveryError(`${config.name}: ${config.host}:${config.port}: ${error.message}`, {
            retryable: true,
            cause: error,
          }),
        );
      const created =
        config.protocol === "tls"
          ? tlsConnect(
              {
                host: config.host,
                port: config.port,
                ...(isIP(config.host) === 0 ? { servername: config.host } : {}),
                ...(ca === undefined ? {} : { ca }),
              },
              () => resolve(created),
            )
          : netConnect({ host: config.host, port: config.port }, () => resolve(created));
      created.setTimeout(config.timeoutMs, () => created.destroy(new Error(`timed out after ${config.timeoutMs} ms`)));
      // Kept for the socket's life: a later error (peer reset) must not go unhandled; the next send reconnects.
      created.on("error", onError);
      created.on("close", () => {
        if (socket === created) socket = undefined;
      });
    });
  }

  async function sendStream(frames: string): Promise<void> {
    socket ??= await open();
    const current = socket;
    await new Promise<void>((resolve, reject) => {
      const onError = (error: Error) =>
        reject(new DeliveryError(`${config.name}: ${error.message}`, { retryable: true, cause: error }));
      current.once("error", onError);
      current.write(frames, (error) => {
        current.off("error", onError);
        if (error) {
          current.destroy();
          reject(new DeliveryError(`${config.name}: ${error.message}`, { retryable: true, cause: error }));
        } else resolve();
      });
    });
  }

  async function sendDatagrams(messages: readonly string[]): Promise<void> {
    const udp = createSocket(config.host.includes(":") ? "udp6" : "udp4");
    try {
      for (const message of messages) {
        const bytes = Buffer.from(message, "utf8").subarray(0, UDP_MAX_BYTES);
        await new Promise<void>((resolve, reject) =>
          udp.send(bytes, config.port, config.host, (error) =>
            error ? reject(new DeliveryError(`${config.name}: ${error.message}`, { retryable: true })) : resolve(),
          ),
        );
      }
    } finally {
      udp.close();
    }
  }

  return {
    name: config.name,
    type: "syslog",
    limits: config.limits,
    encode: (record) =>
      syslogMessage(
        record.finding,
        {
          facility: config.facility,
          body: config.format,
          ...(config.hostname === undefined ? {} : { hostname: config.hostname }),
        },
        record.change,
      ),
    async send(encoded) {
      if (config.protocol === "udp") return sendDatagrams(encoded);
      return sendStream(encoded.map(octetCounted).join(""));
    },
    async close() {
      const current = socket;
      socket = undefined;
      if (current === undefined) return;
      await new Promise<void>((resolve) => {
        current.once("close", () => resolve());
        current.end();
      });
    },
  };
}
