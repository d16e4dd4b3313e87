import { createHash } from "node:crypto";
import type {
  ApiFields,
  AuditConfig,
  GcpFolder,
  GcpProject,
  GcpWorld,
  IamPolicyParts,
  Labels,
  VertexLocation,
} from "./world.ts";

/**
 * The world's `gcp:` section compiled once for fast answers: the organization, folders and projects by id and by
 * parent, projects by id and by number, and per project a cache each service fills the first time it is asked.
 * No request ever walks or re-parses the world file.
 */
export interface IndexedGcpWorld {
  readonly organization: IndexedNode | undefined;
  readonly folders: ReadonlyMap<string, IndexedNode>;
  /** Projects by id and by number. */
  readonly projects: ReadonlyMap<string, IndexedProject>;
  readonly projectList: readonly IndexedProject[];
  /** Folders and projects by their parent's resource name (`organizations/1`, `folders/2`), in world order. */
  readonly childFolders: ReadonlyMap<string, readonly IndexedNode[]>;
  readonly childProjects: ReadonlyMap<string, readonly IndexedProject[]>;
  /** Who credentials that name nobody belong to. */
  readonly caller: string;
}

/** An organization or folder. */
export interface IndexedNode {
  /** `organizations/1`, `folders/2`. */
  readonly name: string;
  readonly id: string;
  readonly displayName: string;
  /** The parent's resource name; "" for the organization. */
  readonly parent: string;
  readonly state: "ACTIVE" | "DELETE_REQUESTED";
  readonly policy: IamPolicyParts;
  readonly raw: ApiFields;
}

export interface IndexedProject {
  readonly projectId: string;
  readonly number: string;
  /** `projects/<number>`, as Resource Manager v3 names it. */
  readonly name: string;
  /** `organizations/1`, `folders/2`, or "" for a project outside any organization. */
  readonly parent: string;
  readonly displayName: string;
  readonly state: "ACTIVE" | "DELETE_REQUESTED";
  readonly labels: Labels;
  readonly createTime: string;
  readonly services: ReadonlySet<string>;
  readonly policy: IamPolicyParts;
  readonly vertex: ReadonlyMap<string, VertexLocation>;
  readonly raw: GcpProject;
  /** Per-service derived data, built on first use and kept (see `projectCache`). */
  readonly cache: Map<string, unknown>;
}

/** The default time for anything the world gives no time for. */
export const DEFAULT_TIME = "2025-01-01T00:00:00Z";
export const DEFAULT_CALLER = "aigov-scanner@aigov-sim.iam.gserviceaccount.com";

export function indexWorld(gcp: GcpWorld | undefined): IndexedGcpWorld {
  const folders = new Map<string, IndexedNode>();
  const folderByPath = new Map<string, IndexedNode>();
  const childFolders = new Map<string, IndexedNode[]>();
  const org = gcp?.organization;
  const organization: IndexedNode | undefined =
    org === undefined
      ? undefined
      : {
          name: `organizations/${org.id}`,
          id: org.id,
          displayName: org.displayName ?? "example.com",
          parent: "",
          state: "ACTIVE",
          policy: org,
          raw: { directoryCustomerId: org.directoryCustomerId ?? `C0${numericId(org.id, 7)}` },
        };
  const walk = (list: readonly GcpFolder[], parent: string, prefix: string) => {
    for (const folder of list) {
      const path = prefix === "" ? folder.displayName : `${prefix}/${folder.displayName}`;
      const id = folder.id ?? numericId(`folder:${path}`, 12);
      const indexed: IndexedNode = {
        name: `folders/${id}`,
        id,
        displayName: folder.displayName,
        parent,
        state: folder.state ?? "ACTIVE",
        policy: folder,
        raw: {},
      };
      folders.set(id, indexed);
      folderByPath.set(path, indexed);
      append(childFolders, parent, indexed);
      walk(folder.folders ?? [], indexed.name, path);
    }
  };
  if (organization !== undefined) walk(org?.folders ?? [], organization.name, "");

  const projects = new Map<string, IndexedProject>();
  const projectList: IndexedProject[] = [];
  const childProjects = new Map<string, IndexedProject[]>();
  for (const project of gcp?.projects ?? []) {
    const number = project.projectNumber ?? numericId(`project:${project.projectId}`, 12);
    const folder =
      project.folder === undefined ? undefined : (folders.get(project.folder) ?? folderByPath.get(project.folder));
    const parent = folder?.name ?? organization?.name ?? "";
    const vertex = new Map<string, VertexLocation>();
    for (const [location, contents] of Object.entries(project.vertex ?? {})) vertex.set(location, contents ?? {});
    const indexed: IndexedProject = {
      projectId: project.projectId,
      number,
      name: `projects/${number}`,
      parent,
      displayName: project.displayName ?? project.projectId,
      state: project.state ?? "ACTIVE",
      labels: project.labels ?? {},
      createTime: project.createTime ?? DEFAULT_TIME,
      services: new Set(project.services ?? []),
      policy: project,
      vertex,
      raw: project,
      cache: new Map(),
    };
    projects.set(project.projectId, indexed);
    projects.set(number, indexed);
    projectList.push(indexed);
    if (parent !== "") append(childProjects, parent, indexed);
  }
  return {
    organization,
    folders,
    projects,
    projectList,
    childFolders,
    childProjects,
    caller: gcp?.caller?.principal ?? DEFAULT_CALLER,
  };
}

/** The audit configuration an IAM policy answers with. */
export function auditConfigsOf(policy: IamPolicyParts): readonly AuditConfig[] {
  return policy.auditConfigs ?? [];
}

/** A service's derived data for one project, built once by `build` and reused by every later request. */
export function projectCache<T>(project: IndexedProject, key: string, build: () => T): T {
  const cached = project.cache.get(key) as T | undefined;
  if (cached !== undefined) return cached;
  const built = build();
  project.cache.set(key, built);
  return built;
}

/** A stable decimal id derived from a seed, so generated numbers survive reloading the world. */
export function numericId(seed: string, digits: number): string {
  const hex = createHash("sha256").update(seed).digest("hex").slice(0, 15);
  const value = (BigInt(`0x${hex}`) % 10n ** BigInt(digits - 1)) + 10n ** BigInt(digits - 1);
  return value.toString();
}

/** A stable UUID-shaped id derived from a seed (API key uids, Workbench instance ids). */
export function stableUuid(seed: string): string {
  const hex = createHash("sha256").update(seed).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function append<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}
