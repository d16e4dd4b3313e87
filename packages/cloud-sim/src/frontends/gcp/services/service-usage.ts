import { GoogleApiError } from "../protocol.ts";
import { type GcpService, listAnswer, listPage, projectOf, read } from "../service.ts";
import type { IndexedProject } from "../world-index.ts";

/** Titles Service Usage gives the APIs worlds usually enable; any other is titled after its host name. */
export const API_TITLES: Readonly<Record<string, string>> = {
  "aiplatform.googleapis.com": "Vertex AI API",
  "generativelanguage.googleapis.com": "Generative Language API",
  "notebooks.googleapis.com": "Notebooks API",
  "ml.googleapis.com": "AI Platform Training & Prediction API",
  "dialogflow.googleapis.com": "Dialogflow API",
  "documentai.googleapis.com": "Cloud Document AI API",
  "discoveryengine.googleapis.com": "Discovery Engine API",
  "apikeys.googleapis.com": "API Keys API",
  "logging.googleapis.com": "Cloud Logging API",
  "compute.googleapis.com": "Compute Engine API",
  "storage.googleapis.com": "Cloud Storage API",
};

export function apiTitle(service: string): string {
  return API_TITLES[service] ?? `${service.replace(/\.googleapis\.com$/, "")} API`;
}

function serviceJson(project: IndexedProject, service: string, enabled: boolean) {
  return {
    name: `${project.name}/services/${service}`,
    parent: project.name,
    config: { name: service, title: apiTitle(service) },
    state: enabled ? "ENABLED" : "DISABLED",
  };
}

/**
 * Service Usage v1: the APIs enabled in a project. The simulator knows only the world's enabled services, so a
 * listing without a filter lists those too (Google's also lists the disabled services a project could enable).
 */
export const serviceUsage: GcpService = {
  name: "serviceusage",
  host: "serviceusage.googleapis.com",
  title: "Service Usage API",
  routes: [
    read(
      "ListServices",
      "GET",
      "/v1/projects/{project}/services",
      (call) => {
        const project = projectOf(call, "serviceusage.services.list", `projects/${call.params.project}`);
        const filter = call.query.get("filter") ?? "";
        if (!["", "state:ENABLED", "state:DISABLED"].includes(filter.replace(/\s+/g, "")))
          throw new GoogleApiError(
            "INVALID_ARGUMENT",
            `Invalid filter: '${filter}' (state:ENABLED or state:DISABLED).`,
          );
        const services = filter.includes("DISABLED") ? [] : [...project.services];
        return listAnswer("services", listPage(call, services, `${project.number}:${filter}`), (service) =>
          serviceJson(project, service, true),
        );
      },
      { permission: "serviceusage.services.list" },
    ),
    read(
      "GetService",
      "GET",
      "/v1/projects/{project}/services/{service}",
      (call) => {
        const project = projectOf(call, "serviceusage.services.get", `projects/${call.params.project}`);
        const service = call.params.service ?? "";
        return serviceJson(project, service, project.services.has(service));
      },
      { permission: "serviceusage.services.get" },
    ),
  ],
};
