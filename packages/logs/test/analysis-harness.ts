import { createAggregator, createEngine, defaultPolicy, loadRules, type Policy } from "@aigov/core";
import { analyzeLogs, emptyStats, type LogAnalysis, type LogReadStats, readLogs } from "../src/index.ts";

/** Reads inputs through the default rule pack, as `aigov logs --no-state` does. */
export async function analyze(
  inputs: readonly string[],
  policy: Policy = defaultPolicy(),
): Promise<LogAnalysis & { stats: LogReadStats }> {
  const rules = (await loadRules({ policy })).filter(
    (rule) => rule.appliesTo.subject === "api-call" || rule.appliesTo.subject === "key",
  );
  const now = new Date("2026-11-21T00:00:00Z");
  const engine = createEngine(rules, policy, { now });
  const aggregator = createAggregator(rules, policy, { now });
  const stats = emptyStats();
  const analysis = await analyzeLogs(readLogs(inputs, { env: {} }, stats), engine, aggregator);
  return { ...analysis, stats };
}
