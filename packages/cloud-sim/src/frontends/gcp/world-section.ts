import type { YamlPath } from "@aigov/core";
import type { WorldFail, WorldSection } from "../../core/world-loader.ts";
import type { GcpFolder, GcpWorld, VertexLocation } from "./world.ts";
import schema from "./world.schema.json" with { type: "json" };

/** The world file's `gcp:` section: its schema, and the references between its entries. */
export const gcpWorldSection: WorldSection<GcpWorld> = {
  key: "gcp",
  schema,
  checkReferences(gcp, fail) {
    const folders = gcp.organization === undefined ? undefined : folderNames(gcp.organization.folders ?? [], fail);
    const ids = new Set<string>();
    const numbers = new Set<string>();
    for (const [p, project] of (gcp.projects ?? []).entries()) {
      const path: YamlPath = ["projects", p];
      if (ids.has(project.projectId)) fail([...path, "projectId"], `duplicate project id ${project.projectId}`);
      ids.add(project.projectId);
      if (project.projectNumber !== undefined) {
        if (numbers.has(project.projectNumber))
          fail([...path, "projectNumber"], `duplicate project number ${project.projectNumber}`);
        numbers.add(project.projectNumber);
      }
      if (project.folder !== undefined) {
        if (folders === undefined) fail([...path, "folder"], "a folder needs an organization section");
        else if (!folders.has(project.folder))
          fail(
            [...path, "folder"],
            `no folder '${project.folder}' in the organization`,
            "give a folder path of display names (Workloads/Prod) or a folder id declared in organization.folders",
          );
      }
      const enabled = new Set(project.services ?? []);
      const needs = (service: string, what: string, at: YamlPath) => {
        if (!enabled.has(service))
          fail(at, `${what} needs ${service} in the project's services`, `add ${service} to projects[${p}].services`);
      };
      unique(project.apiKeys ?? [], (key) => key.name, [...path, "apiKeys"], "API key", fail);
      for (const [location, contents] of Object.entries(project.vertex ?? {})) {
        needs("aiplatform.googleapis.com", "Vertex AI", [...path, "vertex", location]);
        for (const [collection, entries] of Object.entries(contents ?? {}) as [
          keyof VertexLocation,
          { name: string }[],
        ][])
          unique(
            entries,
            (entry) => entry.name,
            [...path, "vertex", location, collection],
            `${collection} entry`,
            fail,
          );
      }
      if ((project.workbenchInstances ?? []).length > 0)
        needs("notebooks.googleapis.com", "a Workbench instance", [...path, "workbenchInstances"]);
      unique(
        project.workbenchInstances ?? [],
        (instance) => `${instance.location}/${instance.name}`,
        [...path, "workbenchInstances"],
        "Workbench instance",
        fail,
      );
    }
  },
};

/** Folder paths (`Workloads/Prod`) and ids, each unique. */
function folderNames(top: readonly GcpFolder[], fail: WorldFail): ReadonlySet<string> {
  const known = new Set<string>();
  const walk = (list: readonly GcpFolder[], path: YamlPath, prefix: string) => {
    for (const [i, folder] of list.entries()) {
      const folderPath = prefix === "" ? folder.displayName : `${prefix}/${folder.displayName}`;
      if (known.has(folderPath)) fail([...path, i, "displayName"], `duplicate folder '${folderPath}'`);
      known.add(folderPath);
      if (folder.id !== undefined) {
        if (known.has(folder.id)) fail([...path, i, "id"], `duplicate folder id '${folder.id}'`);
        known.add(folder.id);
      }
      walk(folder.folders ?? [], [...path, i, "folders"], folderPath);
    }
  };
  walk(top, ["organization", "folders"], "");
  return known;
}

function unique<T>(
  entries: readonly T[],
  nameOf: (entry: T) => string,
  path: YamlPath,
  what: string,
  fail: WorldFail,
): void {
  const seen = new Set<string>();
  for (const [i, entry] of entries.entries()) {
    const name = nameOf(entry);
    if (seen.has(name)) fail([...path, i, "name"], `duplicate ${what} '${name}'`);
    seen.add(name);
  }
}
