import { parseDuration } from "./duration.ts";
import { AigovError, isAigovError } from "./errors.ts";
import type { Evidence } from "./finding.ts";
import { compileGlobs } from "./glob.ts";
import { compileLinearRegex, type LinearRegex } from "./linear-regex.ts";
import type { Provider } from "./model.ts";
import { type Policy, policyParameter } from "./policy.ts";
import { isUnknown } from "./unknown.ts";
import type { YamlPath, YamlSource } from "./yaml-source.ts";

/** Kleene three-valued truth: false, true, unknown (numbers, because this runs millions of times a second). */
export const FALSE = 0;
export const TRUE = 1;
export const UNKNOWN = 2;
export type Truth = typeof FALSE | typeof TRUE | typeof UNKNOWN;

export interface EvalContext {
  /** Epoch ms, for older_than / newer_than. */
  readonly now: number;
  /** Which per-provider policy list a `$policy.` parameter resolves to. */
  readonly provider: Provider;
}

/**
 * A subject as rules see it: its own fields, plus the facts the policy derives (`owner`, `registered`), which are
 * worked out only when a rule reads them (see subject-view.ts).
 */
export interface SubjectView {
  readonly fields: Readonly<Record<string, unknown>>;
  /**
   * Whether the fields' prototype is Object.prototype (as for every subject made of plain data): then a field found
   * is the subject's own unless Object.prototype has a property of that name, and need not be asked about.
   */
  readonly plainFields: boolean;
  /** The field `owner`: the subject's own, else what the policy's owner tags say. */
  owner(): unknown;
  /** The field `registered`: whether the policy's AI registry names the subject. */
  registered(): unknown;
}

export interface CompiledCondition {
  /**
   * The fast path: only the truth. It is the condition's own generated code (see generatedTest), written at its first
   * call: a condition judged once (a rule test, a gate's few resources) costs little to write, and one judged a
   * million times in a sweep meets the subjects through property reads and calls that are its alone.
   */
  readonly test: Test;
  /** The subject's fields (paths) the test reads, each with its slot in a slot array (not `owner`, `registered`). */
  readonly fieldSlots: readonly FieldSlot[];
  /**
   * The test on a subject whose fields a slotReader covering fieldSlots has just read into `slots`: the same truth
   * as test. Generated at its first call, as test is.
   */
  readonly slotTest: SlotTest;
  /** The slow path for non-pass results: the truth and the fields that decided it. */
  explain(view: SubjectView, context: EvalContext): { truth: Truth; evidence: Evidence[] };
}

type Test = (view: SubjectView, context: EvalContext) => Truth;
type SlotTest = (view: SubjectView, context: EvalContext, slots: unknown[]) => Truth;

/** A field path a condition reads, and its place in a slot array: one place per path, for every condition. */
export interface FieldSlot {
  readonly path: string;
  readonly slot: number;
}

/** Reads one subject's fields (the subject itself) into their slots, and its names for waivers into `names`. */
export type SlotReader = (fields: Readonly<Record<string, unknown>>, slots: unknown[], names: unknown[]) => void;

const slotsByPath = new Map<string, FieldSlot>();

function fieldSlot(path: string): FieldSlot {
  let found = slotsByPath.get(path);
  if (found === undefined) {
    found = { path, slot: slotsByPath.size };
    slotsByPath.set(path, found);
  }
  return found;
}

/**
 * Reads the fields at `fieldSlots` of one subject into their slots, as a condition's test would read them; undefined
 * where code may not be generated. A reader is its own generated function, so one made for the rules of one native
 * type reads the few subject shapes of that type, where each rule's test reading the subject itself sees every shape
 * its rule applies to (tens, for rules on every asset: slow, megamorphic property reads). Tests then read one shape.
 */
export function slotReader(fieldSlots: readonly FieldSlot[], isCall: boolean): SlotReader | undefined {
  if (!mayGenerateCode()) return undefined;
  // The names a waiver's subject glob is tried on, read as waiver.ts reads them (not only as own properties).
  const names = isCall
    ? ["names[0] = fields.eventId;", "names[1] = fields.principal;"]
    : [
        "names[0] = fields.id;",
        "names[1] = fields.name;",
        "{ const source = fields.source; names[2] = source === undefined || source === null ? undefined : source.path; }",
      ];
  const body = fieldSlots.map(({ path, slot }) => `{\n${emitRead(path, undefined)}\nslots[${slot}] = value;\n}`);
  const factory = new Function(
    "hasOwn",
    "isUnknown",
    "getPrototypeOf",
    "objectPrototype",
    [
      '"use strict";',
      "return function read(fields, slots, names) {",
      // Asked here, of the few shapes of one group, where asking it of every shape is a call into the runtime.
      "const plainFields = getPrototypeOf(fields) === objectPrototype;",
      ...body,
      ...names,
      "};",
    ].join("\n"),
  ) as (...values: unknown[]) => SlotReader;
  return factory(Object.hasOwn, isUnknown, Object.getPrototypeOf, Object.prototype);
}

