import { GoogleApiError, permissionDenied } from "../protocol.ts";
import { type GcpCall, type GcpService, listAnswer, listPage, read } from "../service.ts";
import { DEFAULT_TIME, type IndexedGcpWorld, type IndexedNode, type IndexedProject } from "../world-index.ts";
import type { IamPolicyParts } from "../world.ts";

/** Resource Manager v3 as the JSON mapping of `google.cloud.resourcemanager.v3` answers it. */
function projectJson(project: IndexedProject) {
  return {
    name: project.name,
    ...(project.parent === "" ? {} : { parent: project.parent }),
    projectId: project.projectId,
    state: project.state,
    displayName: project.displayName,
    createTime: project.createTime,
    updateTime: project.createTime,
    etag: `W/"${project.number}"`,
    labels: project.labels,
  };
}

function nodeJson(node: IndexedNode) {
  return node.parent === ""
    ? {
        name: node.name,
        displayName: node.displayName,
        ...node.raw,
        state: node.state,
        createTime: DEFAULT_TIME,
        updateTime: DEFAULT_TIME,
        etag: `BwX${node.id}`,
      }
    : {
        name: node.name,
        parent: node.parent,
        displayName: node.displayName,
        state: node.state,
        createTime: DEFAULT_TIME,
        updateTime: DEFAULT_TIME,
        etag: `BwX${node.id}`,
      };
}

/**
 * `searchProjects` queries: space-separated `field:value` terms, all of which must hold. The fields Resource
 * Manager documents: `id`/`projectId`, `name`/`displayName`, `state`, `parent` (`folders/1`), `parent.type`
 * (`folder`, `organization`), `parent.id`, `labels.<key>`. Anything else is INVALID_ARGUMENT, so a scanner sending
 * a query the simulator does not read fails loudly instead of seeing every project.
 */
