import type { AwsService } from "./service.ts";
import { AWS_SERVICES } from "./services.ts";

/** The operation a request asks for. */
export interface Route {
  readonly service: AwsService;
  readonly operation: string;
  /** Rest protocols: the labels of the path template (`{modelIdentifier}`), decoded. */
  readonly pathParams: Record<string, string>;
}

interface RestRoute {
  readonly service: AwsService;
  readonly method: string;
  readonly pattern: RegExp;
  readonly names: readonly string[];
  readonly query: string | undefined;
  readonly operation: string;
}

const BY_TARGET_PREFIX = new Map<string, AwsService>();
const QUERY_BY_SIGNING_NAME = new Map<string, AwsService>();
const REST_ROUTES: RestRoute[] = [];
for (const service of AWS_SERVICES) {
  for (const prefix of service.targetPrefixes ?? []) BY_TARGET_PREFIX.set(prefix, service);
  if (service.protocol === "awsQuery" || service.protocol === "ec2Query")
    QUERY_BY_SIGNING_NAME.set(service.signingName, service);
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
      query: route.query,
      operation: route.operation,
    });
  }
}

/**
 * Which protocol a request speaks, as far as the request says: awsJson1_1 names its operation in X-Amz-Target,
 * awsQuery (and ec2Query) post a form, the rest name it by path (restJson1, or restXml: the service tells).
 */
export function protocolOf(
  method: string,
  contentType: string,
  target: string | undefined,
): "awsJson1_1" | "awsQuery" | "restJson1" {
  if (target !== undefined) return "awsJson1_1";
  return method === "POST" && contentType.startsWith("application/x-www-form-urlencoded") ? "awsQuery" : "restJson1";
}

/**
 * A path some simulated REST service serves (an unsigned request to it is still AWS's to refuse). S3's `/{Bucket}`
 * would claim every one-segment path of the other clouds: routes named by a query parameter are left out.
 */
export function isRestPath(path: string): boolean {
  return REST_ROUTES.some((route) => route.query === undefined && route.pattern.test(path));
}

/** The catalogued operation the request names, if any. */
export function findRoute(
  protocol: ReturnType<typeof protocolOf>,
  signingName: string,
  target: string | undefined,
  form: URLSearchParams | undefined,
  method: string,
  path: string,
  search: string,
): Route | undefined {
  if (protocol === "awsJson1_1") {
    const dot = target!.lastIndexOf(".");
    const service = BY_TARGET_PREFIX.get(target!.slice(0, dot));
    const operation = target!.slice(dot + 1);
    return service !== undefined && Object.hasOwn(service.operations, operation)
      ? { service, operation, pathParams: {} }
      : undefined;
  }
  if (protocol === "awsQuery") {
    const service = QUERY_BY_SIGNING_NAME.get(signingName);
    const operation = form?.get("Action") ?? "";
    return service !== undefined && Object.hasOwn(service.operations, operation)
      ? { service, operation, pathParams: {} }
      : undefined;
  }
  const query = new URLSearchParams(search);
  for (const route of REST_ROUTES) {
    if (route.service.signingName !== signingName || route.method !== method) continue;
    if (route.query !== undefined && !query.has(route.query)) continue;
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

/** A path label as the SDK encoded it; a malformed escape stays as sent (and then names nothing that exists). */
function decodePathLabel(label: string): string {
  try {
    return decodeURIComponent(label);
  } catch {
    return label;
  }
}
