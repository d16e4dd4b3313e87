import { escapeControlCharacters, type Finding, type Policy } from "@aigov/core";
import { exportToPolicySink, parseSinks } from "@aigov/export";
import type { Store } from "@aigov/store";
import type { CommandContext } from "./command.ts";

export interface SinkDelivery {
  readonly report: Awaited<ReturnType<typeof exportToPolicySink>>["report"];
  /** The sink writes to stdout itself (a file sink with path "-"). */
  readonly ownsStdout: boolean;
  /** 0 everything arrived; 2 the sink rejected some findings (they stay out of the SIEM until they change). */
  readonly exitCode: 0 | 2;
}

/**
 * Delivers findings to one of the policy's sinks through the outbox in the store (what changed since the last export
 * to it, or all with `full`), telling the user what happened on stderr. Shared by `aigov export --sink`, the sweep's
 * export step and `aigov logs`.
 */
export async function deliverToSink(
  context: CommandContext,
  policy: Policy,
  name: string,
  findings: readonly Finding[],
  store: Store,
  options: { readonly full?: boolean; readonly outboxKey?: string; readonly events?: boolean } = {},
): Promise<SinkDelivery> {
  const { config, report } = await exportToPolicySink({
    policy,
    sink: name,
    findings: [...findings],
    store,
    env: context.io.env,
    stdout: context.io.stdout,
    full: options.full === true,
    ...(options.outboxKey === undefined ? {} : { outboxKey: options.outboxKey }),
    ...(options.events === undefined ? {} : { events: options.events }),
    onRetry: (attempt, delay, error) =>
      context.message(
        `aigov: ${name}: attempt ${attempt} failed (${escapeControlCharacters(error.message)}); retrying in ${delay} ms`,
      ),
  });
  context.message(
    `aigov: ${name}: ${report.new} new, ${report.changed} changed, ${report.resolved} resolved, ${report.unchanged} unchanged; ` +
      `delivered ${report.delivered} in ${report.batches} batches`,
  );
  if (report.rejected > 0) {
    // Not everything reached the SIEM: never exit 0. The rejected records are not retried until they change.
    context.message(
      `aigov: ${name}: the sink rejected ${report.rejected} findings: ${escapeControlCharacters(report.rejections.join("; "))}`,
    );
  }
  return { report, ownsStdout: config.type === "file" && config.path === "-", exitCode: report.rejected > 0 ? 2 : 0 };
}

/** Every sink the policy declares, by name (validated, with positions). */
export function policySinkNames(policy: Policy): string[] {
  return parseSinks(policy).map((sink) => sink.name);
}
