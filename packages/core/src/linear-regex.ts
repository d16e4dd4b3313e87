import { AigovError } from "./errors.ts";

/**
 * The `matches` operator's regular expressions run on this small Thompson-NFA engine (run as a lazily built DFA,
 * without captures) instead of V8's backtracking one, so a rule can never hang a sweep: matching is O(text × pattern) for every
 * pattern, `(a+)+$` included. It supports what rules need — literals, `.`, classes `[a-z\d_]`, `\d \w \s` and their
 * negations, groups `( )` `(?: )`, alternation, `* + ? {n} {n,} {n,m}` (lazy forms accepted), anchors `^ $`, and a
 * leading `(?i)` for case-insensitive — and refuses backreferences and lookaround, which no linear engine can run.
 */
export interface LinearRegex {
  readonly source: string;
  test(text: string): boolean;
}

type CharTest = (code: number) => boolean;
type Node =
  | { readonly type: "char"; readonly test: CharTest }
  | { readonly type: "seq"; readonly items: readonly Node[] }
  | { readonly type: "alt"; readonly options: readonly Node[] }
  | { readonly type: "repeat"; readonly node: Node; readonly min: number; readonly max: number }
  | { readonly type: "start" }
  | { readonly type: "end" };

type Instruction =
  | { op: "char"; test: CharTest }
  | { op: "split"; x: number; y: number }
  | { op: "jmp"; x: number }
  | { op: "start" }
  | { op: "end" }
  | { op: "match" };

/** Instructions a compiled pattern may have: matching costs text length × this, per subject, in every sweep. */
const MAX_PROGRAM = 20_000;
/** How much of a pattern an error quotes: enough to find it in the rule file, never a 40 KB line. */
const QUOTED_PATTERN_CHARS = 60;

export class RegexSyntaxError extends AigovError {
  constructor(
    pattern: string,
    message: string,
    hint = "rules use a linear-time regex subset: no backreferences or lookaround",
  ) {
    super("REGEX_INVALID", `regular expression ${quotePattern(pattern)}: ${message}`, { hint });
  }
}

function quotePattern(pattern: string): string {
  if (pattern.length <= QUOTED_PATTERN_CHARS + 20) return JSON.stringify(pattern);
  return `${JSON.stringify(pattern.slice(0, QUOTED_PATTERN_CHARS))}… (${pattern.length.toLocaleString("en")} characters)`;
}

export function compileLinearRegex(pattern: string): LinearRegex {
  let body = pattern;
  let ignoreCase = false;
  if (body.startsWith("(?i)")) {
    ignoreCase = true;
    body = body.slice(4);
  }
  const parser = new Parser(pattern, body, ignoreCase);
  const ast = parser.parse();
  refuseOversized(ast, pattern);
  const program: Instruction[] = [];
  emit(ast, program);
  program.push({ op: "match" });
  const dfa = new LazyDfa(program);
  return { source: pattern, test: (text) => dfa.test(text) };
}

class Parser {
  private index = 0;
  private readonly pattern: string;
  private readonly body: string;
  private readonly ignoreCase: boolean;

  constructor(pattern: string, body: string, ignoreCase: boolean) {
    this.pattern = pattern;
    this.body = body;
    this.ignoreCase = ignoreCase;
  }

  parse(): Node {
    const node = this.alternation();
    if (this.index < this.body.length) this.fail(`unexpected '${this.body[this.index]}'`);
    return node;
  }

  private fail(message: string): never {
    throw new RegexSyntaxError(this.pattern, `${message} at position ${this.index}`);
  }

  private alternation(): Node {
    const options = [this.sequence()];
    while (this.body[this.index] === "|") {
      this.index++;
      options.push(this.sequence());
    }
    return options.length === 1 ? options[0]! : { type: "alt", options };
  }

  private sequence(): Node {
    const items: Node[] = [];
    while (this.index < this.body.length && this.body[this.index] !== "|" && this.body[this.index] !== ")") {
      items.push(this.quantified(this.atom()));
    }
    return { type: "seq", items };
  }

