/**
 * The part of the Cloud Logging query language the simulator evaluates: comparisons `field OP value` with OP one of
 * `= != > >= < <= : =~ !~`, joined by AND (or juxtaposition), OR and NOT / `-`, grouped by parentheses. As in
 * Logging, OR binds tighter than AND. Fields are dotted paths into the LogEntry (`protoPayload.serviceName`); times
 * compare as instants and severities by rank. Anything else is a syntax error, so a scanner's filter that the
 * simulator cannot read fails loudly instead of matching everything.
 */
export type LogFilter = (entry: Readonly<Record<string, unknown>>) => boolean;

export class LogFilterError extends Error {}

const SEVERITIES = ["DEFAULT", "DEBUG", "INFO", "NOTICE", "WARNING", "ERROR", "CRITICAL", "ALERT", "EMERGENCY"];
const TOKEN = /\s*(\(|\)|"(?:[^"\\]|\\.)*"|!=|>=|<=|=~|!~|[=<>:]|-(?=[A-Za-z(])|[^\s()=<>:!"]+)/y;

export function compileLogFilter(text: string): LogFilter {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    const start = TOKEN.lastIndex;
    const match = TOKEN.exec(text);
    if (match === null) {
      if (text.slice(start).trim() === "") break;
      throw new LogFilterError(`unexpected '${text.slice(start).trim().slice(0, 20)}'`);
    }
    tokens.push(match[1]!);
  }
  let at = 0;
  const peek = () => tokens[at];
  const next = () => {
    const token = tokens[at++];
    if (token === undefined) throw new LogFilterError("unexpected end of filter");
    return token;
  };

  function conjunction(): LogFilter {
    const parts = [disjunction()];
    while (at < tokens.length && peek() !== ")") {
      if (peek() === "AND") next();
      parts.push(disjunction());
    }
    return parts.length === 1 ? parts[0]! : (entry) => parts.every((part) => part(entry));
  }
  function disjunction(): LogFilter {
    const parts = [negation()];
    while (peek() === "OR") {
      next();
      parts.push(negation());
    }
    return parts.length === 1 ? parts[0]! : (entry) => parts.some((part) => part(entry));
  }
  function negation(): LogFilter {
    if (peek() === "NOT" || peek() === "-") {
      next();
      const inner = negation();
      return (entry) => !inner(entry);
    }
    if (peek() === "(") {
      next();
      const inner = conjunction();
      if (next() !== ")") throw new LogFilterError("missing ')'");
      return inner;
    }
    return comparison();
  }
  function comparison(): LogFilter {
    const field = next();
    if (!/^[A-Za-z_][\w.]*$/.test(field)) throw new LogFilterError(`'${field}' is not a field`);
    const operator = next();
    if (!["=", "!=", ">", ">=", "<", "<=", ":", "=~", "!~"].includes(operator))
      throw new LogFilterError(`'${operator}' is not a comparison`);
    const raw = next();
    if (raw === "(" || raw === ")") throw new LogFilterError(`'${raw}' is not a value`);
    const value = raw.startsWith('"') ? (JSON.parse(raw) as string) : raw;
    return compare(field.split("."), operator, value);
  }

  const filter = tokens.length === 0 ? () => true : conjunction();
  if (at < tokens.length) throw new LogFilterError(`unexpected '${tokens[at]}'`);
  return filter;
}

function compare(path: readonly string[], operator: string, expected: string): LogFilter {
  const pattern = operator === "=~" || operator === "!~" ? new RegExp(expected) : undefined;
  const rank = (value: string) => (path[0] === "severity" ? SEVERITIES.indexOf(value) : -1);
  return (entry) => {
    let value: unknown = entry;
    for (const key of path)
      value = value !== null && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined;
    if (value === undefined || value === null) return operator === "!=" || operator === "!~";
    const actual = String(value);
    switch (operator) {
      case "=":
        return actual === expected;
      case "!=":
        return actual !== expected;
      case ":":
        return actual.toLowerCase().includes(expected.toLowerCase());
      case "=~":
        return pattern!.test(actual);
      case "!~":
        return !pattern!.test(actual);
    }
    const order = ordered(actual, expected, rank);
    if (operator === ">") return order > 0;
    if (operator === ">=") return order >= 0;
    if (operator === "<") return order < 0;
    return order <= 0;
  };
}

/** Times as instants, severities by rank, anything else as text. */
function ordered(actual: string, expected: string, rank: (value: string) => number): number {
  if (rank(actual) >= 0 && rank(expected) >= 0) return rank(actual) - rank(expected);
  const a = Date.parse(actual);
  const b = Date.parse(expected);
  if (!Number.isNaN(a) && !Number.isNaN(b) && /^\d{4}-/.test(actual) && /^\d{4}-/.test(expected)) return a - b;
  return actual < expected ? -1 : actual > expected ? 1 : 0;
}
