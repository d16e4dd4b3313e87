import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  AwsError,
  type AwsProtocol,
  type EncodedReply,
  errorReply,
  jsonReply,
  newRequestId,
  parseSigningScope,
  queryReply,
} from "./aws-protocol.ts";
import type { AwsCall, AwsService, Caller, Session } from "./aws-service.ts";
import { AWS_SERVICES } from "./aws-services.ts";
import { type FaultKind, FaultPlan, type FaultSpec } from "./faults.ts";
import { RequestLog, type RequestRecord } from "./request-log.ts";
import { type IndexedWorld, indexWorld, stableId } from "./world-index.ts";
import { checkWorld, loadWorld, type World } from "./world.ts";

export interface CloudSimOptions {
  /** A world object, or the path of a YAML world file. */
  readonly world: World | string;
  /** Default 0: any free port. Always 127.0.0.1. */
  readonly port?: number;
  readonly faults?: readonly FaultSpec[];
  /** Seed for the fault draws (default 1). */
  readonly seed?: number;
  /** The most items any List call returns per page (default 2). */
  readonly pageSize?: number;
  /** Added before every answer (default 0). */
  readonly latencyMs?: number;
  /**
   * Enforce the services' documented rate limits (CloudTrail LookupEvents: 2/s per account and region) by
   * throttling requests beyond them, as AWS does. Default false.
   */
  readonly rateLimits?: boolean;
  /** Called with each request once it is answered (or left hanging), e.g. to print a log line. */
  readonly onRequest?: (record: RequestRecord) => void;
}

export interface CloudSim {
  readonly url: string;
  readonly port: number;
  readonly requests: RequestLog;
  /** Stops the server and ends every open connection, hanging requests included. */
  close(): Promise<void>;
  setWorld(world: World): void;
  setFaults(faults: readonly FaultSpec[], seed?: number): void;
}

interface Route {
  readonly service: AwsService;
  readonly operation: string;
  readonly pathParams: Record<string, string>;
}

interface CompiledRoute {
  readonly service: AwsService;
  readonly method: string;
  readonly pattern: RegExp;
  readonly names: readonly string[];
  readonly operation: string;
}

const BY_TARGET = new Map<string, AwsService>();
const QUERY_BY_SIGNING = new Map<string, AwsService>();
const REST_ROUTES: CompiledRoute[] = [];
for (const service of AWS_SERVICES) {
  if (service.protocol === "awsJson1_1" && service.targetPrefix !== undefined)
    BY_TARGET.set(service.targetPrefix, service);
  if (service.protocol === "awsQuery") QUERY_BY_SIGNING.set(service.signingName, service);
  for (const route of service.routes ?? []) {
    const names: string[] = [];
    const source = route.path.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{(\w+)\+?\}/g, (_match, name: string) => {
      names.push(name);
      return "([^/]+)";
    });
    // AWS paths differ only by a trailing slash between SDK versions (Lambda /functions vs /functions/): accept both.
    REST_ROUTES.push({
      service,
      method: route.method,
      pattern: new RegExp(`^${source.replace(/\/$/, "")}/?$`),
      names,
      operation: route.operation,
    });
  }
}

const GLOBAL_REGION = "us-east-1";
const READ_OPERATION = /^(List|Describe|Get|Lookup)/;