  private quantified(node: Node): Node {
    const c = this.body[this.index];
    let min: number;
    let max: number;
    if (c === "*") [min, max] = [0, Number.POSITIVE_INFINITY];
    else if (c === "+") [min, max] = [1, Number.POSITIVE_INFINITY];
    else if (c === "?") [min, max] = [0, 1];
    else if (c === "{") {
      const match = /^\{(\d+)(,(\d*))?\}/.exec(this.body.slice(this.index));
      if (match === null) return node;
      min = Number(match[1]);
      max = match[2] === undefined ? min : match[3] === "" ? Number.POSITIVE_INFINITY : Number(match[3]);
      if (max < min) this.fail("quantifier {n,m} with m < n");
      this.index += match[0].length - 1;
    } else return node;
    this.index++;
    if (this.body[this.index] === "?") this.index++;
    if (node.type === "start" || node.type === "end") this.fail("quantified anchor");
    if (/[*+?{]/.test(this.body[this.index] ?? "")) this.fail("nothing to repeat");
    return { type: "repeat", node, min, max };
  }

  private atom(): Node {
    const c = this.body[this.index++]!;
    switch (c) {
      case "^":
        return { type: "start" };
      case "$":
        return { type: "end" };
      case ".":
        return { type: "char", test: (code) => code !== 10 && code !== 13 };
      case "(": {
        if (this.body[this.index] === "?") {
          const rest = this.body.slice(this.index);
          if (rest.startsWith("?:")) this.index += 2;
          else if (/^\?<[A-Za-z_]\w*>/.test(rest)) this.index = this.body.indexOf(">", this.index) + 1;
          else this.fail("lookaround and inline flags are not supported");
        }
        const inner = this.alternation();
        if (this.body[this.index] !== ")") this.fail("missing ')'");
        this.index++;
        return inner;
      }
      case ")":
        this.fail("unmatched ')'");
        break;
      case "[":
        return this.charClass();
      case "\\":
        return { type: "char", test: this.caseFold(this.escape(false)) };
      case "*":
      case "+":
      case "?":
        this.fail(`nothing to repeat before '${c}'`);
        break;
    }
    return { type: "char", test: this.caseFold(literal(c.charCodeAt(0))) };
  }

  private escape(inClass: boolean): CharTest {
    const c = this.body[this.index++];
    if (c === undefined) this.fail("pattern ends with '\\'");
    switch (c) {
      case "d":
        return isDigit;
      case "D":
        return (code) => !isDigit(code);
      case "w":
        return isWord;
      case "W":
        return (code) => !isWord(code);
      case "s":
        return isSpace;
      case "S":
        return (code) => !isSpace(code);
      case "t":
        return literal(9);
      case "n":
        return literal(10);
      case "r":
        return literal(13);
      case "b":
      case "B":
        if (!inClass) this.fail("word boundaries are not supported");
        return literal(8);
      case "u": {
        const hex = /^[0-9a-fA-F]{4}/.exec(this.body.slice(this.index));
        if (hex === null) this.fail("\\u needs 4 hex digits");
        this.index += 4;
        return literal(Number.parseInt(hex[0], 16));
      }
      case "x": {
        const hex = /^[0-9a-fA-F]{2}/.exec(this.body.slice(this.index));
        if (hex === null) this.fail("\\x needs 2 hex digits");
        this.index += 2;
        return literal(Number.parseInt(hex[0], 16));
      }
      case "k":
        return this.fail("backreferences are not supported");
    }
    if (/[1-9]/.test(c)) this.fail("backreferences are not supported");
    if (/[A-Za-z0-9]/.test(c)) this.fail(`unknown escape '\\${c}'`);
    return literal(c.charCodeAt(0));
  }

  private charClass(): Node {
    const negate = this.body[this.index] === "^";
    if (negate) this.index++;
    const tests: CharTest[] = [];
    let first = true;
    while (this.index < this.body.length && (this.body[this.index] !== "]" || first)) {
      first = false;
      const start = this.classAtom();
      if (this.body[this.index] === "-" && this.body[this.index + 1] !== "]" && this.index + 1 < this.body.length) {
        this.index++;
        const end = this.classAtom();
        if (start.code === undefined || end.code === undefined) this.fail("a range needs single characters");
        const [low, high] = [start.code, end.code];
        if (high < low) this.fail("range out of order");
        tests.push((code) => code >= low && code <= high);
      } else tests.push(start.test);
    }
    if (this.body[this.index] !== "]") this.fail("missing ']'");
    this.index++;
    const member: CharTest = (code) => tests.some((test) => test(code));
    const folded = this.caseFold(member);
    return { type: "char", test: negate ? (code) => !folded(code) : folded };
  }

  private classAtom(): { test: CharTest; code?: number } {
    const c = this.body[this.index++]!;
    if (c !== "\\") return { test: literal(c.charCodeAt(0)), code: c.charCodeAt(0) };
    const test = this.escape(true);
    const code = (test as { code?: number }).code;
    return code === undefined ? { test } : { test, code };
  }

  private caseFold(test: CharTest): CharTest {
    if (!this.ignoreCase) return test;
    return (code) => {
      if (test(code)) return true;
      const char = String.fromCharCode(code);
      return test(char.toLowerCase().charCodeAt(0)) || test(char.toUpperCase().charCodeAt(0));
    };
  }
}

/** A single-character test that remembers its character, so class ranges like `[\x20-\x7e]` can read it. */
const literal = (expected: number): CharTest => Object.assign((code: number) => code === expected, { code: expected });
const isDigit: CharTest = (code) => code >= 48 && code <= 57;
const isWord: CharTest = (code) =>
  isDigit(code) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
const isSpace: CharTest = (code) => code === 32 || (code >= 9 && code <= 13) || code === 160 || code === 0xfeff;

/**
 * Refuses, before anything is built, a pattern whose program would pass MAX_PROGRAM, naming what makes it large:
 * many alternatives, or counted repetitions (`{n,m}` is copied out n..m times).
 */
function refuseOversized(ast: Node, pattern: string): void {
  const size = programSize(ast);
  if (size <= MAX_PROGRAM) return;
  const shape = { alternatives: 0, countedRepetitions: false };
  measureShape(ast, shape);
  const causes = [
    ...(shape.alternatives > 1 ? [`${shape.alternatives.toLocaleString("en")} alternatives`] : []),
    ...(shape.countedRepetitions ? ["counted repetitions ({n,m} is copied out up to m times)"] : []),
  ];
  const amount = Number.isFinite(size) ? size.toLocaleString("en") : "an unbounded number of";
  throw new RegexSyntaxError(
    pattern,
    `refused for size: it compiles to ${amount} instructions, over the limit of ${MAX_PROGRAM.toLocaleString("en")}${causes.length === 0 ? "" : ` (${causes.join(" and ")})`}`,
    "match a long list of values with `in` or `glob` (both take a list) or a $policy parameter; keep patterns short",
  );
}

/** The number of instructions `emit` would produce (saturating at Infinity, never allocating). */
function programSize(node: Node): number {
  switch (node.type) {
    case "char":
    case "start":
    case "end":
      return 1;
    case "seq":
      return node.items.reduce((sum, item) => sum + programSize(item), 0);
    case "alt":
      return node.options.reduce((sum, option) => sum + programSize(option), 0) + 2 * (node.options.length - 1);
    case "repeat": {
      const inner = programSize(node.node);
      const optional = node.max === Number.POSITIVE_INFINITY ? inner + 2 : (node.max - node.min) * (inner + 1);
      return node.min * inner + optional;
    }
  }
}

function measureShape(node: Node, shape: { alternatives: number; countedRepetitions: boolean }): void {
  switch (node.type) {
    case "seq":
      for (const item of node.items) measureShape(item, shape);
      return;
    case "alt":
      shape.alternatives += node.options.length;
      for (const option of node.options) measureShape(option, shape);
      return;
    case "repeat":
      if (node.min > 1 || (node.max !== Number.POSITIVE_INFINITY && node.max > 1)) shape.countedRepetitions = true;
      measureShape(node.node, shape);
      return;
    default:
      return;
  }
}

function emit(node: Node, program: Instruction[]): void {
  switch (node.type) {
    case "char":
      program.push({ op: "char", test: node.test });
      return;
    case "start":
    case "end":
      program.push({ op: node.type });
      return;
    case "seq":
      for (const item of node.items) emit(item, program);
      return;
    case "alt": {
      const jumps: Extract<Instruction, { op: "jmp" }>[] = [];
      node.options.forEach((option, index) => {
        if (index < node.options.length - 1) {
          const split: Extract<Instruction, { op: "split" }> = { op: "split", x: program.length + 1, y: -1 };
          program.push(split);
          emit(option, program);
          const jump: Extract<Instruction, { op: "jmp" }> = { op: "jmp", x: -1 };
          program.push(jump);
          jumps.push(jump);
          split.y = program.length;
        } else emit(option, program);
      });
      for (const jump of jumps) jump.x = program.length;
      return;
    }
    case "repeat": {
      for (let i = 0; i < node.min; i++) emit(node.node, program);
      if (node.max === Number.POSITIVE_INFINITY) {
        const loop = program.length;
        const split: Extract<Instruction, { op: "split" }> = { op: "split", x: loop + 1, y: -1 };
        program.push(split);
        emit(node.node, program);
        program.push({ op: "jmp", x: loop });
        split.y = program.length;
        return;
      }
      const splits: Extract<Instruction, { op: "split" }>[] = [];
      for (let i = node.min; i < node.max; i++) {
        const split: Extract<Instruction, { op: "split" }> = { op: "split", x: program.length + 1, y: -1 };
        program.push(split);
        splits.push(split);
        emit(node.node, program);
      }
      for (const split of splits) split.y = program.length;
      return;
    }
  }
}

/** DFA states a pattern caches; past this, steps are worked out afresh each time (still linear, only slower). */
const MAX_CACHED_STATES = 256;
const ASCII = 128;

/**
 * What the NFA's threads are doing after some text: the `char` instructions they wait at (sorted, each once), and
 * whether one reached `match`. Steps from a remembered state are remembered too, as texts are read, so each (state,
 * character) pair is worked out once per pattern: a rule's regex costs one table lookup per character it reads.
 */
interface DfaState {
  readonly threads: readonly number[];
  readonly matched: boolean;
  /** Present while the pattern remembers the state (until its cache is full). */
  readonly steps?: DfaSteps;
}

interface DfaSteps {
  /** The state after a character that is not the text's last, by character code (ASCII; the others in `beyondAscii`). */
  readonly next: (DfaState | undefined)[];
  readonly beyondAscii: Map<number, DfaState>;
  /** Whether the text matches when it ends with this character: by code, 0 not worked out, 1 no, 2 yes. */
  readonly lastMatches: Uint8Array;
  readonly lastMatchesBeyondAscii: Map<number, 1 | 2>;
}

/**
 * The NFA run as a lazily built DFA (the subset construction, one state at a time, as RE2 does): all threads advance
 * together one character at a time, a new thread starts at every position (the pattern is unanchored unless it says
 * `^`), and each set of threads met is remembered with its steps. Worst case, with the cache full, each character costs
 * one pass over the program, as a Pike VM's does.
 */
class LazyDfa {
  private readonly program: readonly Instruction[];
  private readonly states = new Map<string, DfaState>();
  /** Per instruction, the last closure that visited it (closures number themselves), so none is visited twice. */
  private readonly visited: Int32Array;
  private closures = 0;
  private readonly start: DfaState;
  private readonly emptyTextMatches: boolean;
  /** A thread started past the first character can still match (no `^` in its way): a state without threads is not dead. */
  private readonly restartLives: boolean;

