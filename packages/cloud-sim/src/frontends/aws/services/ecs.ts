import { AwsError, toAwsJson } from "../protocol.ts";
import { type AwsService, listPage, read, regionOf } from "../service.ts";
import { tagList, type WorldEntry } from "../resource-table.ts";
import { DEFAULT_TIME, type IndexedRegion, regionCache } from "../world-index.ts";

type Entry = WorldEntry;

interface EcsData {
  /** In ARN order (family, then revision), as ListTaskDefinitions sorts by default. */
  readonly taskDefinitions: readonly Entry[];
  readonly byArn: ReadonlyMap<string, Entry>;
  /** The latest ACTIVE revision of each family: `DescribeTaskDefinition --task-definition family`. */
  readonly latest: ReadonlyMap<string, Entry>;
}

function data(region: IndexedRegion): EcsData {
  return regionCache(region, "ecs", () => {
    const taskDefinitions = (region.raw.ecs?.taskDefinitions ?? [])
      .map(
        (definition): Entry => ({
          taskDefinitionArn: `arn:aws:ecs:${region.region}:${region.account}:task-definition/${definition.family}:${definition.revision ?? 1}`,
          revision: 1,
          status: "ACTIVE",
          containerDefinitions: [],
          volumes: [],
          requiresCompatibilities: ["FARGATE"],
          networkMode: "awsvpc",
          cpu: "256",
          memory: "512",
          registeredAt: DEFAULT_TIME,
          registeredBy: `arn:aws:iam::${region.account}:root`,
          ...definition,
        }),
      )
      .sort((a, b) => String(a.family).localeCompare(String(b.family)) || Number(a.revision) - Number(b.revision));
    const latest = new Map<string, Entry>();
    for (const definition of taskDefinitions)
      if (definition.status === "ACTIVE") latest.set(String(definition.family), definition);
    return { taskDefinitions, byArn: new Map(taskDefinitions.map((d) => [String(d.taskDefinitionArn), d])), latest };
  });
}

export const ecs: AwsService = {
  name: "ecs",
  signingName: "ecs",
  protocol: "awsJson1_1",
  global: false,
  targetPrefixes: ["AmazonEC2ContainerServiceV20141113"],
  throttle: { code: "ThrottlingException", status: 400 },
  internalError: { code: "ServerException", status: 500 },
  operations: {
    ListTaskDefinitions: read((call) => {
      const { familyPrefix, status = "ACTIVE", sort } = call.input;
      let items = data(regionOf(call)).taskDefinitions.filter(
        (d) => d.status === status && (familyPrefix === undefined || String(d.family).startsWith(String(familyPrefix))),
      );
      if (sort === "DESC") items = items.toReversed();
      const page = listPage(items, {
        token: call.input.nextToken,
        maxResults: call.input.maxResults,
        pageSize: call.pageSize,
        scope: "ecs:ListTaskDefinitions",
        invalidTokenCode: "InvalidParameterException",
      });
      return { taskDefinitionArns: page.items.map((d) => d.taskDefinitionArn), nextToken: page.nextToken };
    }),
    DescribeTaskDefinition: read((call) => {
      const wanted = String(call.input.taskDefinition ?? "");
      const all = data(regionOf(call));
      const arnPrefix = `arn:aws:ecs:${regionOf(call).region}:${regionOf(call).account}:task-definition/`;
      const found = wanted.startsWith("arn:")
        ? all.byArn.get(wanted)
        : wanted.includes(":")
          ? all.byArn.get(`${arnPrefix}${wanted}`)
          : all.latest.get(wanted);
      if (found === undefined) throw new AwsError("ClientException", "Unable to describe task definition.");
      const include = Array.isArray(call.input.include) ? call.input.include : [];
      return {
        taskDefinition: toAwsJson(found),
        ...(include.includes("TAGS") ? { tags: tagList(found.tags, "key", "value") } : {}),
      };
    }),
  },
};