export async function startCloudSim(options: CloudSimOptions): Promise<CloudSim> {
  let world: IndexedWorld = indexWorld(
    typeof options.world === "string" ? await loadWorld(options.world) : checkWorld(options.world),
  );
  let faults = new FaultPlan(options.faults ?? [], options.seed ?? 1);
  const pageSize = options.pageSize ?? 2;
  const latencyMs = options.latencyMs ?? 0;
  if (!(Number.isInteger(pageSize) && pageSize >= 1))
    throw new RangeError(`pageSize must be a positive integer, got ${pageSize}`);
  const requests = new RequestLog();
  const sessions = new Map<string, Session>();
  const started = performance.now();
  let sessionCounter = 0;
  /** Token buckets for enforced rate limits, by service/operation/account/region: one second of burst. */
  const buckets = new Map<string, { tokens: number; at: number }>();

  function overRateLimit(service: AwsService, operation: string, account: string, region: string): boolean {
    const rate = options.rateLimits === true ? service.rateLimits?.[operation] : undefined;
    if (rate === undefined) return false;
    const key = `${service.name}/${operation}/${account}/${region}`;
    const now = performance.now();
    const bucket = buckets.get(key) ?? { tokens: rate, at: now };
    bucket.tokens = Math.min(rate, bucket.tokens + ((now - bucket.at) / 1000) * rate);
    bucket.at = now;
    buckets.set(key, bucket);
    if (bucket.tokens < 1) return true;
    bucket.tokens -= 1;
    return false;
  }

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      handle(request, Buffer.concat(chunks).toString("utf8"), response).catch((error: unknown) => {
        // Only reached by a defect outside any operation (operations' own failures are answered in protocol form).
        if (!response.headersSent) {
          const message = `cloud-sim defect: ${error instanceof Error ? error.message : String(error)}`;
          response.writeHead(500, { "content-type": "application/json", "x-amzn-errortype": "InternalFailure" });
          response.end(JSON.stringify({ __type: "InternalFailure", message }));
        }
      });
    });
  });
  // Keep-alive sockets from SDK clients must not hold close() up, and idle ones should stay open as a real endpoint's do.
  server.keepAliveTimeout = 60_000;

  async function handle(request: IncomingMessage, body: string, response: ServerResponse): Promise<void> {
    const requestId = newRequestId();
    // Split the path by hand: most requests are POST / (awsJson, awsQuery), and a URL object per request is measurable.
    const rawUrl = request.url ?? "/";
    const queryAt = rawUrl.indexOf("?");
    const pathname = queryAt < 0 ? rawUrl : rawUrl.slice(0, queryAt);
    const search = queryAt < 0 ? "" : rawUrl.slice(queryAt);
    const method = request.method ?? "GET";
    const contentType = String(request.headers["content-type"] ?? "");
    const target = request.headers["x-amz-target"];
    const scope = parseSigningScope(request.headers.authorization);
    const protocol: AwsProtocol =
      typeof target === "string"
        ? "awsJson1_1"
        : method === "POST" && contentType.startsWith("application/x-www-form-urlencoded")
          ? "awsQuery"
          : "restJson1";
    const form = protocol === "awsQuery" ? new URLSearchParams(body) : undefined;

    const send = async (reply: EncodedReply, delay: number) => {
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
      response.writeHead(reply.status, { ...reply.headers, "content-length": Buffer.byteLength(reply.body) });
      response.end(reply.body);
    };

    if (scope === undefined) {
      await send(
        errorReply(
          protocol,
          new AwsError(
            protocol === "awsQuery" ? "MissingAuthenticationToken" : "MissingAuthenticationTokenException",
            "Request is missing Authentication Token",
            403,
          ),
          requestId,
        ),
        latencyMs,
      );
      return;
    }
    const route = findRoute(
      protocol,
      scope.service,
      typeof target === "string" ? target : undefined,
      form,
      method,
      pathname,
    );
    if (route === undefined) {
      const code = protocol === "awsQuery" ? "InvalidAction" : "UnknownOperationException";
      // The operation name as far as the request tells it (a REST path names no operation: it is recorded as "METHOD /path").
      const operation =
        typeof target === "string"
          ? target.slice(target.lastIndexOf(".") + 1)
          : protocol === "awsQuery"
            ? (form?.get("Action") ?? "")
            : `${method} ${pathname}`;
      const status = protocol === "restJson1" ? 404 : 400;
      const unknown: RequestRecord = {
        at: performance.now() - started,
        service: scope.service,
        operation,
        account: resolveCaller(scope.accessKeyId)?.account ?? "",
        region: scope.region,
        accessKeyId: scope.accessKeyId,
        readOnly: READ_OPERATION.test(operation),
        secret: false,
        status,
        errorCode: code,
      };
      requests.add(unknown);
      await send(
        errorReply(
          protocol,
          new AwsError(code, `cloud-sim does not simulate ${scope.service} ${operation}`, status),
          requestId,
        ),
        latencyMs,
      );
      options.onRequest?.(unknown);
      return;
    }
    const { service, operation } = route;
    const caller = resolveCaller(scope.accessKeyId);
    const region = service.global ? GLOBAL_REGION : scope.region;
    let input: Record<string, unknown> | undefined;
    try {
      input = parseInput(protocol, body, form, search, route.pathParams);
    } catch {
      input = undefined;
    }
    const record: RequestRecord = {
      at: performance.now() - started,
      service: service.name,
      operation,
      account: caller?.account ?? "",
      region: scope.region,
      accessKeyId: scope.accessKeyId,
      readOnly: READ_OPERATION.test(operation),
      secret: input?.WithDecryption === true || input?.WithDecryption === "true",
      status: 0,
    };
    requests.add(record);
    if (input === undefined) {
      record.status = 400;
      record.errorCode = "SerializationException";
      await send(
        errorReply(protocol, new AwsError("SerializationException", "The request body is not valid JSON."), requestId),
        latencyMs,
      );
      options.onRequest?.(record);
      return;
    }

    const roleArn = operation === "AssumeRole" ? String(input.RoleArn ?? "") : "";
    const roleMatch = /^arn:aws:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(roleArn);
    const hits = faults.decide({
      account: caller?.account ?? "",
      region: scope.region,
      service: service.name,
      operation,
      ...(roleMatch === null ? {} : { roleAccount: roleMatch[1]!, roleName: roleMatch[2]! }),
      contentKey: `${method} ${rawUrl} ${body}`,
    });
    let delay = latencyMs;
    let fault: FaultSpec | undefined;
    for (const hit of hits) {
      if (hit.kind === "latency") delay += hit.latencyMs ?? 1000;
      // Global services (IAM, STS, Organizations, Account) are not served per region, so a region is never "not enabled" for them.
      else if (hit.kind === "region-disabled" && service.global) continue;
      else fault ??= hit;
    }
    if (fault?.kind === "hang") {
      record.fault = "hang";
      options.onRequest?.(record);
      return; // never answered: the socket stays open until the client times out or close() destroys it
    }

    let reply: EncodedReply;
    try {
      if (caller === undefined) throw invalidToken(service);
      if (fault !== undefined) {
        record.fault = fault.kind;
        throw faultError(fault.kind, service, operation, caller, roleArn);
      }
      if (overRateLimit(service, operation, caller.account, scope.region)) {
        record.fault = "rate-limit";
        throw new AwsError(service.throttle.code, "Rate exceeded", service.throttle.status);
      }
      const account = world.accounts.get(caller.account);
      if (account === undefined) throw invalidToken(service);
      const regionData = service.global ? undefined : account.regions.get(scope.region);
      // An opt-in region that is not enabled does not know the account's credentials.
      if (!service.global && regionData === undefined) throw invalidToken(service);
      const call: AwsCall = {
        operation,
        input,
        world,
        caller,
        account,
        region: regionData,
        regionName: service.global ? region : scope.region,
        pageSize,
        sessions,
      };
      const handler = service.operations[operation]!;
      const result = operation === "AssumeRole" ? assumeRole(call) : handler(call);
      reply =
        protocol === "awsQuery"
          ? queryReply(operation, service.namespace ?? "", String(result ?? ""), requestId)
          : jsonReply(protocol, result, requestId);
    } catch (error) {
      // A defect in the simulator still answers in the protocol's own error shape, so the client fails with a
      // 500 it can report (and the log line names it) instead of an unparseable body.
      const failure =
        error instanceof AwsError
          ? error
          : new AwsError(
              "InternalFailure",
              `cloud-sim defect in ${service.name}:${operation}: ${error instanceof Error ? error.message : String(error)}`,
              500,
            );
      record.errorCode = failure.code;
      reply = errorReply(protocol, failure, requestId);
    }
    record.status = reply.status;
    await send(reply, delay);
    options.onRequest?.(record);
  }

  function findRoute(
    protocol: AwsProtocol,
    signingName: string,
    target: string | undefined,
    form: URLSearchParams | undefined,
    method: string,
    path: string,
  ): Route | undefined {
    if (protocol === "awsJson1_1") {
      const dot = target!.lastIndexOf(".");
      const service = BY_TARGET.get(target!.slice(0, dot));
      const operation = target!.slice(dot + 1);
      return service !== undefined && Object.hasOwn(service.operations, operation)
        ? { service, operation, pathParams: {} }
        : undefined;
    }
    if (protocol === "awsQuery") {
      const service = QUERY_BY_SIGNING.get(signingName);
      const operation = form?.get("Action") ?? "";
      return service !== undefined && Object.hasOwn(service.operations, operation)
        ? { service, operation, pathParams: {} }
        : undefined;
    }
    for (const route of REST_ROUTES) {
      if (route.service.signingName !== signingName || route.method !== method) continue;
      const match = route.pattern.exec(path);
      if (match === null) continue;
      const pathParams: Record<string, string> = {};
      route.names.forEach((name, i) => {
        pathParams[name] = decodePathLabel(match[i + 1]!);
      });
      return { service: route.service, operation: route.operation, pathParams };
    }
    return undefined;
  }

  // Callers by key id: resolving one hashes ids, and a sweep sends thousands of requests with the same few keys.
  let callers = new Map<string, Caller | undefined>();
  function resolveCaller(accessKeyId: string): Caller | undefined {
    if (callers.has(accessKeyId)) return callers.get(accessKeyId);
    const caller = identify(accessKeyId);
    if (callers.size > 100_000) callers = new Map();
    callers.set(accessKeyId, caller);
    return caller;
  }

  function identify(accessKeyId: string): Caller | undefined {
    const session = sessions.get(accessKeyId);
    if (session !== undefined)
      return { account: session.account, arn: session.arn, accessKeyId, userId: session.userId };
    const embedded = accessKeyId.slice(4, 16);
    if (/^\d{12}$/.test(embedded) && world.accounts.has(embedded)) {
      return {
        account: embedded,
        arn: `arn:aws:iam::${embedded}:user/aigov-sim`,
        accessKeyId,
        userId: `AIDA${stableId(embedded, 16).toUpperCase()}`,
      };
    }
    if (world.caller === undefined) return undefined;
    return {
      account: world.caller.account,
      arn: world.caller.arn,
      accessKeyId,
      userId: `AIDA${stableId(world.caller.arn, 16).toUpperCase()}`,
    };
  }

  /** STS AssumeRole: the role must exist in a world account, be assumable, and get its external id. */
  function assumeRole(call: AwsCall): string {
    const roleArn = String(call.input.RoleArn ?? "");
    const sessionName = String(call.input.RoleSessionName ?? "");
    const match = /^arn:aws:iam::(\d{12}):role\/(?:(.*)\/)?([^/]+)$/.exec(roleArn);
    if (match === null) throw new AwsError("ValidationError", `${roleArn} is not a valid role ARN`, 400);
    if (!/^[\w+=,.@-]{2,64}$/.test(sessionName)) {
      throw new AwsError(
        "ValidationError",
        "1 validation error detected: Value at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*",
        400,
      );
    }
    const duration = Number(call.input.DurationSeconds ?? 3600);
    if (!(Number.isInteger(duration) && duration >= 900 && duration <= 43200)) {
      throw new AwsError(
        "ValidationError",
        "1 validation error detected: Value at 'durationSeconds' failed to satisfy constraint: Member must have value between 900 and 43200",
        400,
      );
    }
    const [, accountId, , roleName] = match as unknown as [string, string, string | undefined, string];
    if (!/^[\w+=,.@-]{1,64}$/.test(roleName))
      throw new AwsError("ValidationError", `${roleArn} is not a valid role ARN`, 400);
    const account = call.world.accounts.get(accountId);
    const role =
      account?.roles === undefined
        ? account === undefined
          ? undefined
          : { name: roleName }
        : account.roles.get(roleName);
    const externalId = call.input.ExternalId === undefined ? undefined : String(call.input.ExternalId);
    if (
      account === undefined ||
      role === undefined ||
      ("assumable" in role && role.assumable === false) ||
      ("externalId" in role && role.externalId !== undefined && role.externalId !== externalId)
    ) {
      throw notAuthorizedToAssume(call.caller, roleArn);
    }
    sessionCounter += 1;
    const accessKeyId = `ASIA${accountId}${(sessionCounter % 36 ** 4).toString(36).toUpperCase().padStart(4, "0")}`;
    const roleId = `AROA${stableId(`${accountId}/${roleName}`, 17).toUpperCase()}`;
    const assumedArn = `arn:aws:sts::${accountId}:assumed-role/${roleName}/${sessionName}`;
    sessions.set(accessKeyId, { account: accountId, arn: assumedArn, userId: `${roleId}:${sessionName}` });
    const expiration = new Date(Date.now() + duration * 1000).toISOString();
    return (
      `<Credentials><AccessKeyId>${accessKeyId}</AccessKeyId><SecretAccessKey>${stableId(accessKeyId, 40)}</SecretAccessKey>` +
      `<SessionToken>FwoGZXIvYXdzEPT//////////simsession${sessionCounter}</SessionToken><Expiration>${expiration}</Expiration></Credentials>` +
      `<AssumedRoleUser><AssumedRoleId>${roleId}:${sessionName}</AssumedRoleId><Arn>${assumedArn}</Arn></AssumedRoleUser><PackedPolicySize>0</PackedPolicySize>`
    );
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
    setWorld(next: World) {
      world = indexWorld(checkWorld(next));
      callers = new Map();
    },
    setFaults(next: readonly FaultSpec[], seed?: number) {
      faults = new FaultPlan(next, seed ?? options.seed ?? 1);
    },
  };
}