  constructor(program: readonly Instruction[]) {
    this.program = program;
    this.visited = new Int32Array(program.length);
    this.start = this.state([0], true, false);
    this.emptyTextMatches = this.closure([0], true, true).matched;
    const restart = this.closure([0], false, false);
    this.restartLives = restart.matched || restart.threads.length > 0 || this.closure([0], false, true).matched;
  }

  test(text: string): boolean {
    if (text.length === 0) return this.emptyTextMatches;
    let state = this.start;
    const last = text.length - 1;
    for (let position = 0; position < last; position++) {
      if (state.matched) return true;
      if (state.threads.length === 0 && !this.restartLives) return false;
      state = this.step(state, text.charCodeAt(position));
    }
    return state.matched || this.lastMatches(state, text.charCodeAt(last));
  }

  private step(from: DfaState, code: number): DfaState {
    const steps = from.steps;
    const known = steps === undefined ? undefined : code < ASCII ? steps.next[code] : steps.beyondAscii.get(code);
    if (known !== undefined) return known;
    const to = this.state(this.advance(from, code), false, false);
    if (steps !== undefined && to.steps !== undefined) {
      if (code < ASCII) steps.next[code] = to;
      else steps.beyondAscii.set(code, to);
    }
    return to;
  }

  private lastMatches(from: DfaState, code: number): boolean {
    const steps = from.steps;
    const known =
      steps === undefined ? 0 : code < ASCII ? steps.lastMatches[code] : (steps.lastMatchesBeyondAscii.get(code) ?? 0);
    if (known !== 0) return known === 2;
    const matched = this.closure(this.advance(from, code), false, true).matched;
    if (steps !== undefined) {
      if (code < ASCII) steps.lastMatches[code] = matched ? 2 : 1;
      else steps.lastMatchesBeyondAscii.set(code, matched ? 2 : 1);
    }
    return matched;
  }