function projectQuery(query: string): (project: IndexedProject) => boolean {
  const terms = (query.match(/(?:[^\s"]+|"[^"]*")+/g) ?? []).map((term) => {
    const colon = term.indexOf(":");
    if (colon <= 0) throw new GoogleApiError("INVALID_ARGUMENT", `Invalid query: '${term}' is not field:value.`);
    return { field: term.slice(0, colon), value: term.slice(colon + 1).replace(/^"|"$/g, "") };
  });
  const tests = terms.map(({ field, value }): ((project: IndexedProject) => boolean) => {
    if (field === "id" || field === "projectId") return (p) => p.projectId === value;
    if (field === "name" || field === "displayName") return (p) => p.displayName === value;
    if (field === "state" || field === "lifecycleState") return (p) => p.state === value;
    if (field === "parent") return (p) => p.parent === value;
    if (field === "parent.type") return (p) => p.parent.startsWith(`${value}s/`);
    if (field === "parent.id") return (p) => p.parent.endsWith(`/${value}`);
    if (field.startsWith("labels.")) return (p) => p.labels[field.slice(7)] === value;
    throw new GoogleApiError("INVALID_ARGUMENT", `Invalid query: unknown field '${field}'.`);
  });
  return (project) => tests.every((test) => test(project));
}

/** `searchFolders` queries: `field=value` terms (`displayName`, `parent`, `state`), all of which must hold. */
function folderQuery(query: string): (folder: IndexedNode) => boolean {
  const tests = (query.match(/(?:[^\s"]+|"[^"]*")+/g) ?? [])
    .filter((term) => term !== "AND")
    .map((term): ((folder: IndexedNode) => boolean) => {
      const [field, raw] = term.split("=", 2);
      const value = (raw ?? "").replace(/^"|"$/g, "");
      if (field === "displayName") return (f) => f.displayName === value;
      if (field === "parent") return (f) => f.parent === value;
      if (field === "state" || field === "lifecycleState") return (f) => f.state === value;
      throw new GoogleApiError("INVALID_ARGUMENT", `Invalid query: '${term}'.`);
    });
  return (folder) => tests.every((test) => test(folder));
}

/** The organization or folder a resource name names; unknown ones answer as Google does, permission denied. */
function nodeOf(world: IndexedGcpWorld, name: string, permission: string): IndexedNode {
  const node = name.startsWith("folders/")
    ? world.folders.get(name.slice(8))
    : world.organization?.name === name
      ? world.organization
      : undefined;
  if (node === undefined) throw permissionDenied(permission, name);
  return node;
}

function requiredParent(call: GcpCall): string {
  const parent = call.query.get("parent");
  if (parent === null || parent === "")
    throw new GoogleApiError("INVALID_ARGUMENT", "Request contains an invalid argument: parent is required.");
  return parent;
}

function iamPolicy(call: GcpCall, policy: IamPolicyParts, id: string) {
  const options = call.body.options as { requestedPolicyVersion?: number } | undefined;
  return {
    version: options?.requestedPolicyVersion === 3 ? 3 : 1,
    etag: Buffer.from(`policy:${id}`).toString("base64").slice(0, 12),
    bindings: policy.bindings ?? [],
    ...(policy.auditConfigs === undefined ? {} : { auditConfigs: policy.auditConfigs }),
  };
}

function projectNamed(call: GcpCall, permission: string): IndexedProject {
  const project = call.project;
  if (project === undefined) throw permissionDenied(permission, `projects/${call.params.project ?? ""}`);
  return project;
}

export const resourceManager: GcpService = {
  name: "cloudresourcemanager",
  host: "cloudresourcemanager.googleapis.com",
  title: "Cloud Resource Manager API",
  routes: [
    read(
      "SearchProjects",
      "GET",
      "/v3/projects:search",
      (call) => {
        const query = call.query.get("query") ?? "";
        const found = call.world.projectList.filter(projectQuery(query));
        return listAnswer("projects", listPage(call, found, query), projectJson);
      },
      { permission: "resourcemanager.projects.get" },
    ),
    read(
      "ListProjects",
      "GET",
      "/v3/projects",
      (call) => {
        const parent = requiredParent(call);
        nodeOf(call.world, parent, "resourcemanager.projects.list");
        const showDeleted = call.query.get("showDeleted") === "true";
        const children = (call.world.childProjects.get(parent) ?? []).filter(
          (p) => showDeleted || p.state === "ACTIVE",
        );
        return listAnswer("projects", listPage(call, children, parent), projectJson);
      },
      { permission: "resourcemanager.projects.list" },
    ),
    read(
      "GetProject",
      "GET",
      "/v3/projects/{project}",
      (call) => projectJson(projectNamed(call, "resourcemanager.projects.get")),
      { permission: "resourcemanager.projects.get" },
    ),
    read(
      "GetIamPolicy",
      "POST",
      "/v3/projects/{project}:getIamPolicy",
      (call) => {
        const project = projectNamed(call, "resourcemanager.projects.getIamPolicy");
        return iamPolicy(call, project.policy, project.number);
      },
      { permission: "resourcemanager.projects.getIamPolicy" },
    ),
    read(
      "ListFolders",
      "GET",
      "/v3/folders",
      (call) => {
        const parent = requiredParent(call);
        nodeOf(call.world, parent, "resourcemanager.folders.list");
        const showDeleted = call.query.get("showDeleted") === "true";
        const children = (call.world.childFolders.get(parent) ?? []).filter((f) => showDeleted || f.state === "ACTIVE");
        return listAnswer("folders", listPage(call, children, parent), nodeJson);
      },
      { permission: "resourcemanager.folders.list" },
    ),
    read(
      "SearchFolders",
      "GET",
      "/v3/folders:search",
      (call) => {
        const query = call.query.get("query") ?? "";
        const found = [...call.world.folders.values()].filter(folderQuery(query));
        return listAnswer("folders", listPage(call, found, query), nodeJson);
      },
      { permission: "resourcemanager.folders.get" },
    ),
    read(
      "GetFolder",
      "GET",
      "/v3/folders/{folder}",
      (call) => nodeJson(nodeOf(call.world, `folders/${call.params.folder}`, "resourcemanager.folders.get")),
      { permission: "resourcemanager.folders.get" },
    ),
    read(
      "GetIamPolicy",
      "POST",
      "/v3/folders/{folder}:getIamPolicy",
      (call) => {
        const folder = nodeOf(call.world, `folders/${call.params.folder}`, "resourcemanager.folders.getIamPolicy");
        return iamPolicy(call, folder.policy, folder.id);
      },
      { permission: "resourcemanager.folders.getIamPolicy" },
    ),
    read(
      "SearchOrganizations",
      "GET",
      "/v3/organizations:search",
      (call) => {
        const organization = call.world.organization;
        const found = organization === undefined ? [] : [organization];
        return listAnswer("organizations", listPage(call, found, ""), nodeJson);
      },
      { permission: "resourcemanager.organizations.get" },
    ),
    read(
      "GetOrganization",
      "GET",
      "/v3/organizations/{organization}",
      (call) =>
        nodeJson(nodeOf(call.world, `organizations/${call.params.organization}`, "resourcemanager.organizations.get")),
      { permission: "resourcemanager.organizations.get" },
    ),
    read(
      "GetIamPolicy",
      "POST",
      "/v3/organizations/{organization}:getIamPolicy",
      (call) => {
        const organization = nodeOf(
          call.world,
          `organizations/${call.params.organization}`,
          "resourcemanager.organizations.getIamPolicy",
        );
        return iamPolicy(call, organization.policy, organization.id);
      },
      { permission: "resourcemanager.organizations.getIamPolicy" },
    ),
  ],
};
