import { ArmError } from "./arm-protocol.ts";
import type { Json } from "./world-index.ts";

/** One `field op 'value'` clause of an Activity Log `$filter`. */
interface Clause {
  readonly field: string;
  readonly op: "ge" | "le" | "eq";
  readonly value: string;
}

/** The fields `eq` may filter on, and the event field each compares (as `{value}` or a plain string). */
const EQ_FIELDS: Readonly<Record<string, string>> = {
  resourceprovider: "resourceProviderName",
  resourcegroupname: "resourceGroupName",
  resourceuri: "resourceId",
  resourceid: "resourceId",
  correlationid: "correlationId",
  status: "status",
  caller: "caller",
};

/** The Activity Log keeps 90 days. */
const RETENTION_DAYS = 90;

function invalidFilter(message: string): ArmError {
  return new ArmError("BadRequest", `The $filter query parameter value is invalid. ${message}`, 400);
}

/**
 * Filters events as `GET …/eventtypes/management/values` does: `$filter` must bound `eventTimestamp` from below
 * (`ge`) and may bound it from above (`le`, default now), over at most 90 days, and may add `eq` clauses joined by
 * `and`. Comparisons of names ignore case, as ARM's do.
 */
export function filterEvents(events: readonly Json[], filter: string | null): readonly Json[] {
  if (filter === null || filter.trim() === "")
    throw invalidFilter("The $filter query parameter is required and must contain 'eventTimestamp ge'.");
  const clauses = filter.split(/\s+and\s+/i).map(parseClause);
  const from = clauses.find((c) => c.field === "eventtimestamp" && c.op === "ge");
  if (from === undefined) throw invalidFilter("It must contain 'eventTimestamp ge <time>'.");
  const start = Date.parse(from.value);
  const toClause = clauses.find((c) => c.field === "eventtimestamp" && c.op === "le");
  const end = toClause === undefined ? Date.now() : Date.parse(toClause.value);
  if (Number.isNaN(start) || Number.isNaN(end)) throw invalidFilter("eventTimestamp must be an ISO-8601 time.");
  if (end - start > RETENTION_DAYS * 86_400_000)
    throw invalidFilter(`The time range may span at most ${RETENTION_DAYS} days.`);
  const equal = clauses.filter((c) => c.op === "eq");
  for (const clause of equal) {
    if (EQ_FIELDS[clause.field] === undefined) throw invalidFilter(`'${clause.field}' cannot be filtered on.`);
  }
  return events.filter((event) => {
    const time = Date.parse(String(event.eventTimestamp));
    if (time < start || time > end) return false;
    return equal.every((clause) => {
      const value = event[EQ_FIELDS[clause.field]!];
      const text = typeof value === "string" ? value : ((value as { value?: string } | undefined)?.value ?? "");
      return text.toLowerCase() === clause.value.toLowerCase();
    });
  });
}

function parseClause(text: string): Clause {
  const match = /^\s*(\w+)\s+(ge|le|eq)\s+'([^']*)'\s*$/i.exec(text);
  if (match === null) throw invalidFilter(`Cannot read '${text.trim()}': write field op 'value'.`);
  return { field: match[1]!.toLowerCase(), op: match[2]!.toLowerCase() as Clause["op"], value: match[3]! };
}

/** `$select=eventName,operationName`: only those top-level fields. */
export function selectFields(events: readonly Json[], select: string | null): readonly Json[] {
  if (select === null || select.trim() === "") return events;
  const fields = select.split(",").map((f) => f.trim());
  return events.map((event) => Object.fromEntries(fields.filter((f) => f in event).map((f) => [f, event[f]])));
}
