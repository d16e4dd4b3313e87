/** Paragraphs (separated by blank lines) re-flowed to `width`; lines starting with a space are kept as written. */
export function wrap(text: string, width: number): string {
  return text
    .split(/\n{2,}/)
    .map((paragraph) =>
      /^\s/m.test(paragraph) ? paragraph : wrapLine(paragraph.replace(/\s*\n\s*/g, " "), width).join("\n"),
    )
    .join("\n\n");
}

export function wrapLine(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line !== "" && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === "" ? word : `${line} ${word}`;
  }
  if (line !== "") lines.push(line);
  return lines;
}