/** A part of a condition: how it explains itself, and how its test is written into the condition's generated code. */
interface ConditionPart {
  readonly explain: CompiledCondition["explain"];
  /**
   * Writes the part's test into the condition's generated code: statements that leave its truth in the variable
   * named `truth` (one function per rule: each function of generated code costs its own compilation at first call).
   */
  readonly emit: (out: Emission, truth: string) => string;
  /** The subject's field paths it reads (not `owner`, `registered`). */
  readonly fieldSlots: readonly FieldSlot[];
}

/** The JavaScript of one condition's test being written: the values it is given, and how many names it has made. */
interface Emission {
  readonly values: unknown[];
  names: number;
  /** Whether fields are read from a slot array filled beforehand (slotTest), not from the subject (test). */
  readonly fromSlots: boolean;
}

/** A value the generated code calls (an operator's test): passed in as an argument, named `value<n>`. */
function given(out: Emission, value: unknown): string {
  out.values.push(value);
  return `value${out.values.length - 1}`;
}

/** A new name in the generated code, for a truth or a label. */
function newName(out: Emission, kind: "truth" | "part"): string {
  out.names += 1;
  return `${kind}${out.names}`;
}

/**
 * A condition's test as a function of its own. V8 keeps what it learns about property reads and calls per function,
 * so a rule's own code reads its fields by name from the few subject shapes its rule applies to and calls its
 * operators directly, where closures shared by every rule see every shape and every operator (the real-shaped engine
 * bench judges about 16% faster). Nothing from the rule is written into the code but field names, as JSON string
 * literals (which JavaScript reads back as the same strings); operands and operators are passed in as values.
 * A process that may not compile code (node --disallow-code-generation-from-strings: a hardened one) judges by the
 * condition's explanation instead, which gives the same truth.
 */
function generatedTest(root: ConditionPart, fromSlots: boolean): Test & SlotTest {
  if (!mayGenerateCode()) return (view, context) => root.explain(view, context).truth;
  const out: Emission = { values: [], names: 0, fromSlots };
  const truth = newName(out, "truth");
  const body = root.emit(out, truth);
  const parameters = out.values.map((_, index) => `value${index}`);
  const factory = new Function(
    "hasOwn",
    "isUnknown",
    "getPrototypeOf",
    "objectPrototype",
    ...parameters,
    [
      '"use strict";',
      ...(fromSlots
        ? ["return function test(view, context, slots) {"]
        : [
            "return function test(view, context) {",
            "const fields = view.fields;",
            "const plainFields = view.plainFields;",
          ]),
      `let ${truth};`,
      body,
      `return ${truth};`,
      "};",
    ].join("\n"),
  ) as (...values: unknown[]) => Test & SlotTest;
  return factory(Object.hasOwn, isUnknown, Object.getPrototypeOf, Object.prototype, ...out.values);
}

/** Whether this process may compile code from text: asked once, at the first condition judged. */
let codeGeneration: boolean | undefined;
export function mayGenerateCode(): boolean {
  if (codeGeneration === undefined) {
    try {
      new Function("");
      codeGeneration = true;
    } catch (error) {
      // Node's --disallow-code-generation-from-strings throws an EvalError; anything else is a real failure.
      if (!(error instanceof EvalError)) throw error;
      codeGeneration = false;
    }
  }
  return codeGeneration;
}

/**
 * The root of a compiled condition. Its parts are built at its first use (a subject judged, or its fields asked
 * for), its test's code at the test's first call, which is then called directly: a gate judges a few resources with
 * a few of the pack's rules, and builds only theirs. What could fail was checked before (compileCondition).
 */
class RootCondition implements CompiledCondition {
  test: Test;
  slotTest: SlotTest;
  explain: CompiledCondition["explain"];
  #build: (() => ConditionPart) | undefined;
  #root: ConditionPart | undefined;

