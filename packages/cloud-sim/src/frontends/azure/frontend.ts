import type { ErrorFaultKind } from "../../core/faults.ts";
import type { CatalogueEntry, Frontend, Reply, RequestIdentity, Resolution, SimRequest } from "../../core/frontend.ts";
import {
  AZURE_CATALOGUE,
  answerArm,
  type ArmCallContext,
  deniedFor,
  missingRegistration,
  namespaceCalled,
  operationOf,
  resourceOf,
} from "./arm-operations.ts";
import { ArmError, armErrorReply, armReply, checkApiVersion } from "./arm-protocol.ts";
import { Entra, EntraError, entraErrorReply, entraFault, entraReply } from "./entra.ts";
import { findRoute, isAzurePath, type Route } from "./routes.ts";
import type { AzureWorld } from "./world.ts";
import { type AzureWorldIndex, indexWorld } from "./world-index.ts";
import { azureWorldSection } from "./world-section.ts";

export interface AzureFrontendOptions {
  /** The most items any list returns per page (default 2; a client's smaller `$top` wins). */
  readonly pageSize?: number;
}

const CATALOGUE = new Map(AZURE_CATALOGUE.map((entry) => [`${entry.service}:${entry.operation}`, entry]));
const entryOf = (service: string, operation: string): CatalogueEntry => CATALOGUE.get(`${service}:${operation}`)!;

/**
 * Azure: Azure Resource Manager (REST under `/subscriptions`, `/providers/Microsoft.Management`, `/tenants`,
 * `api-version` required, bearer tokens) and the Entra ID endpoints its SDKs get tokens from (OpenID
 * configuration, the v2.0 token endpoint), served under the simulator's URL, which clients are given as their ARM
 * endpoint and authority host.
 */
export function createAzureFrontend(options: AzureFrontendOptions = {}): Frontend<AzureWorld> {
  const pageSize = options.pageSize ?? 2;
  if (!(Number.isInteger(pageSize) && pageSize >= 1))
    throw new RangeError(`pageSize must be a positive integer, got ${pageSize}`);
  let world = indexWorld(undefined);
  const entra = new Entra();

  function resolveEntra(
    request: SimRequest,
    route: Route & { kind: "openid-configuration" | "token" | "instance-discovery" },
  ): Resolution {
    const base = `${request.secure ? "https" : "http"}://${request.headers.host ?? "127.0.0.1"}`;
    const served = world;
    if (route.kind === "token") {
      const form = new URLSearchParams(request.body);
      const clientId = form.get("client_id") ?? "";
      return {
        kind: "call",
        service: "entra",
        operation: "Token",
        account: "",
        region: "",
        principal: clientId,
        entry: entryOf("entra", "Token"),
        secret: true,
        regional: false,
        target: { account: route.tenant.toLowerCase(), name: clientId.toLowerCase() },
        answer: () => {
          try {
            return entraReply(entra.token(served, route.tenant, form));
          } catch (error) {
            if (error instanceof EntraError) return entraErrorReply(error);
            throw error;
          }
        },
        fail: (kind) => entraErrorReply(entraFault(kind, clientId, route.tenant)),
      };
    }
    const operation = route.kind === "openid-configuration" ? "OpenIdConfiguration" : "InstanceDiscovery";
    return {
      kind: "call",
      service: "entra",
      operation,
      account: "",
      region: "",
      principal: "",
      entry: entryOf("entra", operation),
      secret: false,
      regional: false,
      answer: () =>
        entraReply(
          route.kind === "openid-configuration"
            ? entra.openIdConfiguration(base, route.tenant)
            : entra.instanceDiscovery(request.headers.host ?? "127.0.0.1"),
        ),
      fail: (kind) => entraErrorReply(entraFault(kind, "", "")),
    };
  }

  function resolve(request: SimRequest): Resolution {
    const route = findRoute(request.method, request.path);
    if (route?.kind === "openid-configuration" || route?.kind === "token" || route?.kind === "instance-discovery")
      return resolveEntra(request, route);

    const query = new URLSearchParams(request.search);
    const named = route === undefined ? undefined : operationOf(route);
    // What the path names, for the log, whether or not the operation is simulated.
    const subscription = /^\/+subscriptions\/([^/]+)/i.exec(request.path)?.[1]?.toLowerCase() ?? "";
    const resource = route === undefined ? resourceNamedBy(world, request.path) : resourceOf(world, route);
    const identity: RequestIdentity = {
      service: named?.service ?? "arm",
      operation: named?.operation ?? `${request.method} ${request.path}`,
      account: subscription,
      region: resource?.location ?? "",
      principal: "",
    };
    const refuse = (error: ArmError, who: RequestIdentity = identity): Resolution => ({
      kind: "refused",
      ...who,
      ...(named === undefined ? {} : { entry: entryOf(named.service, named.operation) }),
      reply: armErrorReply(error),
    });

    const versionError = checkApiVersion(query);
    if (versionError !== undefined) return refuse(versionError);
    const authorization = request.headers.authorization;
    if (authorization === undefined)
      return refuse(
        new ArmError("AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing.", 401),
      );
    const bearer = /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
    const claims = bearer === undefined ? undefined : entra.verify(bearer);
    if (claims === undefined)
      return refuse(
        new ArmError(
          bearer === undefined ? "AuthenticationFailed" : "InvalidAuthenticationToken",
          bearer === undefined
            ? "Authentication failed. The 'Authorization' header is provided in an invalid format."
            : "The access token is invalid, expired, or was not issued by this cloud's Entra ID.",
          401,
        ),
      );
    const caller: RequestIdentity = { ...identity, principal: claims.appid };
    if (route === undefined || named === undefined)
      return refuse(
        new ArmError(
          request.method === "GET" ? "InvalidResourceType" : "MethodNotAllowed",
          `cloud-sim does not simulate ${request.method} ${request.path}`,
          request.method === "GET" ? 404 : 405,
        ),
        caller,
      );
    const entry = entryOf(named.service, named.operation);
    const context: ArmCallContext = {
      world,
      claims,
      query,
      secure: request.secure,
      host: request.headers.host ?? "127.0.0.1",
      path: request.path,
      pageSize,
    };
    return {
      kind: "call",
      ...caller,
      entry,
      secret: entry.returnsSecret,
      regional: caller.region !== "",
      answer: () => answer(() => answerArm(route, context), named.operation),
      fail: (kind) => armErrorReply(armFault(kind, route, context)),
    };
  }

  return {
    cloud: "azure",
    section: azureWorldSection,
    catalogue: AZURE_CATALOGUE,
    hostnames: ["management.azure.com", "login.microsoftonline.com"],
    matches: (request) => isAzurePath(request.path),
    resolve,
    serve(section) {
      world = indexWorld(section);
    },
  };
}

