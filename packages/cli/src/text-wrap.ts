// Colour sequences take no room on the screen.
const ANSI = /\x1b\[[0-9;]*m/g;

/** The columns `text` takes on a terminal: its colour sequences take none. */
export function visibleLength(text: string): number {
  return text.replace(ANSI, "").length;
}

/** Paragraphs (separated by blank lines) re-flowed to `width`; lines starting with a space are kept as written. */
export function wrap(text: string, width: number): string {
  return text
    .split(/\n{2,}/)
    .map((paragraph) =>
      /^\s/m.test(paragraph) ? paragraph : wrapLine(paragraph.replace(/\s*\n\s*/g, " "), width).join("\n"),
    )
    .join("\n\n");
}

/** Words to lines of at most `width` columns; a word longer than a line is broken where the line ends. */
export function wrapLine(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (let word of text.split(" ")) {
    if (line !== "" && visibleLength(line) + 1 + visibleLength(word) > width) {
      lines.push(line);
      line = "";
    }
    while (line === "" && visibleLength(word) > width && !word.includes("\x1b[")) {
      lines.push(word.slice(0, width));
      word = word.slice(width);
    }
    line = line === "" ? word : `${line} ${word}`;
  }
  if (line !== "") lines.push(line);
  return lines;
}

/**
 * Every line of `text` within `width` columns (a terminal's), a long line continued under itself with a hanging
 * indent; unchanged when there is no width (a pipe or a file keeps whole lines for grep).
 */
export function fitText(text: string, width: number | undefined): string {
  if (width === undefined) return text;
  return text
    .split("\n")
    .flatMap((line) => {
      if (visibleLength(line) <= width) return [line];
      const indent = /^ */.exec(line)![0];
      const hanging = `${indent}    `;
      return wrapLine(line.slice(indent.length), Math.max(20, width - hanging.length)).map((part, index) =>
        index === 0 ? `${indent}${part}` : `${hanging}${part}`,
      );
    })
    .join("\n");
}
