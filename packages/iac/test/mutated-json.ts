import fc from "fast-check";

/** Characters that make JSON, break it, or need care in it (escapes, controls, raw non-ASCII, a surrogate pair). */
export const JSON_EDIT_CHARACTERS = '{}[]:,"\\ \n0123456789-+.eEtrufalsn\u0000\u001fxé\ud83d\ude00'.split("");

export interface JsonEdit {
  readonly at: number;
  readonly remove: number;
  readonly insert: string;
}

/** Up to three edits of a document's text, each removing up to three characters and inserting up to three. */
export function jsonEdits(alphabet: fc.Arbitrary<string>, minLength = 0): fc.Arbitrary<JsonEdit[]> {
  return fc.array(
    fc.record({ at: fc.nat(), remove: fc.nat({ max: 3 }), insert: fc.string({ unit: alphabet, maxLength: 3 }) }),
    { minLength, maxLength: 3 },
  );
}

/** The text with the edits made in turn, each at its offset modulo the text's length then. */
export function applyEdits(text: string, edits: readonly JsonEdit[]): string {
  let edited = text;
  for (const edit of edits) {
    const at = edit.at % (edited.length + 1);
    edited = edited.slice(0, at) + edit.insert + edited.slice(at + edit.remove);
  }
  return edited;
}
