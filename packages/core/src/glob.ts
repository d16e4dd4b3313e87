/**
 * Glob matching for model names, regions and resource ids: `*` matches any run of characters (including `/` and
 * `:`, since ARNs and ARM ids are matched whole), `?` one character (one UTF-16 unit). A glob is compiled once into
 * its literal parts, and a text is matched by finding them left to right, each at its first place: for `*` globs
 * the first place is always a right one, so a match never backtracks and runs in O(text × pattern) at worst.
 * A value that is not a string (a rule test's subject is YAML its author wrote) is matched by a glob of stars alone.
 */
export function compileGlob(pattern: string): (text: string) => boolean {
  if (ONLY_STARS.test(pattern)) return pattern === "" ? (text) => typeof text !== "string" || text === "" : () => true;
  return compileTextGlob(pattern);
}

const ONLY_STARS = /^\**$/;

/**
 * A glob with a literal part: false for a value that is not a string. The shapes policies mostly write (`prefix*`,
 * `*suffix`, `*part*`, `prefix*suffix`, literal parts between stars) are matched by native string searches with no
 * call per part: a waiver's subject glob is tried on the subject of every finding its rule makes.
 */
function compileTextGlob(pattern: string): (text: string) => boolean {
  if (!WILDCARD.test(pattern)) return (text) => text === pattern;
  const pieces = pattern.split("*");
  if (pieces.length === 1) {
    const whole = compilePart(pattern);
    return (text) => typeof text === "string" && text.length === pattern.length && whole.isAt(text, 0);
  }
  const head = pieces[0]!;
  const tail = pieces[pieces.length - 1]!;
  const middle = pieces.slice(1, -1).filter((piece) => piece !== "");
  const shortest = head.length + tail.length + middle.reduce((sum, piece) => sum + piece.length, 0);
  if (!pattern.includes("?")) {
    if (middle.length === 0) {
      if (tail === "") return (text) => typeof text === "string" && text.startsWith(head);
      if (head === "") return (text) => typeof text === "string" && text.endsWith(tail);
      return (text) =>
        typeof text === "string" && text.length >= shortest && text.startsWith(head) && text.endsWith(tail);
    }
    if (middle.length === 1 && head === "" && tail === "") {
      const part = middle[0]!;
      return (text) => typeof text === "string" && text.includes(part);
    }
    // The longest literal part is looked for first: a text without it (most texts a policy's glob is tried on) is
    // refused by one search. A text starting otherwise than the head (a short name under an ARN glob) is refused by
    // its first unit before that; the head is compared whole only on a text holding the longest part, as comparing
    // it unit by unit costs about half the search (an ARN glob's `arn:aws:` head is on every AWS id).
    const rarest = middle.reduce((longest, piece) => (piece.length > longest.length ? piece : longest));
    const headStart = head === "" ? -1 : head.charCodeAt(0);
    // A tail longer than every middle part (`arn:aws:sagemaker:*:*:model/name`, whose middle is a `:`) is compared
    // first: comparing the end of a text costs less than searching it, and refuses as many texts.
    const tailFirst = tail.length > rarest.length;
    return (text) => {
      if (typeof text !== "string" || text.length < shortest) return false;
      if (headStart !== -1 && text.charCodeAt(0) !== headStart) return false;
      if (tailFirst && !text.endsWith(tail)) return false;
      if (!text.includes(rarest, head.length) || !text.startsWith(head)) return false;
      if (!tailFirst && tail !== "" && !text.endsWith(tail)) return false;
      const end = text.length - tail.length;
      let from = head.length;
      for (const piece of middle) {
        const at = text.indexOf(piece, from);
        if (at < 0 || at + piece.length > end) return false;
        from = at + piece.length;
      }
      return true;
    };
  }
  const headPart = compilePart(head);
  const tailPart = compilePart(tail);
  const middleParts = middle.map(compilePart);
  return (text) => {
    if (typeof text !== "string" || text.length < shortest) return false;
    const end = text.length - tailPart.length;
    // The end first: the head of an ARN glob (`arn:aws:...`) is compared unit by unit past `arn:aws:` on every ARN.
    if (!tailPart.isAt(text, end) || !headPart.isAt(text, 0)) return false;
    let from = headPart.length;
    for (const part of middleParts) {
      const at = part.find(text, from, end);
      if (at < 0) return false;
      from = at + part.length;
    }
    return true;
  };
}

/**
 * compileGlob's test written as a JavaScript expression on the variable `text`, with its literal parts written in, for
 * code that calls compiled globs from many places: V8 then compiles the native string tests with their text known and
 * needs no call. The shapes policies mostly write (exact, `prefix*`, `*suffix`, `prefix*suffix`, `*part*`) are
 * written whole; a glob with more parts is written as the compiled glob's first refusals (a string, long enough,
 * holding its longest part, searched for from its unit fewest in `unitCounts`) before `call`, which calls the
 * compiled glob: most texts never reach that call; a glob with `?` is `call` alone.
 */
