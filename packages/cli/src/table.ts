import type { Style, Terminal } from "./terminal.ts";

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

/**
 * A plain-text table for terminals and CI logs: columns padded to their widest cell, the last column left ragged.
 * On a terminal the widest columns are narrowed until the table fits its width, their cells cut with "…" (the full
 * text is in `--format json`), and severity and state words are coloured.
 */
export function renderTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  terminal?: Pick<Terminal, "paint" | "width">,
  indent = 0,
): string {
  const natural = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length)),
  );
  const available = (terminal?.width ?? 0) - indent - 2 * (header.length - 1);
  // Prose is narrowed first; identifiers only when prose alone cannot make the table fit.
  const widths =
    terminal?.width === undefined
      ? natural
      : fitWidths(
          fitWidths(natural, header, available, (title) => PROSE_COLUMNS.has(title)),
          header,
          available,
        );
  const words = header.map((title) => WORD_COLUMNS.has(title));
  const line = (cells: readonly string[], isHeader: boolean): string =>
    " ".repeat(indent) +
    cells
      .map((raw, column) => {
        const cell = cut(raw, widths[column]!);
        const padded = column === cells.length - 1 ? cell : cell.padEnd(widths[column]!);
        if (terminal === undefined) return padded;
        if (isHeader) return terminal.paint("bold", padded);
        const style = words[column] ? WORD_STYLES[raw.toLowerCase()] : undefined;
        return style === undefined ? padded : terminal.paint(style, padded);
      })
      .join("  ")
      .trimEnd();
  return [line(header, true), ...rows.map((row) => line(row, false))].join("\n");
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
