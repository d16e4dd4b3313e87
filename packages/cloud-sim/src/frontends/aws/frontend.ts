import type { ErrorFaultKind } from "../../core/faults.ts";
import type { CatalogueEntry, Frontend, Reply, RequestIdentity, Resolution, SimRequest } from "../../core/frontend.ts";
import { header } from "../../core/frontend.ts";
import { signatureMismatch } from "./sigv4.ts";
import { AwsIdentities, type Caller, parseSigningScope } from "./identity.ts";
import {
  AwsError,
  type AwsProtocol,
  ec2Reply,
  errorReply,
  jsonReply,
  newRequestId,
  queryReply,
  xmlReply,
} from "./protocol.ts";
import { findRoute, isRestPath, protocolOf, type Route } from "./routes.ts";
import type { AwsCall, AwsService } from "./service.ts";
import { AWS_SERVICES } from "./services.ts";
import { notAuthorizedToAssume } from "./services/sts.ts";
import type { AwsWorld } from "./world.ts";
import { indexWorld } from "./world-index.ts";
import { awsWorldSection } from "./world-section.ts";

export interface AwsFrontendOptions {
  /** The most items any List call returns per page (default 2; a client's smaller MaxResults wins). */
  readonly pageSize?: number;
}

/** Every simulated AWS operation, by service name and operation. */
const CATALOGUE = new Map<string, CatalogueEntry>(
  AWS_SERVICES.flatMap((service) =>
    Object.entries(service.operations).map(([operation, spec]): [string, CatalogueEntry] => [
      `${service.name}:${operation}`,
      {
        service: service.name,
        operation,
        read: spec.read,
        returnsSecret: spec.secret !== undefined,
        ...(spec.ratePerSecond === undefined ? {} : { ratePerSecond: spec.ratePerSecond }),
      },
    ]),
  ),
);

/** Global services are answered from us-east-1 whatever region the request was signed for. */
const GLOBAL_REGION = "us-east-1";

/**
 * AWS: requests signed with SigV4, whose credential scope names the caller's key, the region and the signing
 * service; the operation is named by X-Amz-Target (awsJson1_1), a form's Action (awsQuery, ec2Query) or the path
 * (restJson1, restXml).
 */