/** The resource a path starts with (`/subscriptions/…/providers/<namespace>/<type>/<name>`), if the world has it. */
function resourceNamedBy(world: AzureWorldIndex, path: string) {
  const segments = path.split("/").filter((segment) => segment !== "");
  return world.resources.get(`/${segments.slice(0, 8).join("/")}`.toLowerCase());
}

/** An operation's answer, or its ArmError (a defect answers as ARM's internal error, so the client can report it). */
function answer(run: () => unknown, operation: string): Reply {
  try {
    return armReply(run());
  } catch (error) {
    if (error instanceof ArmError) return armErrorReply(error);
    return armErrorReply(
      new ArmError(
        "InternalServerError",
        `cloud-sim defect in ${operation}: ${error instanceof Error ? error.message : String(error)}`,
        500,
      ),
    );
  }
}

/** A generic fault as ARM answers it. */
function armFault(
  kind: ErrorFaultKind,
  route: Exclude<Route, { kind: "openid-configuration" | "token" | "instance-discovery" }>,
  ctx: ArmCallContext,
): ArmError {
  switch (kind) {
    case "throttle":
      return new ArmError(
        "TooManyRequests",
        `Number of 'read' requests for subscription '${"subscription" in route ? route.subscription : ""}' actor '${ctx.claims.oid}' exceeded. Please try again after '1' seconds after additional tokens are available. Refer to https://aka.ms/arm-throttling`,
        429,
        { "retry-after": "1" },
      );
    case "error500":
      return new ArmError("InternalServerError", "Encountered internal server error. Please try again.", 500);
    case "error503":
      return new ArmError("ServiceUnavailable", "The server is currently unable to handle the request.", 503);
    case "access-denied":
    case "target-unreachable":
      return deniedFor(route, ctx.claims);
    case "region-disabled":
      return new ArmError(
        "NoRegisteredProviderFound",
        `No registered resource provider found for location and API version '${ctx.query.get("api-version") ?? ""}' for type '${namespaceCalled(route)}'.`,
        400,
      );
    case "service-disabled":
      return missingRegistration(namespaceCalled(route));
  }
}
