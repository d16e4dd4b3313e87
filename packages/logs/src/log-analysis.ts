import { type Aggregator, type Engine, type Finding, FindingRollup } from "@aigov/core";
import { CallSummary } from "./call-summary.ts";
import type { LogEvent, MalformedReport } from "./log-reader.ts";

/** Reports kept in full; past this only the count grows (a broken log must not grow memory). */
const MAX_MALFORMED_REPORTS = 1000;

export interface LogAnalysis {
  readonly summary: CallSummary;
  readonly findings: Finding[];
  readonly malformed: MalformedReport[];
}

/**
 * Streams log events through the per-call rules (engine) and the aggregate rules (aggregator), and the AI keys found
 * in the records through the key rules: one pass, memory bounded by the findings and the aggregator's group state,
 * not by the number of calls. The per-call rules' findings are rolled up: one per rule and pattern (principal,
 * service, model, account, region) per window, with the count (see FindingRollup).
 */
export async function analyzeLogs(
  events: AsyncIterable<LogEvent>,
  engine: Engine,
  aggregator: Aggregator,
  onMalformed: (report: MalformedReport) => void = () => {},
): Promise<LogAnalysis> {
  const summary = new CallSummary();
  const findings: Finding[] = [];
  const perCall = new FindingRollup();
  const malformed: MalformedReport[] = [];
  for await (const event of events) {
    if (event.type === "call") {
      summary.add(event.call);
      perCall.add(engine.findings(event.call), event.call);
      for (const finding of aggregator.push(event.call)) findings.push(finding);
      for (const key of event.keys) for (const finding of engine.findings(key)) findings.push(finding);
    } else if (event.type === "malformed") {
      if (malformed.length < MAX_MALFORMED_REPORTS) malformed.push(event.report);
      onMalformed(event.report);
    }
  }
  return { summary, findings: [...perCall.findings(), ...findings], malformed };
}