export function createAwsFrontend(options: AwsFrontendOptions = {}): Frontend<AwsWorld> {
  const pageSize = options.pageSize ?? 2;
  if (!(Number.isInteger(pageSize) && pageSize >= 1))
    throw new RangeError(`pageSize must be a positive integer, got ${pageSize}`);
  let world = indexWorld(undefined);
  const identities = new AwsIdentities(world);

  function resolve(request: SimRequest): Resolution {
    const requestId = newRequestId();
    const target = header(request, "x-amz-target");
    const requested = protocolOf(request.method, header(request, "content-type") ?? "", target);
    const form = requested === "awsQuery" ? new URLSearchParams(request.body) : undefined;
    // Replies speak the service's protocol once the request names one (EC2 answers a form in its own XML).
    let protocol: AwsProtocol = requested;
    const refuse = (identity: RequestIdentity, error: AwsError, entry?: CatalogueEntry): Resolution => ({
      kind: "refused",
      ...identity,
      ...(entry === undefined ? {} : { entry }),
      reply: errorReply(protocol, error, requestId),
    });
    // The operation as far as the request names it (a REST path names none: it is recorded as "METHOD /path").
    const named =
      target !== undefined
        ? target.slice(target.lastIndexOf(".") + 1)
        : requested === "awsQuery"
          ? (form?.get("Action") ?? "")
          : `${request.method} ${request.path}`;

    const scope = parseSigningScope(header(request, "authorization"));
    if (scope === undefined) {
      return refuse(
        { service: "", operation: named, account: "", region: "", principal: "" },
        new AwsError(
          protocol === "awsQuery" ? "MissingAuthenticationToken" : "MissingAuthenticationTokenException",
          "Request is missing Authentication Token",
          403,
        ),
      );
    }
    const caller = identities.callerOf(scope.accessKeyId);
    const route = findRoute(requested, scope.service, target, form, request.method, request.path, request.search);
    if (route !== undefined) protocol = route.service.protocol;
    const identity: RequestIdentity = {
      service: route?.service.name ?? scope.service,
      operation: route?.operation ?? named,
      account: caller?.account ?? "",
      region: scope.region,
      principal: scope.accessKeyId,
    };
    if (route === undefined) {
      const status = requested === "restJson1" ? 404 : 400;
      const code = protocol === "awsQuery" ? "InvalidAction" : "UnknownOperationException";
      return refuse(identity, new AwsError(code, `cloud-sim does not simulate ${scope.service} ${named}`, status));
    }
    const { service, operation } = route;
    const entry = CATALOGUE.get(`${service.name}:${operation}`)!;
    let input: Record<string, unknown>;
    try {
      input = parseInput(protocol, request, form, route);
    } catch {
      return refuse(identity, new AwsError("SerializationException", "The request body is not valid JSON."), entry);
    }
    // Keys the endpoint does not know never reach a service.
    if (caller === undefined) return refuse(identity, invalidToken(service), entry);
    // A session this STS issued is checked as AWS checks it: its token, then its signature.
    const issued = identities.issuedKeys(scope.accessKeyId);
    if (issued !== undefined) {
      if (header(request, "x-amz-security-token") !== issued.sessionToken)
        return refuse(identity, invalidToken(service), entry);
      const mismatch = signatureMismatch(request, issued.secretAccessKey);
      if (mismatch !== undefined) return refuse(identity, signatureDoesNotMatch(service, mismatch), entry);
    }
    const spec = service.operations[operation]!;
    const entered = spec.enters?.(input);
    const served = world;
    return {
      kind: "call",
      ...identity,
      entry,
      secret: spec.secret?.(input) ?? false,
      regional: !service.global,
      ...(entered === undefined ? {} : { target: entered }),
      answer: () =>
        answer(protocol, requestId, service, {
          operation,
          input,
          world: served,
          caller,
          regionName: service.global ? GLOBAL_REGION : scope.region,
          pageSize,
          identities,
        }),
      fail: (kind) => errorReply(protocol, faultError(kind, service, operation, caller, input), requestId),
    };
  }

  return {
    cloud: "aws",
    section: awsWorldSection,
    catalogue: [...CATALOGUE.values()],
    // Clients reach AWS through an endpoint override (AWS_ENDPOINT_URL, --endpoint-url): loopback names suffice.
    hostnames: [],
    matches: (request) =>
      header(request, "authorization")?.startsWith("AWS4-") === true ||
      header(request, "x-amz-target") !== undefined ||
      (request.method === "POST" && /(^|&)Action=/.test(request.body)) ||
      isRestPath(request.path),
    resolve,
    serve(section) {
      world = indexWorld(section);
      identities.serve(world);
    },
  };
}

type CallContext = Omit<AwsCall, "account" | "region">;

/** The operation's answer in the protocol's shape, or the error it raised (a defect answers as an internal failure). */
function answer(protocol: AwsProtocol, requestId: string, service: AwsService, context: CallContext): Reply {
  try {
    const account = context.world.accounts.get(context.caller.account);
    if (account === undefined) throw invalidToken(service);
    const region = service.global ? undefined : account.regions.get(context.regionName);
    // An opt-in region that is not enabled does not know the account's credentials.
    if (!service.global && region === undefined) throw invalidToken(service);
    const result = service.operations[context.operation]!.run({ ...context, account, region });
    switch (protocol) {
      case "awsQuery":
        return queryReply(context.operation, service.namespace ?? "", String(result ?? ""), requestId);
      case "ec2Query":
        return ec2Reply(context.operation, service.namespace ?? "", String(result ?? ""), requestId);
      case "restXml":
        return xmlReply(String(result ?? ""), requestId);
      default:
        return jsonReply(protocol, result, requestId);
    }
  } catch (error) {
    // A defect in the simulator still answers in the protocol's own error shape, so the client fails with a 500 it
    // can report (and the log line names it) instead of an unparseable body.
    const failure =
      error instanceof AwsError
        ? error
        : new AwsError(
            "InternalFailure",
            `cloud-sim defect in ${service.name}:${context.operation}: ${error instanceof Error ? error.message : String(error)}`,
            500,
          );
    return errorReply(protocol, failure, requestId);
  }
}

