import { readFile } from "node:fs/promises";
import { AigovError, parseYamlSource } from "@aigov/core";

/**
 * Fault injection: what goes wrong, where, and how often. Each fault matches requests by account, region, service
 * and operation (absent = any) and fires at `rate` (0..1, default 1). Whether it fires is a pure function of the
 * seed, the fault, the request (its matching keys and body) and how many times that same request was sent before,
 * so a test gets the same faults on every run whatever order concurrent requests arrive in, and a retry of a
 * throttled request gets a fresh draw (as a real retry does).
 */
export type FaultKind =
  /** The protocol's throttling error: ThrottlingException / TooManyRequestsException (HTTP 400 or 429 as the service does), Throttling in awsQuery. */
  | "throttle"
  /** HTTP 500 with the service's internal-error code. */
  | "error500"
  /** HTTP 503 ServiceUnavailable. */
  | "error503"
  /** Adds `latencyMs` before the answer. */
  | "latency"
  /** Never answers; the connection stays open until the client gives up or the server closes. */
  | "hang"
  /** AccessDenied(Exception) as the protocol encodes it. */
  | "access-denied"
  /** STS AssumeRole fails with AccessDenied (match by `account` = the role's account, or `role` name). */
  | "unassumable-role"
  /** The region is not enabled for the account: UnrecognizedClientException / InvalidClientTokenId, as an opt-in region answers. */
  | "region-disabled";

export interface FaultSpec {
  readonly kind: FaultKind;
  readonly account?: string;
  readonly region?: string;
  /** Signing-service style name: sagemaker, bedrock, bedrock-agent, lambda, ecs, ssm, cloudtrail, organizations, iam, sts, account. */
  readonly service?: string;
  /** The operation name, e.g. ListEndpoints. */
  readonly operation?: string;
  /** For unassumable-role: the role name. */
  readonly role?: string;
  /** Probability 0..1 that a matching request is hit; default 1. */
  readonly rate?: number;
  /** For latency: milliseconds to add (default 1000). */
  readonly latencyMs?: number;
}

/** What the server knows about a request when it decides faults. */
export interface FaultSubject {
  readonly account: string;
  readonly region: string;
  readonly service: string;
  readonly operation: string;
  /** For STS AssumeRole: the role's account and name. */
  readonly roleAccount?: string;
  readonly roleName?: string;
  /** A digest of the request's content (path, query, body) so retries of one request are told from other requests. */
  readonly contentKey: string;
}

export const FAULT_KINDS: readonly FaultKind[] = [
  "throttle",
  "error500",
  "error503",
  "latency",
  "hang",
  "access-denied",
  "unassumable-role",
  "region-disabled",
];

/** Decides, deterministically from a seed, which faults hit each request. */
export class FaultPlan {
  readonly #faults: readonly FaultSpec[];
  readonly #seed: number;
  readonly #attempts = new Map<string, number>();

  constructor(faults: readonly FaultSpec[], seed = 1) {
    for (const fault of faults) checkFault(fault);
    this.#faults = faults;
    this.#seed = seed >>> 0;
  }

  get size(): number {
    return this.#faults.length;
  }

  /** The faults that hit this request (latency faults add up; the first non-latency fault decides the answer). */
  decide(subject: FaultSubject): FaultSpec[] {
    if (this.#faults.length === 0) return [];
    const key = `${subject.account}|${subject.region}|${subject.service}|${subject.operation}|${subject.contentKey}`;
    const attempt = this.#attempts.get(key) ?? 0;
    this.#attempts.set(key, attempt + 1);
    const hits: FaultSpec[] = [];
    for (const [index, fault] of this.#faults.entries()) {
      if (!matches(fault, subject)) continue;
      const rate = fault.rate ?? 1;
      if (rate < 1 && uniform(this.#seed, index, key, attempt) >= rate) continue;
      hits.push(fault);
    }
    return hits;
  }
}

function matches(fault: FaultSpec, subject: FaultSubject): boolean {
  if (fault.kind === "unassumable-role") {
    if (subject.operation !== "AssumeRole") return false;
    if (fault.account !== undefined && fault.account !== subject.roleAccount) return false;
    if (fault.role !== undefined && fault.role !== subject.roleName) return false;
    return true;
  }
  if (fault.account !== undefined && fault.account !== subject.account) return false;
  if (fault.region !== undefined && fault.region !== subject.region) return false;
  if (fault.service !== undefined && fault.service !== subject.service) return false;
  if (fault.operation !== undefined && fault.operation !== subject.operation) return false;
  return true;
}

function checkFault(fault: FaultSpec): void {
  if (!FAULT_KINDS.includes(fault.kind))
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
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new AigovError("SIM_FAULTS_UNREADABLE", `cannot read faults file ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return parseFaults(text, path);
}

const FAULT_KEYS = ["kind", "account", "region", "service", "operation", "role", "rate", "latencyMs"];

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
    if (!FAULT_KINDS.includes(fault.kind as FaultKind))
      fail([...path, "kind"], `kind must be one of ${FAULT_KINDS.join(", ")}`);
    for (const key of ["account", "region", "service", "operation", "role"]) {
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
