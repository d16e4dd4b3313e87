import { AwsError } from "../protocol.ts";
import { type AwsCall, type AwsService, read, regionOf } from "../service.ts";
import { type ResourceTable, resourceTable, tagList, type WorldEntry } from "../resource-table.ts";
import { bedrockList, epochTimes, findEntry, restJsonEntry } from "./bedrock-list.ts";
import type { Tags } from "../world.ts";
import { type IndexedRegion, regionCache, stableId } from "../world-index.ts";

type Entry = WorldEntry;

/** An application's parts, each by id. */
interface ApplicationParts {
  readonly indices: ResourceTable<Entry>;
  readonly retrievers: ResourceTable<Entry>;
  readonly plugins: ResourceTable<Entry>;
}

interface QBusinessData {
  readonly applications: ResourceTable<Entry>;
  readonly parts: ReadonlyMap<string, ApplicationParts>;
  readonly tags: ReadonlyMap<string, Tags>;
}

/** Q Business ids are UUIDs. */
function uuid(seed: string): string {
  const hex = stableId(seed, 32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function data(region: IndexedRegion): QBusinessData {
  return regionCache(region, "qbusiness", () => {
    const prefix = `arn:aws:qbusiness:${region.region}:${region.account}`;
    const tags = new Map<string, Tags>();
    const parts = new Map<string, ApplicationParts>();
    const applications = (region.raw.qbusiness?.applications ?? []).map(
      ({ indices, retrievers, plugins, ...application }) => {
        const applicationId = String(
          application.applicationId ?? uuid(`${region.account}/${region.region}/${application.displayName}`),
        );
        const applicationArn = `${prefix}:application/${applicationId}`;
        const part = (
          list: readonly (Entry & { displayName: string })[] | undefined,
          kind: string,
          defaults: Record<string, unknown>,
        ): ResourceTable<Entry> =>
          resourceTable(
            (list ?? []).map((item) => {
              const id = String(item[`${kind}Id`] ?? uuid(`${applicationArn}/${kind}/${item.displayName}`));
              const filled: Entry = {
                applicationId,
                [`${kind}Id`]: id,
                [`${kind}Arn`]: `${applicationArn}/${kind}/${id}`,
                status: "ACTIVE",
                ...defaults,
                ...item,
                ...epochTimes(item),
              };
              if (item.tags !== undefined) tags.set(String(filled[`${kind}Arn`]), item.tags);
              return filled;
            }),
            (entry) => String(entry[`${kind}Id`]),
          );
        parts.set(applicationId, {
          indices: part(indices, "index", { type: "ENTERPRISE" }),
          retrievers: part(retrievers, "retriever", { type: "NATIVE_INDEX" }),
          plugins: part(plugins, "plugin", { state: "ENABLED", buildStatus: "READY" }),
        });
        const filled: Entry = {
          applicationId,
          applicationArn,
          status: "ACTIVE",
          identityType: "AWS_IAM_IDC",
          roleArn: `arn:aws:iam::${region.account}:role/QBusiness-Application-${application.displayName}`,
          attachmentsConfiguration: { attachmentsControlMode: "ENABLED" },
          ...application,
          ...epochTimes(application),
        };
        if (application.tags !== undefined) tags.set(applicationArn, application.tags);
        return filled;
      },
    );
    return { applications: resourceTable(applications, (a) => String(a.applicationId)), parts, tags };
  });
}

function partsOf(call: AwsCall): ApplicationParts {
  const all = data(regionOf(call));
  findEntry(all.applications, call.input.applicationId, "Application");
  return all.parts.get(String(call.input.applicationId))!;
}

export const qbusiness: AwsService = {
  name: "qbusiness",
  signingName: "qbusiness",
  protocol: "restJson1",
  global: false,
  throttle: { code: "ThrottlingException", status: 429 },
  routes: [
    { method: "GET", path: "/applications", operation: "ListApplications" },
    { method: "GET", path: "/applications/{applicationId}", operation: "GetApplication" },
    { method: "GET", path: "/applications/{applicationId}/indices", operation: "ListIndices" },
    { method: "GET", path: "/applications/{applicationId}/indices/{indexId}", operation: "GetIndex" },
    { method: "GET", path: "/applications/{applicationId}/retrievers", operation: "ListRetrievers" },
    { method: "GET", path: "/applications/{applicationId}/retrievers/{retrieverId}", operation: "GetRetriever" },
    { method: "GET", path: "/applications/{applicationId}/plugins", operation: "ListPlugins" },
    { method: "GET", path: "/applications/{applicationId}/plugins/{pluginId}", operation: "GetPlugin" },
    { method: "GET", path: "/v1/tags/{resourceARN}", operation: "ListTagsForResource" },
  ],
  operations: {
    ListApplications: read((call) =>
      bedrockList("qbusiness", call, data(regionOf(call)).applications.list, "applications", [
        "displayName",
        "applicationId",
        "createdAt",
        "updatedAt",
        "status",
        "identityType",
      ]),
    ),
    GetApplication: read((call) =>
      restJsonEntry(findEntry(data(regionOf(call)).applications, call.input.applicationId, "Application")),
    ),
    ListIndices: read((call) =>
      bedrockList("qbusiness", call, partsOf(call).indices.list, "indices", [
        "displayName",
        "indexId",
        "createdAt",
        "updatedAt",
        "status",
      ]),
    ),
    GetIndex: read((call) => restJsonEntry(findEntry(partsOf(call).indices, call.input.indexId, "Index"))),
    ListRetrievers: read((call) =>
      bedrockList("qbusiness", call, partsOf(call).retrievers.list, "retrievers", [
        "applicationId",
        "retrieverId",
        "type",
        "status",
        "displayName",
      ]),
    ),
    GetRetriever: read((call) =>
      restJsonEntry(findEntry(partsOf(call).retrievers, call.input.retrieverId, "Retriever")),
    ),
    ListPlugins: read((call) =>
      bedrockList("qbusiness", call, partsOf(call).plugins.list, "plugins", [
        "pluginId",
        "displayName",
        "type",
        "serverUrl",
        "state",
        "buildStatus",
        "createdAt",
        "updatedAt",
      ]),
    ),
    // A plugin's credentials stay in Secrets Manager: its auth configuration names the secret's ARN only.
    GetPlugin: read((call) => restJsonEntry(findEntry(partsOf(call).plugins, call.input.pluginId, "Plugin"))),
    ListTagsForResource: read((call) => {
      const arn = String(call.input.resourceARN ?? "");
      const tags = data(regionOf(call)).tags.get(arn);
      if (tags === undefined && !arn.includes(`:${regionOf(call).account}:`))
        throw new AwsError("ResourceNotFoundException", `Resource ${arn} not found`, 404);
      return { tags: tagList(tags, "key", "value") };
    }),
  },
};
