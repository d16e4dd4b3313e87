import type { YamlPath } from "@aigov/core";
import { checkUnique, type NamedTree, treeNames, type WorldSection } from "../../core/world-loader.ts";
import type { GcpFolder, GcpWorld, VertexLocation } from "./world.ts";
import schema from "./world.schema.json" with { type: "json" };

const FOLDER_TREE: NamedTree<GcpFolder> = { nameField: "displayName", childrenField: "folders", what: "folder" };

/** The world file's `gcp:` section: its schema, and the references between its entries. */
export const gcpWorldSection: WorldSection<GcpWorld> = {
  key: "gcp",
  schema,
  checkReferences(gcp, fail) {
    const folders =
      gcp.organization === undefined
        ? undefined
        : treeNames(gcp.organization.folders ?? [], FOLDER_TREE, ["organization", "folders"], fail);
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
      checkUnique(
        project.apiKeys ?? [],
        (key) => key.name,
        { path: [...path, "apiKeys"], nameField: "name", what: "API key" },
        fail,
      );
      for (const [location, contents] of Object.entries(project.vertex ?? {})) {
        needs("aiplatform.googleapis.com", "Vertex AI", [...path, "vertex", location]);
        for (const [collection, entries] of Object.entries(contents ?? {}) as [
          keyof VertexLocation,
          { name: string }[],
        ][])
          checkUnique(
            entries,
            (entry) => entry.name,
            { path: [...path, "vertex", location, collection], nameField: "name", what: `${collection} entry` },
            fail,
          );
      }
      if ((project.workbenchInstances ?? []).length > 0)
        needs("notebooks.googleapis.com", "a Workbench instance", [...path, "workbenchInstances"]);
      checkUnique(
        project.workbenchInstances ?? [],
        (instance) => `${instance.location}/${instance.name}`,
        { path: [...path, "workbenchInstances"], nameField: "name", what: "Workbench instance" },
        fail,
      );
    }
  },
};