export function globExpression(
  pattern: string,
  text: string,
  call: string,
  unitCounts: ReadonlyMap<number, number> = new Map(),
): string {
  const literal = (value: string) => JSON.stringify(value);
  const isString = `typeof ${text} === "string"`;
  if (ONLY_STARS.test(pattern)) return pattern === "" ? `(!(${isString}) || ${text} === "")` : "true";
  if (!WILDCARD.test(pattern)) return `${text} === ${literal(pattern)}`;
  if (pattern.includes("?")) return call;
  const pieces = pattern.split("*");
  const head = pieces[0]!;
  const tail = pieces[pieces.length - 1]!;
  const middle = pieces.slice(1, -1).filter((piece) => piece !== "");
  if (middle.length === 0) {
    if (tail === "") return `(${isString} && ${text}.startsWith(${literal(head)}))`;
    if (head === "") return `(${isString} && ${text}.endsWith(${literal(tail)}))`;
    return (
      `(${isString} && ${text}.length >= ${head.length + tail.length} && ` +
      `${text}.startsWith(${literal(head)}) && ${text}.endsWith(${literal(tail)}))`
    );
  }
  if (middle.length === 1 && head === "" && tail === "")
    return `(${isString} && ${text}.includes(${literal(middle[0]!)}))`;
  // As compileTextGlob refuses a text first: shorter than its literal parts, or without its longest middle part.
  const shortest = head.length + tail.length + middle.reduce((sum, piece) => sum + piece.length, 0);
  const rarest = middle.reduce((longest, piece) => (piece.length > longest.length ? piece : longest));
  // The part is looked for from its rarest unit on (fewest in `unitCounts`, the texts of the globs written beside it):
  // a native search jumps to each place its first unit is found, and a part's first unit (`:` in an ARN glob) is
  // often in every name. A text holding the part holds that end of it, so only texts the call refuses pass.
  let from = 0;
  for (let at = 1; at < rarest.length - 1; at++)
    if ((unitCounts.get(rarest.charCodeAt(at)) ?? 0) < (unitCounts.get(rarest.charCodeAt(from)) ?? 0)) from = at;
  return (
    `(${isString} && ${text}.length >= ${shortest} && ` +
    `${text}.includes(${literal(rarest.slice(from))}, ${head.length + from}) && ${call})`
  );
}

/** Whether `pattern` matches `text` whole; for a glob matched again and again, compile it once with compileGlob. */
export function globMatch(pattern: string, text: string): boolean {
  return compileGlob(pattern)(text);
}

/**
 * One matcher for a list of globs that is matched over and over (a policy's approved models, regions, principals,
 * registry ids): names without wildcards are looked up in a set, and of the others a text tries only those that can
 * start with its first character.
 */
export function compileGlobs(patterns: readonly string[]): (text: string) => boolean {
  if (patterns.includes("*")) return () => true;
  const names = new Set(patterns.filter((pattern) => !WILDCARD.test(pattern)));
  const globs = patterns.filter((pattern) => WILDCARD.test(pattern));
  if (globs.length === 0) return (text) => names.has(text);
  const compiled = globs.map(compileGlob);
  const byFirstUnit = new Map<number, ((text: string) => boolean)[]>();
  const anyFirstUnit: ((text: string) => boolean)[] = [];
  globs.forEach((glob, index) => {
    const first = glob.charCodeAt(0);
    if (first === STAR || first === QUESTION_MARK) anyFirstUnit.push(compiled[index]!);
    else byFirstUnit.set(first, [...(byFirstUnit.get(first) ?? []), compiled[index]!]);
  });
  return (text) => {
    if (names.has(text)) return true;
    if (typeof text !== "string") return compiled.some((matches) => matches(text));
    const starting = byFirstUnit.get(text.charCodeAt(0));
    if (starting !== undefined) for (const matches of starting) if (matches(text)) return true;
    for (const matches of anyFirstUnit) if (matches(text)) return true;
    return false;
  };
}

const WILDCARD = /[*?]/;

/** A piece of a glob between its `*`s, whose `?` match any one unit. */
interface Part {
  readonly length: number;
  /** Whether the part is found in `text` at `at`. */
  isAt(text: string, at: number): boolean;
  /** The first place at or after `from` where the part is found and ends by `end`; -1 if none. */
  find(text: string, from: number, end: number): number;
}

function compilePart(part: string): Part {
  const { length } = part;
  if (!part.includes("?")) {
    return {
      length,
      isAt: (text, at) => text.startsWith(part, at),
      find(text, from, end) {
        const at = text.indexOf(part, from);
        return at < 0 || at + length > end ? -1 : at;
      },
    };
  }
  const isAt = (text: string, at: number): boolean => {
    for (let index = 0; index < length; index++) {
      const expected = part.charCodeAt(index);
      if (expected !== QUESTION_MARK && expected !== text.charCodeAt(at + index)) return false;
    }
    return true;
  };
  // A part with `?` is looked for by its longest run without one (a native search), then checked whole there.
  let anchor = "";
  let offset = 0;
  let runStart = 0;
  for (const run of part.split("?")) {
    if (run.length > anchor.length) {
      anchor = run;
      offset = runStart;
    }
    runStart += run.length + 1;
  }
  return {
    length,
    isAt,
    find(text, from, end) {
      if (anchor === "") return from + length <= end ? from : -1;
      for (let search = from + offset; ; ) {
        const found = text.indexOf(anchor, search);
        const at = found - offset;
        if (found < 0 || at + length > end) return -1;
        if (isAt(text, at)) return at;
        search = found + 1;
      }
    },
  };
}

const QUESTION_MARK = 63;
const STAR = 42;
