import type { ErrorFaultKind } from "../../core/faults.ts";
import type { CatalogueEntry, Frontend, Reply, RequestIdentity, Resolution, SimRequest } from "../../core/frontend.ts";
import { header } from "../../core/frontend.ts";
import { CREDENTIAL_ENTRIES, credentialExchange, isCredentialRequest, oauthError, principalOf } from "./identity.ts";
import { errorReply, GoogleApiError, jsonReply, permissionDenied } from "./protocol.ts";
import type { GcpCall, GcpRoute, GcpService } from "./service.ts";
import { apiKeys } from "./services/api-keys.ts";
import { logging } from "./services/logging.ts";
import { resourceManager } from "./services/resource-manager.ts";
import { serviceUsage } from "./services/service-usage.ts";
import { vertexAi } from "./services/vertex-ai.ts";
import { workbench } from "./services/workbench.ts";
import type { GcpWorld } from "./world.ts";
import { type IndexedGcpWorld, type IndexedProject, indexWorld } from "./world-index.ts";
import { gcpWorldSection } from "./world-section.ts";

export interface GcpFrontendOptions {
  /** The most items any List call returns per page (default 2; a client's smaller pageSize wins). */
  readonly pageSize?: number;
}

/** Every simulated Google API, one module each under services/ (the table is in the package README). */
export const GCP_SERVICES: readonly GcpService[] = [
  resourceManager,
  serviceUsage,
  apiKeys,
  vertexAi,
  workbench,
  logging,
];

interface CompiledRoute {
  readonly service: GcpService;
  readonly route: GcpRoute;
  readonly pattern: RegExp;
  readonly labels: readonly string[];
  readonly entry: CatalogueEntry;
}

const CATALOGUE = new Map<string, CatalogueEntry>(
  Object.values(CREDENTIAL_ENTRIES).map((entry) => [`${entry.service}:${entry.operation}`, entry]),
);
const ROUTES: CompiledRoute[] = [];
for (const service of GCP_SERVICES) {
  for (const route of service.routes) {
    const key = `${service.name}:${route.operation}`;
    let entry = CATALOGUE.get(key);
    if (entry === undefined) {
      entry = {
        service: service.name,
        operation: route.operation,
        read: route.read,
        returnsSecret: route.secret === true,
        ...(route.ratePerSecond === undefined ? {} : { ratePerSecond: route.ratePerSecond }),
      };
      CATALOGUE.set(key, entry);
    }
    const labels: string[] = [];
    const source = route.path.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{(\w+)\}/g, (_match, label: string) => {
      labels.push(label);
      return "([^/:]+)";
    });
    ROUTES.push({ service, route, pattern: new RegExp(`^${source}$`), labels, entry });
  }
}

/** Paths of the Google APIs the simulator serves: `/v1/…`, `/v2/…`, `/v3/…`, the locations mixin's `/ui/…`. */
const GOOGLE_PATH = /^\/(v\d+(beta\d*|alpha\d*)?|ui)\/[a-z]/;
const GOOGLEAPIS_HOST = /^([a-z0-9-]+)\.googleapis\.com$/;

/**
 * Google Cloud: JSON over HTTP/1.1 as the Node clients' REST transport (`fallback: true`) and the REST reference
 * send it, Bearer credentials (self-signed service-account JWTs or tokens from the OAuth token endpoint, which is
 * simulated too), `pageSize`/`pageToken` paging, errors as `{"error":{"code","message","status","details"}}`.
 * Requests are routed by path; a `*.googleapis.com` Host header (a client reaching the simulator under Google's
 * names) must name the API the path belongs to, and for Vertex AI's regional endpoints the path's location.
 */