/** A path label as the SDK encoded it; a malformed escape stays as sent (and then names nothing that exists). */
function decodePathLabel(label: string): string {
  try {
    return decodeURIComponent(label);
  } catch {
    return label;
  }
}

function parseInput(
  protocol: AwsProtocol,
  body: string,
  form: URLSearchParams | undefined,
  search: string,
  pathParams: Record<string, string>,
): Record<string, unknown> {
  if (protocol === "awsQuery") return Object.fromEntries(form!.entries());
  const parsed = body.trim() === "" ? {} : (JSON.parse(body) as unknown);
  const json =
    parsed !== null && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  if (protocol === "awsJson1_1") return json;
  const input: Record<string, unknown> = { ...json };
  if (search !== "") for (const [key, value] of new URLSearchParams(search)) input[key] = value;
  return Object.assign(input, pathParams);
}

function faultError(
  kind: FaultKind,
  service: AwsService,
  operation: string,
  caller: Caller,
  roleArn: string,
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
      return new AwsError(
        service.protocol === "restJson1" ? "ServiceUnavailableException" : "ServiceUnavailable",
        "Service is unavailable. Please try again later.",
        503,
      );
    case "access-denied":
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
    case "unassumable-role":
      return notAuthorizedToAssume(caller, roleArn);
    case "region-disabled":
      return invalidToken(service);
    case "latency":
    case "hang":
      throw new Error(`fault ${kind} is not an error`);
  }
}

function notAuthorizedToAssume(caller: Caller, roleArn: string): AwsError {
  return new AwsError(
    "AccessDenied",
    `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
    403,
  );
}

/** Credentials the endpoint does not know: unknown keys, and every key in an opt-in region that is not enabled. */
function invalidToken(service: AwsService): AwsError {
  return service.protocol === "awsQuery"
    ? new AwsError("InvalidClientTokenId", "The security token included in the request is invalid.", 403)
    : new AwsError(
        "UnrecognizedClientException",
        "The security token included in the request is invalid.",
        service.protocol === "restJson1" ? 403 : 400,
      );
}
