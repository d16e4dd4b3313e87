import type { CoverageGap, TargetItem } from "@aigov/core";
import { gapFrom } from "@aigov/scanner-kit";
import type { NormalizedGcpConfig } from "./config.ts";
import { type GcpClients, PAGED } from "./gcp-clients.ts";
import { GCP_ERRORS } from "./gcp-errors.ts";

/** What the target listing learnt of a project, for its collectors. */
export interface GcpTargetMeta {
  /** The project number: Vertex AI, Service Usage and API Keys name resources by it. */
  readonly projectNumber: string;
  readonly labels: Readonly<Record<string, string>>;
  /**
   * The project's ancestors, nearest first (`folders/2`, `folders/1`, `organizations/9`): their IAM policies' audit
   * configuration applies to it too. undefined when they could not be read.
   */
  readonly ancestors: readonly string[] | undefined;
}

interface ProjectMessage {
  readonly name?: string | null;
  readonly projectId?: string | null;
  readonly displayName?: string | null;
  readonly state?: string | number | null;
  readonly parent?: string | null;
  readonly labels?: Readonly<Record<string, string>> | null;
}

/**
 * Projects to sweep: those under each configured organization or folder (Resource Manager `projects.search` for the
 * ACTIVE projects whose parent is the node, then `folders.list` for its subfolders, depth first), and the configured
 * projects (`projects.get`, their folders walked up with `folders.get` for their ancestors). One target per project,
 * each once; a node or project that cannot be read is a gap.
 */
export async function* discoverTargets(
  config: NormalizedGcpConfig,
  clients: GcpClients,
): AsyncGenerator<TargetItem<GcpTargetMeta>> {
  const seen = new Set<string>();
  const excluded = (projectId: string) => config.excludeProjects.includes(projectId);
  const target = (project: ProjectMessage, ancestors: readonly string[] | undefined): TargetItem<GcpTargetMeta>[] => {
    const projectId = project.projectId ?? "";
    if (projectId === "" || seen.has(projectId) || excluded(projectId)) return [];
    seen.add(projectId);
    return [
      {
        provider: "gcp",
        key: `gcp:${projectId}`,
        account: projectId,
        label: project.displayName || projectId,
        meta: {
          projectNumber: (project.name ?? "").replace(/^projects\//, ""),
          labels: project.labels ?? {},
          ancestors,
        },
      },
    ];
  };
  for (const parent of config.parents) {
    for await (const item of underNode(clients, parent, [parent])) {
      if ("type" in item) yield item;
      else yield* target(item.project, item.ancestors);
    }
  }
  const folders = new FolderParents(clients);
  for (const projectId of config.projects) {
    if (seen.has(projectId)) continue;
    let project: ProjectMessage;
    try {
      [project] = await (await clients.projects()).getProject({ name: `projects/${projectId}` });
    } catch (error) {
      yield gap(error, projectId, "projects.get");
      continue;
    }
    if (project.state !== "ACTIVE") {
      yield {
        type: "gap",
        gap: {
          provider: "gcp",
          account: projectId,
          service: "cloudresourcemanager",
          operation: "projects.get",
          code: "NotAvailable",
          message: `project ${projectId} is ${String(project.state)}, not ACTIVE: not swept`,
        },
      };
      continue;
    }
    const ancestors = await folders.ancestorsOf(project.parent ?? "");
    if (ancestors.ok) yield* target(project, ancestors.names);
    else {
      yield gap(ancestors.error, projectId, "folders.get");
      yield* target(project, undefined);
    }
  }
}

type NodeItem =
  | { readonly project: ProjectMessage; readonly ancestors: readonly string[] }
  | { readonly type: "gap"; readonly gap: CoverageGap };

async function* underNode(clients: GcpClients, node: string, ancestors: readonly string[]): AsyncGenerator<NodeItem> {
  try {
    const projects = await clients.projects();
    for await (const project of projects.searchProjectsAsync({ query: `parent:${node} state:ACTIVE` }, PAGED))
      yield { project, ancestors };
  } catch (error) {
    yield gap(error, node, "projects.search");
  }
  const children: string[] = [];
  try {
    const folders = await clients.folders();
    for await (const folder of folders.listFoldersAsync({ parent: node }, PAGED))
      if (folder.state === "ACTIVE" && folder.name) children.push(folder.name);
  } catch (error) {
    yield gap(error, node, "folders.list");
  }
  for (const child of children) yield* underNode(clients, child, [child, ...ancestors]);
}

/** Folder parents read once per sweep, for the ancestors of configured projects. */
class FolderParents {
  private readonly parents = new Map<string, Promise<string>>();
  private readonly clients: GcpClients;

  constructor(clients: GcpClients) {
    this.clients = clients;
  }

  async ancestorsOf(parent: string): Promise<{ ok: true; names: string[] } | { ok: false; error: unknown }> {
    const names: string[] = [];
    try {
      for (let node = parent; node.startsWith("folders/") || node.startsWith("organizations/"); ) {
        names.push(node);
        if (node.startsWith("organizations/")) break;
        node = await this.parentOf(node);
      }
      return { ok: true, names };
    } catch (error) {
      return { ok: false, error };
    }
  }

  private parentOf(folder: string): Promise<string> {
    let parent = this.parents.get(folder);
    if (parent === undefined) {
      parent = this.clients
        .folders()
        .then(async (client) => (await client.getFolder({ name: folder }))[0].parent ?? "");
      this.parents.set(folder, parent);
    }
    return parent;
  }
}

function gap(error: unknown, account: string, operation: string): { type: "gap"; gap: CoverageGap } {
  return { type: "gap", gap: gapFrom(GCP_ERRORS, error, { account, service: "cloudresourcemanager", operation }) };
}