  constructor(build: () => ConditionPart) {
    this.#build = build;
    this.test = (view, context) => {
      this.test = generatedTest(this.#part(), false);
      return this.test(view, context);
    };
    this.slotTest = (view, context, slots) => {
      this.slotTest = generatedTest(this.#part(), true);
      return this.slotTest(view, context, slots);
    };
    this.explain = (view, context) => {
      this.explain = this.#part().explain;
      return this.explain(view, context);
    };
  }

  get fieldSlots(): readonly FieldSlot[] {
    return this.#part().fieldSlots;
  }

  #part(): ConditionPart {
    if (this.#root === undefined) {
      this.#root = this.#build!();
      this.#build = undefined;
    }
    return this.#root;
  }
}

export const OPERATORS = [
  "eq",
  "ne",
  "in",
  "not_in",
  "exists",
  "absent",
  "matches",
  "glob",
  "gt",
  "ge",
  "lt",
  "le",
  "contains",
  "contains_all",
  "contains_any",
  "older_than",
  "newer_than",
] as const;
type Operator = (typeof OPERATORS)[number];

/** Operators applied to each element of a list value (with `match: any|all`); the others judge the value whole. */
const ELEMENTWISE = new Set<Operator>([
  "eq",
  "ne",
  "in",
  "not_in",
  "matches",
  "glob",
  "gt",
  "ge",
  "lt",
  "le",
  "older_than",
  "newer_than",
]);

/** `holdsForAnyString`: the test holds for every string (a `*` glob), so an unknown value cannot change the answer. */
type ValueTest = ((value: unknown, now: number) => Truth) & {
  readonly holdsForAnyString?: boolean;
  /**
   * The test written into a generated test, for a value that is not an object (or is null): an expression of `value`
   * giving the same truth, where a call of the test costs more than the test (`eq`, `exists`, `gt`, …). Operands are
   * given to the code as values, never written into it.
   */
  readonly emitScalar?: (out: Emission) => string;
};

/** The test, with the expression that writes it for scalar values into generated tests. */
function written(test: (value: unknown, now: number) => Truth, emitScalar: (out: Emission) => string): ValueTest {
  return Object.assign(test, { emitScalar });
}

/** `value === item` for any of `items` (scalars, as sameValueAs compares them), as an expression. */
function emitAnyOf(out: Emission, items: readonly unknown[]): string {
  return items.length === 0 ? "false" : `(${items.map((item) => `value === ${given(out, item)}`).join(" || ")})`;
}

const isScalar = (item: unknown) => item === null || typeof item !== "object";

interface CompileScope {
  readonly source: YamlSource;
  readonly policy: Policy;
}

/** Compiled conditions by raw condition and policy; a compiled condition holds no state, so it is shared. */
const compiledConditions = new WeakMap<object, WeakMap<Policy, CompiledCondition>>();

/**
 * A condition compiled against a policy: every defect is an AigovError at file:line:column now (loadRules compiles
 * every rule to check it), but its parts are built at its first use. A condition whose rule compiled before
 * (YamlSource.compiledBefore: the rule pack's build, or the rule cache) can fail only where it reads the policy
 * (`$policy.` operands): those are compiled now, and the rest when the condition is first used. Any other condition
 * is compiled whole now.
 */
export function compileCondition(raw: unknown, source: YamlSource, path: YamlPath, policy: Policy): CompiledCondition {
  const scope: CompileScope = { source, policy };
  if (typeof raw !== "object" || raw === null) {
    const root = compileNode(raw, path, scope);
    return new RootCondition(() => root);
  }
  // loadRules compiles every condition to check it; the engine and the aggregator then ask for the same ones.
  let byPolicy = compiledConditions.get(raw);
  if (byPolicy === undefined) {
    byPolicy = new WeakMap();
    compiledConditions.set(raw, byPolicy);
  }
  let compiled = byPolicy.get(policy);
  if (compiled === undefined) {
    if (source.compiledBefore === true) {
      checkPolicyOperands(raw, path, scope);
      compiled = new RootCondition(() => compileNode(raw, path, scope));
    } else {
      const root = compileNode(raw, path, scope);
      compiled = new RootCondition(() => root);
    }
    byPolicy.set(policy, compiled);
  }
  return compiled;
}

/**
 * Compiles the `$policy.` operands of a condition that compiled before, as compileNode would in the same order, so a
 * parameter the policy lacks or gives the wrong kind of value fails at load with the same error.
 */
function checkPolicyOperands(raw: unknown, path: YamlPath, scope: CompileScope): void {
  const node = raw as Record<string, unknown>;
  for (const kind of ["all", "any"] as const) {
    const children = node[kind];
    if (Array.isArray(children)) {
      for (const [index, child] of children.entries()) checkPolicyOperands(child, [...path, kind, index], scope);
      return;
    }
  }
  if ("not" in node) {
    checkPolicyOperands(node.not, [...path, "not"], scope);
    return;
  }
  for (const key of Object.keys(node)) {
    if (key === "field" || key === "match") continue;
    const operand = node[key];
    if (typeof operand === "string" && operand.startsWith("$policy."))
      compileOperand(key as Operator, operand, [...path, key], scope);
  }
}

function fail(
  scope: CompileScope,
  path: YamlPath,
  message: string,
  hint?: string,
  part: "key" | "value" = "value",
): never {
  throw new AigovError("RULE_INVALID", message, {
    position: scope.source.locate(path, part),
    ...(hint === undefined ? {} : { hint }),
  });
}

function compileNode(raw: unknown, path: YamlPath, scope: CompileScope): ConditionPart {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) fail(scope, path, "a condition must be a mapping");
  const node = raw as Record<string, unknown>;
  const combinators = ["all", "any", "not"].filter((key) => key in node);
  if (combinators.length > 0) {
    const extra = Object.keys(node).filter((key) => !combinators.includes(key));
    if (combinators.length > 1 || extra.length > 0) {
      fail(
        scope,
        path,
        `a condition is either all/any/not or a field test, but this one has: ${Object.keys(node).join(", ")}`,
        "nest them: all: [ {any: […]}, {field: …} ]",
      );
    }
    const kind = combinators[0] as "all" | "any" | "not";
    if (kind === "not") return negate(compileNode(node.not, [...path, "not"], scope));
    const children = (node[kind] as unknown[]).map((child, index) => compileNode(child, [...path, kind, index], scope));
    return kind === "all" ? conjunction(children) : disjunction(children);
  }
  return compileLeaf(node, path, scope);
}

