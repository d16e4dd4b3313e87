import { AigovError, parseYamlSource } from "@aigov/core";
import { readInputFile } from "./input-file.ts";

/**
 * Fault injection: what goes wrong, where, and how often. The kinds are the same for every cloud; each frontend
 * answers them in its cloud's wire shape. A fault matches requests by cloud, account, region, service and
 * operation (absent = any) and fires at `rate` (0..1, default 1). Whether it fires is a pure function of the seed,
 * the fault, the request (its matching keys and body) and how many times that same request was sent before, so a
 * test gets the same faults on every run whatever order concurrent requests arrive in, and a retry of a throttled
 * request gets a fresh draw (as a real retry does).
 */
export type FaultKind =
  /** The service's throttling error (AWS ThrottlingException / TooManyRequestsException, 400 or 429 as the service does). */
  | "throttle"
  /** HTTP 500 with the service's internal-error code. */
  | "error500"
  /** HTTP 503, service unavailable. */
  | "error503"
  /** Adds `latencyMs` before the answer. */
  | "latency"
  /** Never answers; the connection stays open until the client gives up or the server closes. */
  | "hang"
  /** The caller is not allowed this operation (AWS AccessDenied(Exception)). */
  | "access-denied"
  /**
   * The target account cannot be entered: AWS STS AssumeRole into it fails with AccessDenied. Matched by `account`
   * (the target's account) and `role` (the identity used to enter it). AWS's name for it, `unassumable-role`, is
   * accepted too.
   */
  | "target-unreachable"
  /** The region is not enabled for the account (AWS answers as an opt-in region does: the credentials are not known there). */
  | "region-disabled"
  /**
   * The service is not enabled for the account: an Azure resource provider not registered in the subscription
   * (MissingSubscriptionRegistration), a GCP API not enabled in the project, an AWS service the account is not
   * subscribed to (OptInRequired).
   */
  | "service-disabled";

/** The kinds that decide an answer (latency only delays one, a hang never gives one). */
export type ErrorFaultKind = Exclude<FaultKind, "latency" | "hang">;

/** Other names a fault's kind may be given by: AWS's name for target-unreachable. */
const FAULT_KIND_ALIASES = { "unassumable-role": "target-unreachable" } as const satisfies Record<string, FaultKind>;

export type FaultKindName = FaultKind | keyof typeof FAULT_KIND_ALIASES;

export interface FaultSpec {
  readonly kind: FaultKindName;
  /** aws, azure or gcp. */
  readonly cloud?: string;
  /** The caller's account; for target-unreachable, the target's. */
  readonly account?: string;
  readonly region?: string;
  /** The service as the request log names it: sagemaker, bedrock, bedrock-agent, lambda, ecs, ssm, cloudtrail, organizations, iam, sts, account. */
  readonly service?: string;
  /** The operation name, e.g. ListEndpoints. */
  readonly operation?: string;
  /** For target-unreachable: the name of the identity used to enter the target (the AWS role name). */
  readonly role?: string;
  /** Probability 0..1 that a matching request is hit; default 1. */
  readonly rate?: number;
  /** For latency: milliseconds to add (default 1000). */
  readonly latencyMs?: number;
}

/** The account a call enters and the identity it enters as (AWS AssumeRole: the role's account and name). */
export interface FaultTarget {
  readonly account: string;
  readonly name: string;
}

/** What the server knows about a request when it decides faults. */
export interface FaultSubject {
  readonly cloud: string;
  readonly account: string;
  readonly region: string;
  readonly service: string;
  readonly operation: string;
  readonly target?: FaultTarget;
  /** The request's content (path, query, body) so retries of one request are told from other requests. */
  readonly contentKey: string;
}

/** A fault with its kind's canonical name. */
export interface DecidedFault extends FaultSpec {
  readonly kind: FaultKind;
}

export const FAULT_KINDS: readonly FaultKind[] = [
  "throttle",
  "error500",
  "error503",
  "latency",
  "hang",
  "access-denied",
  "target-unreachable",
  "region-disabled",
  "service-disabled",
];

/** Every name a faults file may give a kind. */
const FAULT_KIND_NAMES: readonly string[] = [...FAULT_KINDS, ...Object.keys(FAULT_KIND_ALIASES)];

function canonical(kind: FaultKindName): FaultKind {
  return Object.hasOwn(FAULT_KIND_ALIASES, kind)
    ? FAULT_KIND_ALIASES[kind as keyof typeof FAULT_KIND_ALIASES]
    : (kind as FaultKind);
}

/** Decides, deterministically from a seed, which faults hit each request. */
export class FaultPlan {
  readonly #faults: readonly DecidedFault[];
  readonly #seed: number;
  readonly #attempts = new Map<string, number>();

  constructor(faults: readonly FaultSpec[], seed = 1) {
    for (const fault of faults) checkFault(fault);
    this.#faults = faults.map((fault) => ({ ...fault, kind: canonical(fault.kind) }));
    this.#seed = seed >>> 0;
  }

  get size(): number {
    return this.#faults.length;
  }

