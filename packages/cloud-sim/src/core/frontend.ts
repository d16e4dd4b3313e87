import type { IncomingHttpHeaders } from "node:http";
import type { ErrorFaultKind, FaultTarget } from "./faults.ts";
import type { WorldSection } from "./world-loader.ts";

/**
 * What a cloud plugs into the simulator: the core serves HTTP and HTTPS, logs requests, injects faults and delays,
 * and knows no cloud; a frontend recognises its cloud's requests, says who is calling and which operation of its
 * catalogue they ask for, answers from its section of the world, and encodes errors in its cloud's wire shape.
 */
export interface Frontend<Section = unknown> {
  /** `aws`, `azure`, `gcp`: recorded with every request, matched by a fault's `cloud`. */
  readonly cloud: string;
  /** The world file's section this frontend serves. */
  readonly section: WorldSection<Section>;
  /** Every operation it simulates. Whether a request reads, and whether it can return secrets, comes from here. */
  readonly catalogue: readonly CatalogueEntry[];
  /** Host names clients reach it under through an endpoint override to 127.0.0.1 (put in the TLS certificate). */
  readonly hostnames: readonly string[];
  /** Whether a request is this cloud's, by how it authenticates, its headers and its path. */
  matches(request: SimRequest): boolean;
  /** Who is calling and what they ask for; a request the cloud would refuse before any service sees it is refused here. */
  resolve(request: SimRequest): Resolution;
  /** Serves this (checked) section of the world from now on. */
  serve(section: Section | undefined): void;
}

/** One HTTP request, its body read in full. */
export interface SimRequest {
  readonly method: string;
  /** The path and query as sent. */
  readonly url: string;
  readonly path: string;
  /** The query string with its leading `?`, or "". */
  readonly search: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** It came in over HTTPS. */
  readonly secure: boolean;
}

/** A request header's value (`name` in lower case), when it came once. */
export function header(request: SimRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === "string" ? value : undefined;
}

/** An answer in a cloud's wire format. */
export interface Reply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** The cloud's error code, for the request log. */
  readonly errorCode?: string;
}

/** One simulated operation. */
export interface CatalogueEntry {
  readonly service: string;
  readonly operation: string;
  /**
   * It changes nothing, whatever its name says: AWS STS AssumeRole is not a read (it issues credentials), Azure's
   * `POST …/listKeys` is a read that returns secrets.
   */
  readonly read: boolean;
  /** It can return secret material; whether one request did is that call's `secret`. */
  readonly returnsSecret: boolean;
  /** The service's documented request rate per account and region, enforced when the simulator is asked to. */
  readonly ratePerSecond?: number;
}

/** What the request log records of a request, whatever happens to it. */
export interface RequestIdentity {
  readonly service: string;
  /** The operation as far as the request names it (an unknown one too). */
  readonly operation: string;
  /** Account, subscription or project of the caller; "" when not known. */
  readonly account: string;
  readonly region: string;
  /** The credential that signed it (an AWS access key id), "" when none. */
  readonly principal: string;
}

/** A request answered at once, before faults: unauthenticated, an unknown operation, an unreadable body. */
export interface Refusal extends RequestIdentity {
  readonly kind: "refused";
  /** The catalogue entry when the operation is known. */
  readonly entry?: CatalogueEntry;
  readonly reply: Reply;
}

/** A request for a catalogued operation by a known caller: faults may decide its answer. */
export interface Call extends RequestIdentity {
  readonly kind: "call";
  readonly entry: CatalogueEntry;
  /** This request asked for secret material in clear (SSM `WithDecryption`). */
  readonly secret: boolean;
  /** False for services not served per region (AWS IAM, STS …): region faults do not apply to them. */
  readonly regional: boolean;
  /** The account and identity this call enters (AWS AssumeRole), which `target-unreachable` faults match. */
  readonly target?: FaultTarget;
  /** The answer when no fault decides it. */
  answer(): Reply;
  /** A fault as this cloud answers it. */
  fail(kind: ErrorFaultKind): Reply;
}

export type Resolution = Refusal | Call;