function negate(child: ConditionPart): ConditionPart {
  const flip = (truth: Truth): Truth => (truth === UNKNOWN ? UNKNOWN : truth === TRUE ? FALSE : TRUE);
  return {
    fieldSlots: child.fieldSlots,
    emit(out, truth) {
      const inner = newName(out, "truth");
      return [
        "{",
        `let ${inner};`,
        child.emit(out, inner),
        `${truth} = ${inner} === ${UNKNOWN} ? ${UNKNOWN} : ${inner} === ${TRUE} ? ${FALSE} : ${TRUE};`,
        "}",
      ].join("\n");
    },
    explain(view, context) {
      const inner = child.explain(view, context);
      return {
        truth: flip(inner.truth),
        evidence: inner.evidence.map((item) => ({ ...item, expected: `not (${item.expected})` })),
      };
    },
  };
}

/** The field paths read by any of the parts, each once. */
function union(parts: readonly ConditionPart[]): readonly FieldSlot[] {
  return [...new Set(parts.flatMap((part) => part.fieldSlots))];
}

function conjunction(children: readonly ConditionPart[]): ConditionPart {
  return { emit: emitDecidedBy(children, FALSE), explain: explainedBy(children, FALSE), fieldSlots: union(children) };
}

function disjunction(children: readonly ConditionPart[]): ConditionPart {
  return { emit: emitDecidedBy(children, TRUE), explain: explainedBy(children, TRUE), fieldSlots: union(children) };
}

/**
 * `all:` (decided by a false child) or `any:` (by a true one), written out child by child: the deciding truth at the
 * first child that has it, else unknown if a child is, else the other truth.
 */
function emitDecidedBy(
  children: readonly ConditionPart[],
  deciding: typeof FALSE | typeof TRUE,
): ConditionPart["emit"] {
  const otherwise = deciding === FALSE ? TRUE : FALSE;
  return (out, truth) => {
    const part = newName(out, "part");
    const steps = children.map((child) => {
      const childTruth = newName(out, "truth");
      return [
        `let ${childTruth};`,
        child.emit(out, childTruth),
        `if (${childTruth} === ${deciding}) { ${truth} = ${deciding}; break ${part}; }`,
        `if (${childTruth} === ${UNKNOWN}) ${truth} = ${UNKNOWN};`,
      ].join("\n");
    });
    return `${truth} = ${otherwise};\n${part}: {\n${steps.join("\n")}\n}`;
  };
}

/**
 * `all:` / `any:` explained: the evidence of every child whose truth is the combination's, or, for an `any:` that
 * holds, of the first such child only. Built by loops: evidence is worked out for every finding a sweep stores.
 */
