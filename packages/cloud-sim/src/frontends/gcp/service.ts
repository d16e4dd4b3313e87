import { type Page, paginate } from "../../core/pagination.ts";
import { GoogleApiError, permissionDenied } from "./protocol.ts";
import { DEFAULT_TIME, type IndexedGcpWorld, type IndexedProject } from "./world-index.ts";

/** One call as a service operation sees it. */
export interface GcpCall {
  readonly operation: string;
  /** The path template's labels (`{project}`, `{location}` …), decoded. */
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  /** The JSON body of a POST ({} for a GET). */
  readonly body: Readonly<Record<string, unknown>>;
  readonly world: IndexedGcpWorld;
  /** Who is calling (a service account's or user's email). */
  readonly principal: string;
  /** The project the path names (by id or number), when it names one the world has. */
  readonly project: IndexedProject | undefined;
  readonly pageSize: number;
}

/** One path of an operation of the catalogue: what it answers, and what it is. */
export interface GcpRoute {
  readonly operation: string;
  readonly method: "GET" | "POST";
  /** Path template: `/v1/projects/{project}/locations/{location}/endpoints`; labels match one segment. */
  readonly path: string;
  readonly run: (call: GcpCall) => unknown;
  /** It changes nothing. Decided per operation, never from its name. */
  readonly read: boolean;
  /** The answer holds secret material (API Keys GetKeyString). */
  readonly secret?: boolean;
  /** The IAM permission it needs, named in PERMISSION_DENIED answers. */
  readonly permission: string;
  /** The service must be enabled in the project the path names, or the call fails with SERVICE_DISABLED. */
  readonly needsEnabledService?: boolean;
  /** The documented request rate per project (and location), enforced when the simulator is asked to. */
  readonly ratePerSecond?: number;
}

export interface GcpService {
  /** The name requests are recorded and faults matched under: the API's host name before `.googleapis.com`. */
  readonly name: string;
  /** `aiplatform.googleapis.com`: the service name Service Usage enables. */
  readonly host: string;
  /** The API's title, as SERVICE_DISABLED messages name it. */
  readonly title: string;
  /** Served per location at `{location}-<host>` as well as at `<host>` (Vertex AI). */
  readonly regional?: boolean;
  readonly routes: readonly GcpRoute[];
}

type RouteTraits = Omit<GcpRoute, "operation" | "method" | "path" | "run" | "read">;

/** A route of an operation that only reads. */
export function read(
  operation: string,
  method: GcpRoute["method"],
  path: string,
  run: GcpRoute["run"],
  traits: RouteTraits,
): GcpRoute {
  return { operation, method, path, run, read: true, ...traits };
}

/** The project the path names, or the answer Google gives for one the caller cannot see: permission denied. */
export function projectOf(call: GcpCall, permission: string, resource = call.params.project ?? ""): IndexedProject {
  if (call.project === undefined || call.project.state !== "ACTIVE") throw permissionDenied(permission, resource);
  return call.project;
}

/** One page of a list (`pageSize` / `pageToken`); a token from another listing is INVALID_ARGUMENT, as Google answers. */
export function listPage<T>(call: GcpCall, items: readonly T[], scope: string): Page<T> {
  return paginate(items, {
    token: call.query.get("pageToken") ?? call.body.pageToken,
    maxResults: call.query.get("pageSize") ?? call.body.pageSize,
    pageSize: call.pageSize,
    scope: `${call.operation}:${scope}`,
    invalidToken: () => new GoogleApiError("INVALID_ARGUMENT", "The page token is invalid."),
  });
}

/** A list answer: the page's items (rendered) under `field`, and `nextPageToken` when there is more. */
export function listAnswer<T>(
  field: string,
  page: Page<T>,
  render: (item: T) => unknown = (item) => item,
): Record<string, unknown> {
  const items = page.items.map(render);
  return page.nextToken === undefined ? { [field]: items } : { [field]: items, nextPageToken: page.nextToken };
}

/** A world entry as the API answers it: the defaults first, the world's own fields over them, the full name last. */
export function rendered(entry: Readonly<Record<string, unknown>>, defaults: Record<string, unknown>, name: string) {
  return { createTime: DEFAULT_TIME, updateTime: entry.createTime ?? DEFAULT_TIME, ...defaults, ...entry, name };
}
