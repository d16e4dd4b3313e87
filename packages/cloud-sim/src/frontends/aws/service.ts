import type { FaultTarget } from "../../core/faults.ts";
import { type Page, type PageRequest, paginate } from "../../core/pagination.ts";
import type { AwsIdentities, Caller } from "./identity.ts";
import { AwsError, type AwsProtocol } from "./protocol.ts";
import type { IndexedAccount, IndexedRegion, IndexedWorld } from "./world-index.ts";

/** One call as a service operation sees it. */
export interface AwsCall {
  readonly operation: string;
  /** The JSON body (awsJson1_1), form parameters (awsQuery, ec2Query), or path + query (+ JSON body) (rest protocols). */
  readonly input: Record<string, unknown>;
  readonly world: IndexedWorld;
  readonly caller: Caller;
  readonly account: IndexedAccount;
  /** The region's data; undefined for global services (IAM, STS, Organizations, Account). */
  readonly region: IndexedRegion | undefined;
  readonly regionName: string;
  readonly pageSize: number;
  /** Who the frontend knows: STS AssumeRole issues sessions here. */
  readonly identities: AwsIdentities;
}

/** An operation of the catalogue: what it answers, and what it is. */
export interface AwsOperation {
  /** A JSON body (json protocols), an XML result fragment (awsQuery, ec2Query) or document (restXml). */
  readonly run: (call: AwsCall) => unknown;
  /** It changes nothing. Decided per operation, never from its name. */
  readonly read: boolean;
  /** When the answer holds secret material in clear (SSM GetParameters with WithDecryption); absent: never. */
  readonly secret?: (input: Record<string, unknown>) => boolean;
  /** The documented request rate per account and region. */
  readonly ratePerSecond?: number;
  /** The account and role the call enters (STS AssumeRole), which target-unreachable faults match. */
  readonly enters?: (input: Record<string, unknown>) => FaultTarget | undefined;
}

type OperationTraits = Omit<AwsOperation, "run" | "read">;

/** An operation that only reads. */
export function read(run: AwsOperation["run"], traits: OperationTraits = {}): AwsOperation {
  return { run, read: true, ...traits };
}

/** An operation that changes something (STS AssumeRole issues credentials). */
export function write(run: AwsOperation["run"], traits: OperationTraits = {}): AwsOperation {
  return { run, read: false, ...traits };
}

export interface RestRoute {
  readonly method: "GET" | "POST" | "PUT" | "DELETE";
  /** Path template: `/custom-models/{modelIdentifier}`; a trailing slash is part of the route as AWS models it. */
  readonly path: string;
  /** A query parameter the request must carry (S3 names the operation by one: `GET /{Bucket}?encryption`). */
  readonly query?: string;
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
  /**
   * awsJson1_1: the X-Amz-Target prefixes before the dot, every form an official SDK sends: the JavaScript SDK (and
   * the other Smithy-generated SDKs) send the service shape's name (`CloudTrail_20131101`), botocore and the AWS CLI
   * the model's `targetPrefix` (`com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101`); most services use one
   * name for both.
   */
  readonly targetPrefixes?: readonly string[];
  /** awsQuery and ec2Query: the XML namespace of replies. */
  readonly namespace?: string;
  readonly routes?: readonly RestRoute[];
  /** The error code and status this service throttles with. */
  readonly throttle: { readonly code: string; readonly status: number };
  readonly internalError?: { readonly code: string; readonly status: number };
  /** Errors this service names its own way (EC2, S3), where the protocol's usual codes are not what it sends. */
  readonly errors?: Partial<
    Record<
      "accessDenied" | "invalidToken" | "unavailable" | "serviceDisabled",
      { readonly code: string; readonly status: number }
    >
  >;
  readonly operations: Readonly<Record<string, AwsOperation>>;
}

/** The region's data or the regional-service failure when a regional operation has no region (never for a routed call). */
export function regionOf(call: AwsCall): IndexedRegion {
  if (call.region === undefined) throw new Error(`${call.operation} is regional but was routed as global`);
  return call.region;
}

/** One page of a list; a token the service did not issue is refused with the service's own error code. */
export function listPage<T>(
  items: readonly T[],
  request: Omit<PageRequest, "invalidToken"> & { readonly invalidTokenCode?: string },
): Page<T> {
  const code = request.invalidTokenCode ?? "InvalidNextToken";
  return paginate(items, {
    ...request,
    invalidToken: () => new AwsError(code, "The pagination token is invalid or belongs to another request."),
  });
}