function explainedBy(
  children: readonly ConditionPart[],
  deciding: typeof FALSE | typeof TRUE,
): CompiledCondition["explain"] {
  const otherwise = deciding === FALSE ? TRUE : FALSE;
  return (view, context) => {
    // The truth is the generated test's, worked out from the children's own explanations: each child is judged once.
    const results: ReturnType<CompiledCondition["explain"]>[] = [];
    let truth: Truth = otherwise;
    for (const child of children) {
      const result = child.explain(view, context);
      // An `any` is decided by its first true child, whose evidence alone says why: the rest need no judging.
      if (deciding === TRUE && result.truth === TRUE) return { truth: TRUE, evidence: [...result.evidence] };
      if (result.truth === deciding) truth = deciding;
      else if (result.truth === UNKNOWN && truth !== deciding) truth = UNKNOWN;
      results.push(result);
    }
    const evidence: Evidence[] = [];
    for (const result of results) {
      if (result.truth !== truth) continue;
      for (const item of result.evidence) evidence.push(item);
    }
    return { truth, evidence };
  };
}

function compileLeaf(node: Record<string, unknown>, path: YamlPath, scope: CompileScope): ConditionPart {
  if (typeof node.field !== "string") {
    fail(
      scope,
      path,
      "a condition needs 'field' (or all/any/not)",
      `a field test looks like: { field: public, eq: true }; operators: ${OPERATORS.join(", ")}`,
    );
  }
  const operators = Object.keys(node).filter((key) => key !== "field" && key !== "match") as Operator[];
  if (operators.length !== 1) {
    fail(
      scope,
      path,
      operators.length === 0
        ? `field '${node.field}' has no operator`
        : `field '${node.field}' has ${operators.length} operators (${operators.join(", ")}); one per test`,
      `use all: [...] to combine tests; operators: ${OPERATORS.join(", ")}`,
    );
  }
  const operator = operators[0]!;
  const field = node.field;
  const every = node.match === "all";
  const read = compilePath(field);
  const operandPath = [...path, operator];
  const operand = compileOperand(operator, node[operator], operandPath, scope);
  const expectedText = `${every ? "all " : ""}${operator} ${describeOperand(node[operator])}`;

  const elementwise = ELEMENTWISE.has(operator);
  /** The truth of a value read from the subject: an unknown value, a list judged element by element, or one value. */
  const judge = (value: unknown, operandTest: OperandTest, now: number): Truth => {
    if (typeof value === "object" && value !== null) {
      if (isUnknown(value)) return operandTest.unknownTruth;
      if (elementwise && Array.isArray(value)) return eachElement(value, operandTest, every, now);
    }
    return operandTest.test(value, now);
  };
  let emit: ConditionPart["emit"];
  if ("fixed" in operand) {
    // A value from the rule or a policy parameter is one test for every subject (most leaves): a scalar (the usual
    // value) meets the operator's test with no step between.
    const operandTest = operand.fixed;
    const judgeObject = (value: unknown, now: number) => judge(value, operandTest, now);
    emit = (out, truth) =>
      [
        "{",
        emitRead(field, out),
        `${truth} = typeof value === "object" && value !== null`,
        `  ? ${given(out, judgeObject)}(value, context.now)`,
        `  : ${operandTest.test.emitScalar?.(out) ?? `${given(out, operandTest.test)}(value, context.now)`};`,
        "}",
      ].join("\n");
  } else {
    // A per-provider list is picked per subject.
    const { perProvider } = operand;
    const judgeForProvider = (value: unknown, context: EvalContext) =>
      judge(value, perProvider[context.provider], context.now);
    emit = (out, truth) => `{\n${emitRead(field, out)}\n${truth} = ${given(out, judgeForProvider)}(value, context);\n}`;
  }

  const [first] = field.split(".");
  return {
    emit,
    fieldSlots: first === "owner" || first === "registered" ? [] : [fieldSlot(field)],
    explain(view, context) {
      // The value is read once, for the truth and the evidence.
      const value = read(view);
      const operandTest = "fixed" in operand ? operand.fixed : operand.perProvider[context.provider];
      return { truth: judge(value, operandTest, context.now), evidence: [{ field, value, expected: expectedText }] };
    },
  };
}

