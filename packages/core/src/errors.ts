import { escapeControlCharacters } from "./control-characters.ts";

export { escapeControlCharacters };

/** Where in a file something was wrong: 1-based line and column. */
export interface Position {
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
}

/**
 * The one error type aigov throws on purpose. `code` is stable (for scripts and tests), the message says
 * what was wrong, `position` says where, `hint` says what to do. The CLI maps `exitCode` in one place.
 */
export class AigovError extends Error {
  readonly code: string;
  readonly position?: Position;
  readonly hint?: string;
  /** 2: could not run/judge (bad input, bad rules, bad policy). 1 is reserved for policy violations. */
  readonly exitCode: 1 | 2;

  constructor(
    code: string,
    message: string,
    options: { position?: Position; hint?: string; exitCode?: 1 | 2; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "AigovError";
    this.code = code;
    if (options.position !== undefined) this.position = options.position;
    if (options.hint !== undefined) this.hint = options.hint;
    this.exitCode = options.exitCode ?? 2;
  }

  /**
   * `file:line:column: message` and a hint line, the form editors and CI logs turn into links. Messages quote
   * values from outside (a file name, a field of a request), so their control characters are escaped: an error
   * never writes a line of its own making.
   */
  format(): string {
    const where = this.position ? `${escapeControlCharacters(formatPosition(this.position))}: ` : "";
    const hint = this.hint ? `\n  hint: ${escapeControlCharacters(this.hint)}` : "";
    return `${where}${escapeControlCharacters(this.message)}${hint}`;
  }
}

export function formatPosition(position: Position): string {
  if (position.line === undefined) return position.file;
  return position.column === undefined
    ? `${position.file}:${position.line}`
    : `${position.file}:${position.line}:${position.column}`;
}

/** What users are told for the file-system errors they meet; other codes keep the system's own description. */
const FILE_ERROR_REASONS: Readonly<Record<string, string>> = {
  ENOENT: "no such file or directory",
  EACCES: "permission denied",
  EPERM: "permission denied",
  EISDIR: "it is a directory, not a file",
  ENOTDIR: "a part of its path is a file, not a directory",
  ELOOP: "too many symbolic links",
  EMFILE: "too many open files",
};

/**
 * A file-system error as the reason a person reads ("no such file or directory"), not Node's code or its message,
 * which repeats the path and the system call ("ENOENT: no such file or directory, stat '/x'").
 */
export function fileErrorReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const known = code === undefined ? undefined : FILE_ERROR_REASONS[code];
  if (known !== undefined) return known;
  const message = error instanceof Error ? error.message : String(error);
  return /^E[A-Z]+: ([^,]+),/.exec(message)?.[1] ?? message;
}

export function isAigovError(error: unknown): error is AigovError {
  return error instanceof AigovError;
}
