import type { Style, Terminal } from "./terminal.ts";
import { wrapLine } from "./text-wrap.ts";

/** The words every table (gate, findings, inventory, logs, sweep) uses for a severity or a state, with their colour. */
const WORD_STYLES: Readonly<Record<string, Style>> = {
  critical: ["bold", "red"],
  high: "red",
  medium: "yellow",
  low: "cyan",
  info: "dim",
  block: ["bold", "red"],
  warn: "yellow",
  pass: "green",
  new: ["bold", "yellow"],
  reopened: ["bold", "red"],
  open: "yellow",
  waived: "dim",
  resolved: "green",
  unknown: "magenta",
  existing: "dim",
};

/** Columns whose cells are such words. */
const WORD_COLUMNS = new Set(["SEVERITY", "STATUS", "STATE"]);

/** Columns of prose, narrowed before the identifiers a reader copies (addresses, rule ids, accounts). */
const PROSE_COLUMNS = new Set(["WHY", "FIX", "MESSAGE", "TITLE", "SUBJECT", "NAME", "TYPE", "MODELS / KEY"]);

/** Columns never narrower than this when a table is fitted (or their widest cell, when narrower). */
const MIN_COLUMN = 8;

/** How a table gives way on a narrow terminal. */
export interface TableLayout {
  /** Spaces before every line. */
  readonly indent?: number;
  /**
   * Columns moved under their row, labelled, in this order, while the row is too wide to show every cell whole: an
   * address cut at its end is no longer the address (two deployments of one module differ only there).
   */
  readonly fold?: readonly string[];
}

/** A folded cell this short shares its line with its neighbours. */
const SHORT_CELL = 40;

/**
 * A plain-text table for terminals and CI logs: columns padded to their widest cell, the last column left ragged.
 * On a terminal the columns of `layout.fold` move under their row, whole, while the row is too wide to show every
 * cell whole; then, if it still does not fit, the widest columns are narrowed, their cells cut with "…" (the full
 * text is in `--format json`). Severity and state words are coloured.
 */
export function renderTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  terminal?: Pick<Terminal, "paint" | "width">,
  layout: TableLayout = {},
): string {
  const indent = layout.indent ?? 0;
  const natural = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length)),
  );
  const folded = terminal?.width === undefined ? [] : foldedColumns(header, natural, terminal.width - indent, layout);
  const inline = header.map((_, column) => column).filter((column) => !folded.includes(column));
  const available = (terminal?.width ?? 0) - indent - 2 * (inline.length - 1);
  const inlineHeader = inline.map((column) => header[column]!);
  const inlineNatural = inline.map((column) => natural[column]!);
  // Prose is narrowed first; identifiers only when prose alone cannot make the table fit.
  const widths =
    terminal?.width === undefined
      ? inlineNatural
      : fitWidths(
          fitWidths(inlineNatural, inlineHeader, available, (title) => PROSE_COLUMNS.has(title)),
          inlineHeader,
          available,
        );
  const words = inlineHeader.map((title) => WORD_COLUMNS.has(title));
  const line = (row: readonly string[], isHeader: boolean): string =>
    " ".repeat(indent) +
    inline
      .map((source, column) => {
        const raw = row[source] ?? "";
        const cell = cut(raw, widths[column]!);
        const padded = column === inline.length - 1 ? cell : cell.padEnd(widths[column]!);
        if (terminal === undefined) return padded;
        if (isHeader) return terminal.paint("bold", padded);
        const style = words[column] ? WORD_STYLES[raw.toLowerCase()] : undefined;
        return style === undefined ? padded : terminal.paint(style, padded);
      })
      .join("  ")
      .trimEnd();
  // Folded cells under their row as "label: text", short ones side by side (prose gets its own line), a long one
  // wrapped under its text.
  const under = " ".repeat(indent + 4);
  const room = (terminal?.width ?? 0) - under.length;
  const foldedLines = (row: readonly string[]): string[] => {
    const lines: string[] = [];
    let packed = "";
    for (const column of folded) {
      const text = (row[column] ?? "").replace(/\s+/g, " ").trim();
      if (text === "") continue;
      const label = `${header[column]!.toLowerCase()}:`;
      const pair = `${label} ${text}`;
      const short = text.length <= SHORT_CELL;
      if (short && packed !== "" && packed.length + 2 + pair.length <= room) {
        packed = `${packed}  ${pair}`;
        continue;
      }
      if (packed !== "") lines.push(packed);
      packed = "";
      if (short && pair.length <= room) packed = pair;
      else {
        const parts = wrapLine(text, Math.max(20, room - label.length - 1));
        lines.push(`${label} ${parts[0]}`, ...parts.slice(1).map((part) => `${" ".repeat(label.length + 1)}${part}`));
      }
    }
    if (packed !== "") lines.push(packed);
    return lines.map((text) => `${under}${text}`);
  };
  return [line(header, true), ...rows.flatMap((row) => [line(row, false), ...foldedLines(row)])].join("\n");
}

/** The columns of `layout.fold` that must move under their row for the rest to show whole in `width`, in table order. */
function foldedColumns(
  header: readonly string[],
  natural: readonly number[],
  width: number,
  layout: TableLayout,
): number[] {
  const foldable = (layout.fold ?? []).map((title) => header.indexOf(title)).filter((column) => column >= 0);
  const folded: number[] = [];
  const needed = () =>
    natural.reduce((sum, columnWidth, column) => (folded.includes(column) ? sum : sum + columnWidth + 2), -2);
  for (const column of foldable) {
    if (needed() <= width) break;
    folded.push(column);
  }
  // Under the row they read in the table's order.
  return folded.sort((a, b) => a - b);
}

/**
 * Narrows the widest columns to one common cap, the largest that fits `available` (water-filling): narrow columns
 * keep their width, so a table of short ids and one long message gives the message what is left.
 */
function fitWidths(
  natural: readonly number[],
  header: readonly string[],
  available: number,
  narrowed: (title: string) => boolean = () => true,
): number[] {
  const floor = natural.map((width, column) =>
    narrowed(header[column]!) ? Math.min(width, Math.max(MIN_COLUMN, header[column]!.length)) : width,
  );
  const total = (cap: number) =>
    natural.reduce((sum, width, column) => sum + Math.max(floor[column]!, Math.min(width, cap)), 0);
  if (total(Number.POSITIVE_INFINITY) <= available) return [...natural];
  let low = 0;
  let high = Math.max(...natural);
  while (low < high) {
    const cap = Math.ceil((low + high) / 2);
    if (total(cap) <= available) low = cap;
    else high = cap - 1;
  }
  const widths = natural.map((width, column) => Math.max(floor[column]!, Math.min(width, low)));
  // Columns left under the cap by rounding get the remaining columns, widest first.
  let spare = available - widths.reduce((sum, width) => sum + width, 0);
  for (let column = 0; spare > 0 && column < widths.length; column++) {
    const more = Math.min(spare, natural[column]! - widths[column]!);
    widths[column]! += more;
    spare -= more;
  }
  return widths;
}

function cut(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}