/** A list value judged element by element: `match: any` (the default) needs one element to hold, `match: all` every one. */
function eachElement(values: readonly unknown[], valueTest: OperandTest, every: boolean, now: number): Truth {
  const deciding = every ? FALSE : TRUE;
  let sawUnknown = false;
  for (const element of values) {
    const truth = isUnknown(element) ? valueTest.unknownTruth : valueTest.test(element, now);
    if (truth === deciding) return deciding;
    if (truth === UNKNOWN) sawUnknown = true;
  }
  if (sawUnknown) return UNKNOWN;
  return every ? TRUE : FALSE;
}

function describeOperand(operand: unknown): string {
  return typeof operand === "string" && operand.startsWith("$policy.") ? operand : JSON.stringify(operand);
}

/**
 * compilePath written into a generated test: statements that leave the field's value in `value`, each step read by
 * its name (a JSON string literal) and, as compilePath does, only as the value's own property. A value found on an
 * object whose prototype is Object.prototype is its own when Object.prototype has no such property: asked so, in
 * place of hasOwn (a call into the runtime for every field found, most of a sweep's field reads).
 */
function emitRead(field: string, out: Emission | undefined): string {
  const [first, ...rest] = field.split(".") as [string, ...string[]];
  const key = (name: string) => JSON.stringify(name);
  // A field a slotReader has read: the whole path is in its slot.
  if (out?.fromSlots === true && first !== "owner" && first !== "registered") {
    return `let value = slots[${fieldSlot(field).slot}];`;
  }
  const lines =
    first === "owner"
      ? ["let value = view.owner();"]
      : first === "registered"
        ? ["let value = view.registered();"]
        : [
            `let value = fields[${key(first)}];`,
            `if (value !== undefined && (!plainFields || objectPrototype[${key(first)}] !== undefined) &&`,
            `  !hasOwn(fields, ${key(first)})) value = undefined;`,
          ];
  if (rest.length > 0) {
    lines.push("step: {");
    for (const segment of rest) {
      lines.push(
        `if (value === null || typeof value !== "object") { value = undefined; break step; }`,
        "if (isUnknown(value)) break step;",
        `{ const parent = value; value = parent[${key(segment)}];`,
        `if (value !== undefined && (getPrototypeOf(parent) !== objectPrototype ||`,
        `  objectPrototype[${key(segment)}] !== undefined) && !hasOwn(parent, ${key(segment)})) value = undefined; }`,
      );
    }
    lines.push("}");
  }
  return lines.join("\n");
}

/**
 * `tags.owner`, `native.Properties.x` → a reader that stops at the first unknown or absent step. Each step reads
 * only the value's own property: `tags.constructor` on `tags: {}` is absent, not Object's constructor function.
 */
export function compilePath(field: string): (view: SubjectView) => unknown {
  const [first, ...rest] = field.split(".") as [string, ...string[]];
  const top: (view: SubjectView) => unknown =
    first === "owner"
      ? (view) => view.owner()
      : first === "registered"
        ? (view) => view.registered()
        : (view) => ownProperty(view.fields, first);
  if (rest.length === 0) return top;
  if (rest.length === 1) {
    // Two steps (`tags.owner`, `native.x`: most paths) read with no loop.
    const [second] = rest as [string];
    return (view) => {
      const parent = top(view);
      if (parent === null || typeof parent !== "object") return undefined;
      return isUnknown(parent) ? parent : ownProperty(parent, second);
    };
  }
  return (view) => {
    let current = top(view);
    for (const segment of rest) {
      if (current === null || typeof current !== "object") return undefined;
      if (isUnknown(current)) return current;
      current = ownProperty(current, segment);
    }
    return current;
  };
}

export function ownProperty(value: object, key: string): unknown {
  // Most reads find nothing (a rule reads fields many subjects lack): those are answered without asking hasOwn.
  const found = (value as Record<string, unknown>)[key];
  return found !== undefined && Object.hasOwn(value, key) ? found : undefined;
}

/** An operator compiled against its operand, and what an unknown value is to it. */
interface OperandTest {
  readonly test: ValueTest;
  /** "Every model is approved" stays true for a model known only at apply time: a test that holds for every string. */
  readonly unknownTruth: Truth;
}

/** One test for every subject, or one per provider (a policy list written per provider). */
type OperandTests = { readonly fixed: OperandTest } | { readonly perProvider: Readonly<Record<Provider, OperandTest>> };