  /** The instructions threads reach by consuming `code`, plus a new thread at the start of the program. */
  private advance(from: DfaState, code: number): number[] {
    const seeds: number[] = [];
    for (const pc of from.threads) {
      if ((this.program[pc] as Extract<Instruction, { op: "char" }>).test(code)) seeds.push(pc + 1);
    }
    seeds.push(0);
    return seeds;
  }

  /** The state for a closure: the one already met with the same threads, or a new one (remembered while there is room). */
  private state(seeds: readonly number[], atStart: boolean, atEnd: boolean): DfaState {
    const { threads, matched } = this.closure(seeds, atStart, atEnd);
    const key = matched ? "match" : threads.join(",");
    const known = this.states.get(key);
    if (known !== undefined) return known;
    if (this.states.size >= MAX_CACHED_STATES) return { threads, matched };
    const steps: DfaSteps = {
      next: new Array<DfaState | undefined>(ASCII).fill(undefined),
      beyondAscii: new Map(),
      lastMatches: new Uint8Array(ASCII),
      lastMatchesBeyondAscii: new Map(),
    };
    const state: DfaState = { threads, matched, steps };
    this.states.set(key, state);
    return state;
  }

  /** Follows jumps, splits and anchors from `seeds` to the `char` instructions threads wait at, and `match`. */
  private closure(
    seeds: readonly number[],
    atStart: boolean,
    atEnd: boolean,
  ): { threads: readonly number[]; matched: boolean } {
    if (this.closures === 0x7fffffff) {
      this.visited.fill(0);
      this.closures = 0;
    }
    const mark = ++this.closures;
    const threads: number[] = [];
    const pending = [...seeds];
    let matched = false;
    while (pending.length > 0) {
      const pc = pending.pop()!;
      if (this.visited[pc] === mark) continue;
      this.visited[pc] = mark;
      const instruction = this.program[pc]!;
      switch (instruction.op) {
        case "jmp":
          pending.push(instruction.x);
          break;
        case "split":
          pending.push(instruction.y, instruction.x);
          break;
        case "start":
          if (atStart) pending.push(pc + 1);
          break;
        case "end":
          if (atEnd) pending.push(pc + 1);
          break;
        case "match":
          matched = true;
          break;
        case "char":
          threads.push(pc);
      }
    }
    return { threads: matched ? [] : threads.sort((a, b) => a - b), matched };
  }
}
