import type { AwsProtocol } from "./aws-protocol.ts";
import type { IndexedAccount, IndexedRegion, IndexedWorld } from "./world-index.ts";

/** Who is calling, as resolved from the access key id. */
export interface Caller {
  readonly account: string;
  readonly arn: string;
  readonly accessKeyId: string;
  /** The user id STS GetCallerIdentity reports (`AIDA…` for users, `AROA…:session` for roles). */
  readonly userId: string;
}

/** Assumed-role sessions the simulated STS issued, by access key id. */
export interface Session {
  readonly account: string;
  readonly arn: string;
  readonly userId: string;
}

/** One call as a service operation sees it. */
export interface AwsCall {
  readonly operation: string;
  /** The JSON body (awsJson1_1), form parameters (awsQuery), or path + query + JSON body (restJson1). */
  readonly input: Record<string, unknown>;
  readonly world: IndexedWorld;
  readonly caller: Caller;
  readonly account: IndexedAccount;
  /** The region's data; undefined for global services (IAM, STS, Organizations, Account). */
  readonly region: IndexedRegion | undefined;
  readonly regionName: string;
  readonly pageSize: number;
  readonly sessions: Map<string, Session>;
}

/** What an operation returns: a JSON body (json protocols) or an XML result fragment (awsQuery). */
export type Operation = (call: AwsCall) => unknown;

export interface RestRoute {
  readonly method: "GET" | "POST" | "PUT" | "DELETE";
  /** Path template: `/custom-models/{modelIdentifier}`; a trailing slash is part of the route as AWS models it. */
  readonly path: string;
  readonly operation: string;
}

export interface AwsService {
  /** The name requests are recorded and faults matched under (bedrock-agent differs from its signing name). */
  readonly name: string;
  /** The SigV4 signing name (`bedrock` for both bedrock and bedrock-agent). */
  readonly signingName: string;
  readonly protocol: AwsProtocol;
  /** Global services answer in every region; regional ones only in the account's enabled regions. */
  readonly global: boolean;
  /** awsJson1_1: the X-Amz-Target prefix before the dot. */
  readonly targetPrefix?: string;
  /** awsQuery: the XML namespace of replies. */
  readonly namespace?: string;
  readonly routes?: readonly RestRoute[];
  /** The error code and status this service throttles with. */
  readonly throttle: { readonly code: string; readonly status: number };
  readonly internalError?: { readonly code: string; readonly status: number };
  /** Documented per-account, per-region request rates (requests/second), enforced when the simulator is asked to. */
  readonly rateLimits?: Readonly<Record<string, number>>;
  readonly operations: Readonly<Record<string, Operation>>;
}

/** The region's data or the regional-service failure when a regional operation has no region (never for a routed call). */
export function regionOf(call: AwsCall): IndexedRegion {
  if (call.region === undefined) throw new Error(`${call.operation} is regional but was routed as global`);
  return call.region;
}