/** Resolves `$policy.` operands (per provider where the policy has one list per provider) and compiles the operator. */
function compileOperand(operator: Operator, operand: unknown, path: YamlPath, scope: CompileScope): OperandTests {
  const compiled = (value: unknown, fromPolicy = false): OperandTest => {
    const test = compileOperator(operator, value, path, scope, !fromPolicy && scope.source.compiledBefore === true);
    return { test, unknownTruth: test.holdsForAnyString === true ? TRUE : UNKNOWN };
  };
  if (typeof operand === "string" && operand.startsWith("$policy.")) {
    const name = operand.slice("$policy.".length);
    const parameter = policyParameter(scope.policy, name);
    if (parameter === undefined) {
      fail(
        scope,
        path,
        `the policy does not define the parameter '${name}'`,
        `add it to aigov.yaml under parameters: (${name}: …), or use a value`,
      );
    }
    if ("perProvider" in parameter) {
      return {
        perProvider: {
          aws: compiled(parameter.perProvider.aws, true),
          azure: compiled(parameter.perProvider.azure, true),
          gcp: compiled(parameter.perProvider.gcp, true),
        },
      };
    }
    return { fixed: compiled(parameter.value, true) };
  }
  return { fixed: compiled(operand) };
}

const truth = (value: boolean): Truth => (value ? TRUE : FALSE);

/**
 * `compiledBefore`: the operand is the rule's own and the rule compiled before (YamlSource.compiledBefore), so a
 * regular expression is known to compile and is compiled when first matched: a run judges with a few of the pack's
 * patterns (a gate, none of the log rules'), and each costs about a millisecond to compile in a fresh process.
 */
function compileOperator(
  operator: Operator,
  operand: unknown,
  path: YamlPath,
  scope: CompileScope,
  compiledBefore: boolean,
): ValueTest {
  const needList = (): readonly unknown[] => {
    if (!Array.isArray(operand)) fail(scope, path, `'${operator}' needs a list, got ${JSON.stringify(operand)}`);
    return operand;
  };
  const needStrings = (): readonly string[] => {
    const list = typeof operand === "string" ? [operand] : needList();
    if (!list.every((item) => typeof item === "string")) fail(scope, path, `'${operator}' needs strings`);
    return list as string[];
  };
  const needNumber = (): number => {
    if (typeof operand !== "number") fail(scope, path, `'${operator}' needs a number, got ${JSON.stringify(operand)}`);
    return operand;
  };
  const needDuration = (): number => {
    if (typeof operand !== "string") fail(scope, path, `'${operator}' needs a duration like 90d`);
    try {
      return parseDuration(operand);
    } catch (error) {
      fail(scope, path, (error as Error).message, "durations look like 30m, 12h, 90d, 2w, 1y");
    }
  };
  switch (operator) {
    case "eq": {
      const equals = sameValueAs([operand]);
      const test = (value: unknown) => truth(equals(value));
      return isScalar(operand) ? written(test, (out) => `${emitAnyOf(out, [operand])} ? ${TRUE} : ${FALSE}`) : test;
    }
    case "ne": {
      const equals = sameValueAs([operand]);
      const test = (value: unknown) => truth(!equals(value));
      return isScalar(operand) ? written(test, (out) => `${emitAnyOf(out, [operand])} ? ${FALSE} : ${TRUE}`) : test;
    }
    case "in": {
      const items = needList();
      const equals = sameValueAs(items);
      const test = (value: unknown) => truth(equals(value));
      return items.every(isScalar) ? written(test, (out) => `${emitAnyOf(out, items)} ? ${TRUE} : ${FALSE}`) : test;
    }
    case "not_in": {
      const items = needList();
      const equals = sameValueAs(items);
      const test = (value: unknown) => truth(!equals(value));
      return items.every(isScalar) ? written(test, (out) => `${emitAnyOf(out, items)} ? ${FALSE} : ${TRUE}`) : test;
    }
    case "exists": {
      if (typeof operand !== "boolean") fail(scope, path, "'exists' takes true or false");
      const [present, missing] = operand ? [TRUE, FALSE] : [FALSE, TRUE];
      return written(
        (value) => truth((value !== undefined && value !== null) === operand),
        () => `value !== undefined && value !== null ? ${present} : ${missing}`,
      );
    }
    case "absent":
      if (operand !== true) fail(scope, path, "'absent' takes true (use exists: true for the opposite)");
      return written(
        (value) => truth(value === undefined || value === null),
        () => `value === undefined || value === null ? ${TRUE} : ${FALSE}`,
      );
    case "matches": {
      if (typeof operand !== "string") fail(scope, path, "'matches' needs a regular expression string");
      const compileRegex = (): LinearRegex => {
        try {
          return compileLinearRegex(operand);
        } catch (error) {
          if (!isAigovError(error)) throw error;
          fail(scope, path, error.message, error.hint);
        }
      };
      let regex = compiledBefore ? undefined : compileRegex();
      return (value) => {
        if (typeof value !== "string") return FALSE;
        regex ??= compileRegex();
        return truth(regex.test(value));
      };
    }
    case "glob": {
      const patterns = needStrings();
      const matches = rememberingAnswers(compileGlobs(patterns));
      const test: ValueTest = (value) => truth(typeof value === "string" && matches(value));
      return patterns.includes("*") ? Object.assign(test, { holdsForAnyString: true }) : test;
    }
    case "gt": {
      const limit = needNumber();
      return written(
        (value) => truth(typeof value === "number" && value > limit),
        (out) => `typeof value === "number" && value > ${given(out, limit)} ? ${TRUE} : ${FALSE}`,
      );
    }
    case "ge": {
      const limit = needNumber();
      return written(
        (value) => truth(typeof value === "number" && value >= limit),
        (out) => `typeof value === "number" && value >= ${given(out, limit)} ? ${TRUE} : ${FALSE}`,
      );
    }
    case "lt": {
      const limit = needNumber();
      return written(
        (value) => truth(typeof value === "number" && value < limit),
        (out) => `typeof value === "number" && value < ${given(out, limit)} ? ${TRUE} : ${FALSE}`,
      );
    }
    case "le": {
      const limit = needNumber();
      return written(
        (value) => truth(typeof value === "number" && value <= limit),
        (out) => `typeof value === "number" && value <= ${given(out, limit)} ? ${TRUE} : ${FALSE}`,
      );
    }
    case "contains":
      return (value) => truth(containsOne(value, operand));
    case "contains_all": {
      const list = needList();
      return (value) => {
        for (const item of list) if (!containsOne(value, item)) return FALSE;
        return TRUE;
      };
    }
    case "contains_any": {
      const list = needList();
      return (value) => {
        for (const item of list) if (containsOne(value, item)) return TRUE;
        return FALSE;
      };
    }
    case "older_than": {
      const age = needDuration();
      return (value, now) => {
        const time = typeof value === "string" ? Date.parse(value) : Number.NaN;
        return truth(!Number.isNaN(time) && now - time > age);
      };
    }
    case "newer_than": {
      const age = needDuration();
      return (value, now) => {
        const time = typeof value === "string" ? Date.parse(value) : Number.NaN;
        return truth(!Number.isNaN(time) && now - time <= age);
      };
    }
  }
}