export function createGcpFrontend(options: GcpFrontendOptions = {}): Frontend<GcpWorld> {
  const pageSize = options.pageSize ?? 2;
  if (!(Number.isInteger(pageSize) && pageSize >= 1))
    throw new RangeError(`pageSize must be a positive integer, got ${pageSize}`);
  let world: IndexedGcpWorld = indexWorld(undefined);

  function resolve(request: SimRequest): Resolution {
    const host = (header(request, "host") ?? "").replace(/:\d+$/, "");
    if (isCredentialRequest(request)) return credentialCall(request, world);
    const found = findRoute(request.method, request.path);
    const principal = principalOf(header(request, "authorization"), world.caller) ?? "";
    const named = GOOGLEAPIS_HOST.exec(host)?.[1] ?? "";
    if (found === undefined) {
      return refuse(
        { service: named, operation: `${request.method} ${request.path}`, account: "", region: "", principal },
        new GoogleApiError("NOT_FOUND", `cloud-sim does not simulate ${request.method} ${request.path}`),
      );
    }
    const { compiled, params } = found;
    const { service, route, entry } = compiled;
    const location = params.location ?? "";
    let body: Record<string, unknown> = {};
    let unreadable = false;
    if (request.method === "POST" && request.body.trim() !== "") {
      try {
        const parsed: unknown = JSON.parse(request.body);
        if (parsed !== null && typeof parsed === "object" && !Array.isArray(parsed))
          body = parsed as Record<string, unknown>;
        else unreadable = true;
      } catch {
        unreadable = true;
      }
    }
    const projectKey = params.project ?? projectOfResourceNames(body.resourceNames);
    const project = projectKey === undefined ? undefined : world.projects.get(projectKey);
    const identity: RequestIdentity = {
      service: service.name,
      operation: route.operation,
      account: project?.projectId ?? projectKey ?? "",
      region: location,
      principal,
    };
    if (principal === "")
      return refuse(
        identity,
        new GoogleApiError(
          "UNAUTHENTICATED",
          "Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential.",
          { reason: "CREDENTIALS_MISSING", domain: "googleapis.com" },
        ),
        entry,
      );
    const wrongHost = hostMismatch(host, named, service, location);
    if (wrongHost !== undefined) return refuse(identity, wrongHost, entry);
    if (unreadable)
      return refuse(identity, new GoogleApiError("INVALID_ARGUMENT", "Invalid JSON payload received."), entry);
    const served = world;
    const call: GcpCall = {
      operation: route.operation,
      params,
      query: new URLSearchParams(request.search),
      body,
      world: served,
      principal,
      project,
      pageSize,
    };
    return {
      kind: "call",
      ...identity,
      entry,
      secret: route.secret === true,
      regional: service.regional === true && location !== "" && location !== "global" && location !== "-",
      ...(project === undefined ? {} : { target: { account: project.projectId, name: principal } }),
      answer: () => answer(service, route, call),
      fail: (kind) =>
        errorReply(
          faultError(kind, {
            host: service.host,
            title: service.title,
            permission: route.permission,
            project,
            projectKey,
            location,
          }),
        ),
    };
  }

  return {
    cloud: "gcp",
    section: gcpWorldSection,
    catalogue: [...CATALOGUE.values()],
    hostnames: ["*.googleapis.com"],
    matches: (request) =>
      GOOGLE_PATH.test(request.path) ||
      isCredentialRequest(request) ||
      GOOGLEAPIS_HOST.test((header(request, "host") ?? "").replace(/:\d+$/, "")),
    resolve,
    serve(section) {
      world = indexWorld(section);
    },
  };
}

function findRoute(
  method: string,
  path: string,
): { compiled: CompiledRoute; params: Record<string, string> } | undefined {
  for (const compiled of ROUTES) {
    if (compiled.route.method !== method) continue;
    const match = compiled.pattern.exec(path);
    if (match === null) continue;
    const params: Record<string, string> = {};
    compiled.labels.forEach((label, i) => {
      params[label] = decodeLabel(match[i + 1]!);
    });
    return { compiled, params };
  }
  return undefined;
}

/** A credential endpoint (OAuth token, STS, IAM Credentials): not a read, as it issues credentials. */
function credentialCall(request: SimRequest, world: IndexedGcpWorld): Resolution {
  const exchange = credentialExchange(request, world.caller);
  const identity: RequestIdentity = {
    service: exchange.entry.service,
    operation: exchange.entry.operation,
    account: "",
    region: "",
    principal: exchange.principal,
  };
  if (exchange.refused) return { kind: "refused", ...identity, entry: exchange.entry, reply: exchange.reply };
  const google = exchange.entry === CREDENTIAL_ENTRIES.impersonate;
  return {
    kind: "call",
    ...identity,
    entry: exchange.entry,
    secret: false,
    regional: false,
    answer: () => exchange.reply,
    fail: (kind) =>
      google
        ? errorReply(
            faultError(kind, {
              host: "iamcredentials.googleapis.com",
              title: "IAM Service Account Credentials API",
              permission: "iam.serviceAccounts.getAccessToken",
            }),
          )
        : kind === "throttle"
          ? oauthError(429, "rate_limit_exceeded", "Rate limit exceeded.")
          : kind === "error500" || kind === "error503"
            ? oauthError(kind === "error500" ? 500 : 503, "internal_failure", "Backend error.")
            : oauthError(400, "invalid_grant", "The caller is not allowed this credential."),
  };
}

