import { AigovError, type Finding, type Policy } from "@aigov/core";
import { Outbox, type Store } from "@aigov/store";
import { type ExportReport, exportWithOutbox } from "./delivery.ts";
import { createSink } from "./sinks/create-sink.ts";
import type { DeliveryError } from "./sinks/sink.ts";
import { parseSinks, type SinkConfig } from "./sinks/sink-config.ts";

export interface PolicySinkExport {
  /** The policy whose `sinks:` declares the sink; `file` names it in errors. */
  readonly policy: Pick<Policy, "file" | "section">;
  /** The `name:` of the sink under `sinks:`. */
  readonly sink: string;
  readonly findings: readonly Finding[];
  /** The store the outbox lives in, so export history sits beside run history. */
  readonly store: Store;
  /** Where `*_env` secrets are read from. */
  readonly env: NodeJS.ProcessEnv;
  /** For a file sink whose path is `-`. */
  readonly stdout?: NodeJS.WritableStream;
  readonly full?: boolean;
  /** See DeliveryOptions.outboxKey: a sweep shard exports under its own key. */
  readonly outboxKey?: string;
  /** Findings are events (from logs): never report one as resolved because a later export lacks it. */
  readonly events?: boolean;
  readonly onRetry?: (attempt: number, delayMs: number, error: DeliveryError) => void;
}

/**
 * Exports findings to one sink declared in the policy, through the durable outbox: the one call `aigov export
 * --sink`, `sweep` and `logs` use to deliver. Throws AigovError when the sink is unknown or misconfigured, a
 * secret is missing, or delivery finally fails (what was not acknowledged stays in the outbox).
 */
export async function exportToPolicySink(
  request: PolicySinkExport,
): Promise<{ readonly config: SinkConfig; readonly report: ExportReport }> {
  const sinks = parseSinks(request.policy);
  const config = sinks.find((sink) => sink.name === request.sink);
  if (config === undefined) {
    const file = request.policy.file;
    throw new AigovError("EXPORT_SINK_UNKNOWN", `no sink named '${request.sink}' in ${file ?? "the policy"}`, {
      ...(file === undefined ? {} : { position: { file } }),
      hint:
        sinks.length === 0
          ? "declare it under `sinks:` in the policy file"
          : `sinks: ${sinks.map((sink) => sink.name).join(", ")}`,
    });
  }
  const sink = createSink(config, request.env, request.stdout);
  try {
    const report = await exportWithOutbox(new Outbox(request.store), sink, request.findings, {
      retry: config.retry,
      ...(request.full === undefined ? {} : { full: request.full }),
      ...(request.outboxKey === undefined ? {} : { outboxKey: request.outboxKey }),
      ...(request.events === undefined ? {} : { events: request.events }),
      ...(request.onRetry === undefined ? {} : { hooks: { onRetry: request.onRetry } }),
    });
    return { config, report };
  } finally {
    await sink.close();
  }
}
