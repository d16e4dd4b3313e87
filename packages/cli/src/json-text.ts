/** Pieces are handed on once they reach this size. */
const PIECE_CHARS = 64 * 1024;

/** Levels walked here; below them each value is one JSON.stringify call. Results keep their long lists up here. */
const WALKED_LEVELS = 2;

/**
 * The text of `JSON.stringify(value, null, 2)`, in pieces of about 64 KiB. A large result (the gate's thousands of
 * findings) is then written without first building one string of megabytes and its copy as bytes: that memory,
 * fresh from the system, costs more than the formatting.
 */
export function* jsonPieces(value: unknown): Generator<string> {
  let piece = "";
  for (const text of jsonParts(value, "", 0)) {
    piece += text;
    if (piece.length >= PIECE_CHARS) {
      yield piece;
      piece = "";
    }
  }
  if (piece !== "") yield piece;
}

function* jsonParts(value: unknown, indent: string, level: number): Generator<string> {
  const inner = `${indent}  `;
  if (level < WALKED_LEVELS && Array.isArray(value) && value.length > 0) {
    yield "[\n";
    for (let index = 0; index < value.length; index++) {
      yield inner;
      // As JSON.stringify: what JSON cannot hold is null in a list.
      if (isOmitted(value[index])) yield "null";
      else yield* jsonParts(value[index], inner, level + 1);
      yield index < value.length - 1 ? ",\n" : "\n";
    }
    yield `${indent}]`;
    return;
  }
  if (level < WALKED_LEVELS && isPlainObject(value)) {
    // As JSON.stringify: what JSON cannot hold is left out of an object.
    const keys = Object.keys(value).filter((key) => !isOmitted(value[key]));
    if (keys.length > 0) {
      yield "{\n";
      for (const [index, key] of keys.entries()) {
        yield `${inner}${JSON.stringify(key)}: `;
        yield* jsonParts(value[key], inner, level + 1);
        yield index < keys.length - 1 ? ",\n" : "\n";
      }
      yield `${indent}}`;
      return;
    }
  }
  // JSON text holds no raw line breaks inside strings, so every one in it starts an indented line.
  const text = JSON.stringify(value, null, 2) as string | undefined;
  yield indent === "" || text === undefined ? String(text) : text.replaceAll("\n", `\n${indent}`);
}

function isOmitted(value: unknown): boolean {
  return value === undefined || typeof value === "function" || typeof value === "symbol";
}

/** Objects JSON.stringify writes as their own enumerable keys (no toJSON, no boxed primitive). */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return (
    (prototype === Object.prototype || prototype === null) &&
    typeof (value as { toJSON?: unknown }).toJSON !== "function"
  );
}