/** The project a Logging `resourceNames` list names first. */
function projectOfResourceNames(names: unknown): string | undefined {
  if (!Array.isArray(names)) return undefined;
  return /^projects\/([^/]+)$/.exec(String(names[0] ?? ""))?.[1];
}

/** A `*.googleapis.com` Host that names another API, or another Vertex AI region than the path's location. */
function hostMismatch(host: string, named: string, service: GcpService, location: string): GoogleApiError | undefined {
  if (named === "" || `${named}.googleapis.com` === service.host) return undefined;
  const regional = service.regional === true ? new RegExp(`^(.+)-${service.name}$`).exec(named) : null;
  if (regional === null)
    return new GoogleApiError("NOT_FOUND", `${host} does not serve this path (it belongs to ${service.host}).`);
  if (location !== "" && regional[1] !== location)
    return new GoogleApiError(
      "INVALID_ARGUMENT",
      `The location ${location} in the request does not match the regional endpoint ${host}; call ${location}-${service.host}.`,
    );
  return undefined;
}

/** The operation's answer, or the error it raised (a defect answers as INTERNAL, in Google's error shape). */
function answer(service: GcpService, route: GcpRoute, call: GcpCall): Reply {
  try {
    const project = call.project;
    if (route.needsEnabledService === true && project !== undefined && project.state === "ACTIVE")
      assertEnabled(service, project);
    return jsonReply(route.run(call));
  } catch (error) {
    if (error instanceof GoogleApiError) return errorReply(error);
    const message = error instanceof Error ? error.message : String(error);
    return errorReply(
      new GoogleApiError("INTERNAL", `cloud-sim defect in ${service.name}:${route.operation}: ${message}`),
    );
  }
}

/** An API the project has not enabled answers every call with SERVICE_DISABLED, as Google does. */
function assertEnabled(service: GcpService, project: IndexedProject): void {
  if (!project.services.has(service.host)) throw serviceDisabled(service.host, service.title, project.number);
}

function serviceDisabled(host: string, title: string, projectNumber: string): GoogleApiError {
  return new GoogleApiError(
    "PERMISSION_DENIED",
    `${title} has not been used in project ${projectNumber} before or it is disabled. Enable it by visiting https://console.developers.google.com/apis/api/${host}/overview?project=${projectNumber} then retry.`,
    {
      reason: "SERVICE_DISABLED",
      domain: "googleapis.com",
      metadata: { service: host, consumer: `projects/${projectNumber}` },
    },
  );
}

/** What a fault's answer names: the API, the permission the call needed, the project and location it was for. */
interface FaultContext {
  readonly host: string;
  readonly title: string;
  readonly permission: string;
  readonly project?: IndexedProject | undefined;
  /** The project as the path names it (id or number), when the world does not know it. */
  readonly projectKey?: string | undefined;
  readonly location?: string | undefined;
}

/** A generic fault as Google APIs answer it. */
function faultError(kind: ErrorFaultKind, context: FaultContext): GoogleApiError {
  const consumer = context.project === undefined ? "" : `project_number:${context.project.number}`;
  const projectName = `projects/${context.project?.projectId ?? context.projectKey ?? "-"}`;
  switch (kind) {
    case "throttle":
      return new GoogleApiError(
        "RESOURCE_EXHAUSTED",
        `Quota exceeded for quota metric 'Read requests' and limit 'Read requests per minute' of service '${context.host}' for consumer '${consumer}'.`,
        { reason: "RATE_LIMIT_EXCEEDED", domain: "googleapis.com", metadata: { service: context.host, consumer } },
      );
    case "error500":
      return new GoogleApiError("INTERNAL", "Internal error encountered.");
    case "error503":
      return new GoogleApiError("UNAVAILABLE", "The service is currently unavailable.");
    case "access-denied":
    case "target-unreachable":
      return permissionDenied(context.permission, projectName);
    case "region-disabled":
      return new GoogleApiError(
        "FAILED_PRECONDITION",
        `${context.title} is not available in location ${context.location ?? ""} for ${projectName}.`,
      );
    case "service-disabled":
      return serviceDisabled(context.host, context.title, context.project?.number ?? context.projectKey ?? "-");
  }
}

function refuse(identity: RequestIdentity, error: GoogleApiError, entry?: CatalogueEntry): Resolution {
  return { kind: "refused", ...identity, ...(entry === undefined ? {} : { entry }), reply: errorReply(error) };
}

function decodeLabel(label: string): string {
  try {
    return decodeURIComponent(label);
  } catch {
    return label;
  }
}
