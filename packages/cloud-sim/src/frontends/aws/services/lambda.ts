import { AwsError, toRestJson } from "../protocol.ts";
import { type AwsService, listPage, read, regionOf } from "../service.ts";
import { type ResourceTable, renderOnce, resourceTable, type WorldEntry } from "../resource-table.ts";
import type { Tags } from "../world.ts";
import { DEFAULT_TIME, type IndexedRegion, regionCache, stableId } from "../world-index.ts";

type Entry = WorldEntry;

/** Lambda writes LastModified as a string in its own format: 2025-01-01T00:00:00.000+0000. */
function lambdaTime(iso: string): string {
  return new Date(Date.parse(iso)).toISOString().replace("Z", "+0000");
}

function data(region: IndexedRegion): {
  readonly functions: ResourceTable<Entry>;
  readonly tags: ReadonlyMap<string, Tags>;
} {
  return regionCache(region, "lambda", () => {
    const tags = new Map<string, Tags>();
    const functions = (region.raw.lambda?.functions ?? []).map((fn) => {
      const arn = `arn:aws:lambda:${region.region}:${region.account}:function:${fn.FunctionName}`;
      const filled: Entry = {
        FunctionArn: arn,
        Runtime: "python3.12",
        Role: `arn:aws:iam::${region.account}:role/${fn.FunctionName}-role`,
        Handler: "index.handler",
        CodeSize: 1024,
        Description: "",
        Timeout: 3,
        MemorySize: 128,
        CodeSha256: Buffer.from(stableId(arn, 32)).toString("base64"),
        Version: "$LATEST",
        TracingConfig: { Mode: "PassThrough" },
        RevisionId: stableId(`${arn}/revision`, 32),
        PackageType: "Zip",
        Architectures: ["x86_64"],
        EphemeralStorage: { Size: 512 },
        ...fn,
        LastModified: lambdaTime(typeof fn.LastModified === "string" ? fn.LastModified : DEFAULT_TIME),
      };
      if (fn.tags !== undefined) tags.set(arn, fn.tags);
      return filled;
    });
    return { functions: resourceTable(functions, (f) => String(f.FunctionName)), tags };
  });
}

export const lambda: AwsService = {
  name: "lambda",
  signingName: "lambda",
  protocol: "restJson1",
  global: false,
  throttle: { code: "TooManyRequestsException", status: 429 },
  internalError: { code: "ServiceException", status: 500 },
  routes: [
    { method: "GET", path: "/2015-03-31/functions/", operation: "ListFunctions" },
    {
      method: "GET",
      path: "/2015-03-31/functions/{FunctionName}/configuration",
      operation: "GetFunctionConfiguration",
    },
    { method: "GET", path: "/2017-03-31/tags/{Resource}", operation: "ListTags" },
  ],
  operations: {
    // ListFunctions returns each function's full configuration, Environment.Variables included.
    ListFunctions: read((call) => {
      const page = listPage(data(regionOf(call)).functions.list, {
        token: call.input.Marker,
        maxResults: call.input.MaxItems,
        pageSize: call.pageSize,
        scope: "lambda:ListFunctions",
        invalidTokenCode: "InvalidParameterValueException",
      });
      return {
        Functions: page.items.map((fn) => renderOnce(fn, "configuration", () => toRestJson(fn))),
        NextMarker: page.nextToken,
      };
    }),
    GetFunctionConfiguration: read((call) => {
      const name = String(call.input.FunctionName ?? "");
      const table = data(regionOf(call)).functions;
      const fn = table.byName.get(name) ?? table.list.find((f) => f.FunctionArn === name);
      if (fn === undefined)
        throw new AwsError(
          "ResourceNotFoundException",
          `Function not found: arn:aws:lambda:${regionOf(call).region}:${regionOf(call).account}:function:${name}`,
          404,
        );
      return toRestJson(fn);
    }),
    ListTags: read((call) => {
      const arn = String(call.input.Resource ?? "");
      const all = data(regionOf(call));
      if (!all.functions.list.some((f) => f.FunctionArn === arn))
        throw new AwsError("ResourceNotFoundException", `Function not found: ${arn}`, 404);
      return { Tags: all.tags.get(arn) ?? {} };
    }),
  },
};
