/**
 * C0 controls (CR, LF, TAB …), DEL and C1 controls. In a line-oriented format (one record per line, or a syslog
 * message a collector frames by newline) any of them can split a record or corrupt a terminal, so every field of
 * CEF and syslog passes through here.
 */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/** The text with every control character replaced by `replacement` (a space unless given). */
export function replaceControlChars(value: string, replacement = " "): string {
  return value.replace(CONTROL, replacement);
}
