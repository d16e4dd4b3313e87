import type { ApiCall } from "@aigov/core";

/** Distinct values kept per dimension; past it, calls count under "(other)" so a huge log cannot grow the summary. */
const MAX_KEYS = 10_000;

const DIMENSIONS = ["provider", "service", "operation", "model", "principal", "actor", "authType"] as const;
export type SummaryDimension = (typeof DIMENSIONS)[number];

/**
 * What `aigov logs` says about the AI calls it read: counts per provider, service, operation, model, principal, actor
 * and auth type, and how many of the calls were usage (model invocations) rather than discovery or control-plane calls.
 */
export class CallSummary {
  calls = 0;
  /** Calls that ran a model (ApiCall.usage). */
  usage = 0;
  failures = 0;
  first: string | undefined;
  last: string | undefined;
  private readonly counts = new Map<SummaryDimension, Map<string, number>>(
    DIMENSIONS.map((dimension) => [dimension, new Map()]),
  );

  add(call: ApiCall): void {
    this.calls += 1;
    if (call.usage === true) this.usage += 1;
    if (call.outcome === "failure") this.failures += 1;
    if (this.first === undefined || call.time < this.first) this.first = call.time;
    if (this.last === undefined || call.time > this.last) this.last = call.time;
    this.bump("provider", call.provider);
    this.bump("service", call.service);
    this.bump("operation", `${call.service}:${call.operation}`);
    this.bump("model", typeof call.model === "string" ? call.model : call.model === undefined ? "(none)" : "(unknown)");
    this.bump("principal", typeof call.principal === "string" ? call.principal : "(unknown)");
    this.bump("actor", typeof call.actor === "string" ? call.actor : "(unknown)");
    this.bump("authType", call.authType);
  }

  /** The largest entries first. */
  top(dimension: SummaryDimension, limit = Number.POSITIVE_INFINITY): [string, number][] {
    return [...this.counts.get(dimension)!.entries()]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, limit);
  }

  toJSON(): Record<string, unknown> {
    const by: Record<string, Record<string, number>> = {};
    for (const dimension of DIMENSIONS) by[dimension] = Object.fromEntries(this.top(dimension));
    return {
      calls: this.calls,
      usage: this.usage,
      failures: this.failures,
      first: this.first ?? null,
      last: this.last ?? null,
      by,
    };
  }

  private bump(dimension: SummaryDimension, key: string): void {
    const counts = this.counts.get(dimension)!;
    const current = counts.get(key);
    if (current !== undefined) counts.set(key, current + 1);
    else if (counts.size < MAX_KEYS) counts.set(key, 1);
    else counts.set("(other)", (counts.get("(other)") ?? 0) + 1);
  }
}