function parseInput(
  protocol: AwsProtocol,
  request: SimRequest,
  form: URLSearchParams | undefined,
  route: Route,
): Record<string, unknown> {
  if (protocol === "awsQuery" || protocol === "ec2Query") return Object.fromEntries(form!.entries());
  // S3's reads carry no body: their input is the path and query.
  const parsed = request.body.trim() === "" || protocol === "restXml" ? {} : (JSON.parse(request.body) as unknown);
  const json =
    parsed !== null && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  if (protocol === "awsJson1_1") return json;
  const input: Record<string, unknown> = { ...json };
  if (request.search !== "") for (const [key, value] of new URLSearchParams(request.search)) input[key] = value;
  return Object.assign(input, route.pathParams);
}

/** A generic fault as this service answers it. */
function faultError(
  kind: ErrorFaultKind,
  service: AwsService,
  operation: string,
  caller: Caller,
  input: Record<string, unknown>,
): AwsError {
  switch (kind) {
    case "throttle":
      return new AwsError(service.throttle.code, "Rate exceeded", service.throttle.status);
    case "error500": {
      const internal = service.internalError ?? {
        code: service.protocol === "restJson1" ? "InternalServerException" : "InternalFailure",
        status: 500,
      };
      return new AwsError(internal.code, "We encountered an internal error. Please try again.", internal.status);
    }
    case "error503":
      if (service.errors?.unavailable !== undefined)
        return new AwsError(service.errors.unavailable.code, "Service is unavailable. Please try again later.", 503);
      return new AwsError(
        service.protocol === "restJson1" ? "ServiceUnavailableException" : "ServiceUnavailable",
        "Service is unavailable. Please try again later.",
        503,
      );
    case "access-denied":
      if (service.errors?.accessDenied !== undefined)
        return new AwsError(
          service.errors.accessDenied.code,
          `You are not authorized to perform this operation. User: ${caller.arn} is not authorized to perform: ${service.signingName}:${operation}`,
          service.errors.accessDenied.status,
        );
      return service.protocol === "awsQuery"
        ? new AwsError(
            "AccessDenied",
            `User: ${caller.arn} is not authorized to perform: ${service.signingName}:${operation}`,
            403,
          )
        : new AwsError(
            "AccessDeniedException",
            `User: ${caller.arn} is not authorized to perform: ${service.signingName}:${operation} because no identity-based policy allows the ${service.signingName}:${operation} action`,
            service.protocol === "restJson1" ? 403 : 400,
          );
    case "target-unreachable":
      return notAuthorizedToAssume(caller, String(input.RoleArn ?? ""));
    case "region-disabled":
      return invalidToken(service);
    case "service-disabled":
      if (service.errors?.serviceDisabled !== undefined)
        return new AwsError(
          service.errors.serviceDisabled.code,
          "The AWS Access Key Id needs a subscription for the service",
          service.errors.serviceDisabled.status,
        );
      return service.protocol === "awsQuery"
        ? new AwsError("OptInRequired", "The AWS Access Key Id needs a subscription for the service", 403)
        : new AwsError(
            "SubscriptionRequiredException",
            "The AWS Access Key Id needs a subscription for the service",
            service.protocol === "restJson1" ? 403 : 400,
          );
  }
}

/** AWS's answer to a request whose signature is not its key's, in the code its protocol's services use. */
function signatureDoesNotMatch(service: AwsService, why: string): AwsError {
  const code =
    service.protocol === "ec2Query"
      ? "AuthFailure"
      : service.protocol === "awsQuery" || service.protocol === "restXml"
        ? "SignatureDoesNotMatch"
        : "InvalidSignatureException";
  return new AwsError(
    code,
    `The request signature we calculated does not match the signature you provided (cloud-sim: ${why}).`,
    403,
  );
}

/** Credentials the endpoint does not know: unknown keys, and every key in an opt-in region that is not enabled. */
function invalidToken(service: AwsService): AwsError {
  const own = service.errors?.invalidToken;
  if (own !== undefined)
    return new AwsError(own.code, "The security token included in the request is invalid.", own.status);
  return service.protocol === "awsQuery"
    ? new AwsError("InvalidClientTokenId", "The security token included in the request is invalid.", 403)
    : new AwsError(
        "UnrecognizedClientException",
        "The security token included in the request is invalid.",
        service.protocol === "restJson1" ? 403 : 400,
      );
}
