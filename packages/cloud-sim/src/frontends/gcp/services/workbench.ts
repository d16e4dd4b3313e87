import { GoogleApiError } from "../protocol.ts";
import { type GcpCall, type GcpService, listAnswer, listPage, projectOf, read, rendered } from "../service.ts";
import { type IndexedProject, projectCache, stableUuid } from "../world-index.ts";

interface InstanceEntry {
  readonly zone: string;
  readonly id: string;
  readonly json: Readonly<Record<string, unknown>>;
}

function instancesOf(project: IndexedProject): readonly InstanceEntry[] {
  return projectCache(project, "notebooks", () =>
    (project.raw.workbenchInstances ?? []).map(({ location, ...fields }) => {
      const name = `projects/${project.projectId}/locations/${location}/instances/${fields.name}`;
      const defaults = {
        id: stableUuid(name),
        proxyUri: `${stableUuid(name).slice(0, 16)}-dot-${location.replace(/-[a-z]$/, "")}.notebooks.googleusercontent.com`,
        creator: "owner@example.com",
        state: "ACTIVE",
        healthState: "HEALTHY",
        gceSetup: { machineType: "e2-standard-4" },
      };
      return { zone: location, id: fields.name, json: rendered(fields, defaults, name) };
    }),
  );
}

function parentOf(call: GcpCall) {
  return `projects/${call.params.project}/locations/${call.params.location}`;
}

/** Vertex AI Workbench instances (Notebooks API v2); `locations/-` lists every zone, as the API documents. */
export const workbench: GcpService = {
  name: "notebooks",
  host: "notebooks.googleapis.com",
  title: "Notebooks API",
  routes: [
    read(
      "ListInstances",
      "GET",
      "/v2/projects/{project}/locations/{location}/instances",
      (call) => {
        const project = projectOf(call, "notebooks.instances.list", parentOf(call));
        const zone = call.params.location;
        const instances = instancesOf(project).filter((entry) => zone === "-" || entry.zone === zone);
        return listAnswer("instances", listPage(call, instances, `${project.number}/${zone}`), (entry) => entry.json);
      },
      { permission: "notebooks.instances.list", needsEnabledService: true },
    ),
    read(
      "GetInstance",
      "GET",
      "/v2/projects/{project}/locations/{location}/instances/{instance}",
      (call) => {
        const project = projectOf(call, "notebooks.instances.get", parentOf(call));
        const found = instancesOf(project).find(
          (entry) => entry.zone === call.params.location && entry.id === call.params.instance,
        );
        if (found === undefined)
          throw new GoogleApiError(
            "NOT_FOUND",
            `Instance ${parentOf(call)}/instances/${call.params.instance} not found.`,
          );
        return found.json;
      },
      { permission: "notebooks.instances.get", needsEnabledService: true },
    ),
  ],
};
