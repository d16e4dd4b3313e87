import { GoogleApiError } from "../protocol.ts";
import { type GcpCall, type GcpService, listAnswer, listPage, projectOf, read, rendered } from "../service.ts";
import { type IndexedProject, projectCache, stableUuid } from "../world-index.ts";
import type { GcpApiKey } from "../world.ts";

interface KeyEntry {
  readonly key: GcpApiKey;
  /** The key as List/Get answer it: never its key string. */
  readonly json: Readonly<Record<string, unknown>>;
}

function keysOf(project: IndexedProject): ReadonlyMap<string, KeyEntry> {
  return projectCache(project, "apikeys", () => {
    const keys = new Map<string, KeyEntry>();
    for (const key of project.raw.apiKeys ?? []) {
      const { keyString: _secret, ...fields } = key;
      const name = `${project.name}/locations/global/keys/${key.name}`;
      const json = rendered(
        fields,
        { uid: stableUuid(name), displayName: "", etag: `W/"${stableUuid(name).slice(0, 8)}"` },
        name,
      );
      keys.set(key.name, { key, json });
    }
    return keys;
  });
}

function keyNamed(call: GcpCall, permission: string): KeyEntry {
  const project = projectOf(call, permission, `projects/${call.params.project}`);
  const entry = call.params.location === "global" ? keysOf(project).get(call.params.key ?? "") : undefined;
  if (entry === undefined)
    throw new GoogleApiError(
      "NOT_FOUND",
      `Key projects/${call.params.project}/locations/${call.params.location}/keys/${call.params.key} not found.`,
    );
  return entry;
}

/** API Keys v2. A key's secret value is answered by GetKeyString only: the one call a read-only scanner never makes. */
export const apiKeys: GcpService = {
  name: "apikeys",
  host: "apikeys.googleapis.com",
  title: "API Keys API",
  routes: [
    read(
      "ListKeys",
      "GET",
      "/v2/projects/{project}/locations/{location}/keys",
      (call) => {
        const project = projectOf(call, "apikeys.keys.list", `projects/${call.params.project}`);
        const showDeleted = call.query.get("showDeleted") === "true";
        const keys = call.params.location === "global" ? [...keysOf(project).values()] : [];
        const listed = keys.filter((entry) => showDeleted || entry.key.deleteTime === undefined);
        return listAnswer("keys", listPage(call, listed, `${project.number}:${showDeleted}`), (entry) => entry.json);
      },
      { permission: "apikeys.keys.list" },
    ),
    read(
      "GetKey",
      "GET",
      "/v2/projects/{project}/locations/{location}/keys/{key}",
      (call) => keyNamed(call, "apikeys.keys.get").json,
      {
        permission: "apikeys.keys.get",
      },
    ),
    read(
      "GetKeyString",
      "GET",
      "/v2/projects/{project}/locations/{location}/keys/{key}/keyString",
      (call) => ({ keyString: keyNamed(call, "apikeys.keys.getKeyString").key.keyString ?? "" }),
      { permission: "apikeys.keys.getKeyString", secret: true },
    ),
  ],
};
