// Control characters, line and paragraph separators and bidirectional overrides: in a value written to a log line
// they would end the line (CR, LF: a forged "run-task result … passed" line), rewrite the terminal (ESC), or make
// text read differently from its bytes (U+202E).
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Readonly<Record<string, string>> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/**
 * A value from outside (a workspace name, a file name, an error a server sent back) made safe to put in one log
 * line: each control character is written as an escape (`\n`, `\r`, `\t`, `\x1b`, `\u202e`), everything else is
 * kept. The one function every log line aigov writes uses for such values.
 */
export function escapeControlCharacters(value: string): string {
  return value.replace(CONTROL, (char) => {
    const named = NAMED[char];
    if (named !== undefined) return named;
    const code = char.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}