  /** The faults that hit this request (latency faults add up; the first non-latency fault decides the answer). */
  decide(subject: FaultSubject): DecidedFault[] {
    if (this.#faults.length === 0) return [];
    const key = `${subject.account}|${subject.region}|${subject.service}|${subject.operation}|${subject.contentKey}`;
    const attempt = this.#attempts.get(key) ?? 0;
    this.#attempts.set(key, attempt + 1);
    const hits: DecidedFault[] = [];
    for (const [index, fault] of this.#faults.entries()) {
      if (!matches(fault, subject)) continue;
      const rate = fault.rate ?? 1;
      if (rate < 1 && uniform(this.#seed, index, key, attempt) >= rate) continue;
      hits.push(fault);
    }
    return hits;
  }
}

function matches(fault: DecidedFault, subject: FaultSubject): boolean {
  if (fault.cloud !== undefined && fault.cloud !== subject.cloud) return false;
  if (fault.kind === "target-unreachable") {
    if (subject.target === undefined) return false;
    if (fault.account !== undefined && fault.account !== subject.target.account) return false;
    if (fault.role !== undefined && fault.role !== subject.target.name) return false;
    return true;
  }
  if (fault.account !== undefined && fault.account !== subject.account) return false;
  if (fault.region !== undefined && fault.region !== subject.region) return false;
  if (fault.service !== undefined && fault.service !== subject.service) return false;
  if (fault.operation !== undefined && fault.operation !== subject.operation) return false;
  return true;
}

function checkFault(fault: FaultSpec): void {
  if (!FAULT_KIND_NAMES.includes(fault.kind))
    throw new TypeError(`unknown fault kind '${String(fault.kind)}' (one of ${FAULT_KINDS.join(", ")})`);
  if (fault.rate !== undefined && !(fault.rate >= 0 && fault.rate <= 1))
    throw new RangeError(`fault rate must be within 0..1, got ${fault.rate}`);
}

/** cyrb53-style hash to a float in [0,1): cheap, well mixed, and the same on every run. */
function uniform(seed: number, index: number, key: string, attempt: number): number {
  let h1 = 0xdeadbeef ^ seed ^ Math.imul(index + 1, 0x9e3779b1);
  let h2 = 0x41c6ce57 ^ seed ^ Math.imul(attempt + 1, 0x85ebca77);
  for (let i = 0; i < key.length; i++) {
    const ch = key.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return ((h2 >>> 0) * 2 ** 21 + (h1 >>> 11)) / 2 ** 53;
}

/** A faults file: a YAML list of faults, or `{ seed, faults }`. */
export interface FaultFile {
  readonly seed?: number;
  readonly faults: readonly FaultSpec[];
}

export async function loadFaults(path: string): Promise<FaultFile> {
  return parseFaults(await readInputFile(path, "faults"), path);
}

const FAULT_KEYS = ["kind", "cloud", "account", "region", "service", "operation", "role", "rate", "latencyMs"];

export function parseFaults(text: string, file = "<faults>"): FaultFile {
  const source = parseYamlSource(text, file);
  const fail = (path: readonly (string | number)[], message: string): never => {
    throw new AigovError("SIM_FAULTS_INVALID", `faults ${path.join(".")}: ${message}`, {
      position: source.locate(path),
      hint: "see packages/cloud-sim/README.md, Faults",
    });
  };
  const root = source.value;
  const wrapped = root !== null && typeof root === "object" && !Array.isArray(root);
  const list = wrapped ? (root as Record<string, unknown>).faults : root;
  const base = wrapped ? ["faults"] : [];
  if (wrapped) {
    for (const key of Object.keys(root as object))
      if (key !== "seed" && key !== "faults") fail([key], `unknown key '${key}' (seed, faults)`);
  }
  const seed = wrapped ? (root as Record<string, unknown>).seed : undefined;
  if (seed !== undefined && !Number.isInteger(seed)) fail(["seed"], "seed must be an integer");
  if (!Array.isArray(list)) return fail(base, "must be a list of faults");
  const faults = list.map((raw: unknown, index) => {
    const path = [...base, index];
    if (raw === null || typeof raw !== "object" || Array.isArray(raw)) return fail(path, "each fault is a mapping");
    const fault = raw as Record<string, unknown>;
    for (const key of Object.keys(fault))
      if (!FAULT_KEYS.includes(key)) fail([...path, key], `unknown key '${key}' (${FAULT_KEYS.join(", ")})`);
    if (!FAULT_KIND_NAMES.includes(fault.kind as string))
      fail([...path, "kind"], `kind must be one of ${FAULT_KINDS.join(", ")}`);
    for (const key of ["cloud", "account", "region", "service", "operation", "role"]) {
      if (fault[key] !== undefined && typeof fault[key] !== "string")
        fail([...path, key], `${key} must be a string${key === "account" ? " (quote account ids)" : ""}`);
    }
    if (fault.rate !== undefined && !(typeof fault.rate === "number" && fault.rate >= 0 && fault.rate <= 1))
      fail([...path, "rate"], "rate must be a number within 0..1");
    if (fault.latencyMs !== undefined && !(typeof fault.latencyMs === "number" && fault.latencyMs >= 0))
      fail([...path, "latencyMs"], "latencyMs must be a non-negative number");
    return fault as unknown as FaultSpec;
  });
  return seed === undefined ? { faults } : { seed: seed as number, faults };
}