/** Texts a remembering matcher keeps answers for before it forgets them all (ids would otherwise grow it without end). */
const REMEMBERED_TEXTS = 4096;

/**
 * A glob list's answers kept by text: the values rules match against policy lists (accounts, regions, models,
 * principals) repeat from subject to subject of a sweep, and one look-up costs less than trying the globs again.
 * A list matched against values that seldom repeat (ids) stops keeping them once it has seen more new values than
 * repeated ones among its first REMEMBERED_TEXTS.
 */
function rememberingAnswers(matches: (text: string) => boolean): (text: string) => boolean {
  const known = new Map<string, boolean>();
  let repeats = 0;
  let remembering = true;
  return (text) => {
    if (!remembering) return matches(text);
    let answer = known.get(text);
    if (answer !== undefined) {
      repeats += 1;
      return answer;
    }
    answer = matches(text);
    if (known.size === REMEMBERED_TEXTS) {
      known.clear();
      remembering = repeats >= REMEMBERED_TEXTS;
      repeats = 0;
    }
    if (remembering) known.set(text, answer);
    return answer;
  };
}

/** Whether a value is the same as one of `items`: `===` when they are all scalars, else also by JSON for lists and mappings. */
function sameValueAs(items: readonly unknown[]): (value: unknown) => boolean {
  if (items.every((item) => item === null || typeof item !== "object")) {
    if (items.length === 1) {
      const only = items[0];
      return (value) => value === only;
    }
    return (value) => {
      for (const item of items) if (value === item) return true;
      return false;
    };
  }
  return (value) => items.some((item) => sameValue(value, item));
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

/** A string contains a substring, a list an element, a mapping a key. */
function containsOne(value: unknown, item: unknown): boolean {
  if (typeof value === "string") return typeof item === "string" && value.includes(item);
  if (Array.isArray(value)) {
    for (const element of value) if (sameValue(element, item)) return true;
    return false;
  }
  if (value !== null && typeof value === "object" && !isUnknown(value))
    return typeof item === "string" && Object.hasOwn(value, item);
  return false;
}
