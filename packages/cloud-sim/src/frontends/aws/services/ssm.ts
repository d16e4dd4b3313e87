import { createHash } from "node:crypto";
import { AwsError, pick, toAwsJson } from "../protocol.ts";
import { type AwsCall, type AwsService, listPage, read, regionOf } from "../service.ts";
import { DEFAULT_TIME, type IndexedRegion, regionCache } from "../world-index.ts";

type Entry = Readonly<Record<string, unknown>>;

function data(region: IndexedRegion): { readonly list: readonly Entry[]; readonly byName: ReadonlyMap<string, Entry> } {
  return regionCache(region, "ssm", () => {
    const list = (region.raw.ssm?.parameters ?? []).map(
      (parameter): Entry => ({
        ARN: `arn:aws:ssm:${region.region}:${region.account}:parameter/${parameter.Name.replace(/^\//, "")}`,
        Type: "String",
        LastModifiedDate: DEFAULT_TIME,
        LastModifiedUser: `arn:aws:iam::${region.account}:user/admin`,
        Version: 1,
        Tier: "Standard",
        Policies: [],
        DataType: "text",
        ...(parameter.Type === "SecureString" ? { KeyId: "alias/aws/ssm" } : {}),
        ...parameter,
      }),
    );
    return { list, byName: new Map(list.map((p) => [String(p.Name), p])) };
  });
}

/**
 * What GetParameters returns for a SecureString without WithDecryption: the KMS ciphertext, base64, never the
 * plaintext. The simulator makes a stable stand-in blob from the name, so nothing of the value leaks.
 */
function ciphertext(parameter: Entry): string {
  const digest = createHash("sha256")
    .update(`ciphertext:${String(parameter.ARN)}`)
    .digest();
  return Buffer.concat([Buffer.from([0x01, 0x02, 0x02, 0x00]), digest, digest]).toString("base64");
}

/** DescribeParameters filters: Filters (Name/Type/KeyId) and ParameterFilters (Name, Type, KeyId, Path … with Equals/BeginsWith). */
function matchesFilters(call: AwsCall, parameter: Entry): boolean {
  const filters = [
    ...((call.input.Filters as { Key: string; Values: string[] }[] | undefined) ?? []).map((f) => ({
      Key: f.Key,
      Option: "Equals",
      Values: f.Values,
    })),
    ...((call.input.ParameterFilters as { Key: string; Option?: string; Values?: string[] }[] | undefined) ?? []),
  ];
  for (const filter of filters) {
    const values = filter.Values ?? [];
    const option = filter.Option ?? "Equals";
    let field: string;
    if (filter.Key === "Path") {
      const name = String(parameter.Name);
      const ok = values.some((path) => {
        const prefix = path.endsWith("/") ? path : `${path}/`;
        return name.startsWith(prefix) && (option === "Recursive" || !name.slice(prefix.length).includes("/"));
      });
      if (!ok) return false;
      continue;
    }
    if (filter.Key === "Name") field = String(parameter.Name);
    else if (filter.Key === "Type") field = String(parameter.Type);
    else if (filter.Key === "KeyId") field = String(parameter.KeyId ?? "");
    else if (filter.Key === "Tier") field = String(parameter.Tier);
    else if (filter.Key === "DataType") field = String(parameter.DataType);
    else throw new AwsError("InvalidFilterKey", `The filter key ${filter.Key} is not supported by cloud-sim.`);
    const hit = values.some((value) =>
      option === "BeginsWith"
        ? field.startsWith(value) || field.startsWith(`/${value}`)
        : option === "Contains"
          ? field.includes(value)
          : field === value,
    );
    if (!hit) return false;
  }
  return true;
}

const METADATA = [
  "Name",
  "ARN",
  "Type",
  "KeyId",
  "LastModifiedDate",
  "LastModifiedUser",
  "Description",
  "AllowedPattern",
  "Version",
  "Tier",
  "Policies",
  "DataType",
];

function getParameters(call: AwsCall) {
  const names = Array.isArray(call.input.Names) ? (call.input.Names as unknown[]).map(String) : [];
  if (names.length === 0 || names.length > 10) {
    throw new AwsError(
      "ValidationException",
      "1 validation error detected: Value at 'names' failed to satisfy constraint: Member must have length between 1 and 10",
    );
  }
  const decrypt = call.input.WithDecryption === true;
  const byName = data(regionOf(call)).byName;
  const found: unknown[] = [];
  const invalid: string[] = [];
  for (const name of names) {
    const parameter = byName.get(name) ?? byName.get(name.replace(/^arn:aws:ssm:[^:]+:\d{12}:parameter/, ""));
    if (parameter === undefined) {
      invalid.push(name);
      continue;
    }
    const value = parameter.Type === "SecureString" && !decrypt ? ciphertext(parameter) : parameter.Value;
    found.push(
      toAwsJson({
        ...pick(parameter, ["Name", "Type", "Version", "LastModifiedDate", "ARN", "DataType"]),
        Value: value,
      }),
    );
  }
  return { Parameters: found, InvalidParameters: invalid };
}

export const ssm: AwsService = {
  name: "ssm",
  signingName: "ssm",
  protocol: "awsJson1_1",
  global: false,
  targetPrefixes: ["AmazonSSM"],
  throttle: { code: "ThrottlingException", status: 400 },
  internalError: { code: "InternalServerError", status: 500 },
  operations: {
    DescribeParameters: read((call) => {
      if (typeof call.input.MaxResults === "number" && call.input.MaxResults > 50) {
        throw new AwsError(
          "ValidationException",
          "1 validation error detected: Value at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 50",
        );
      }
      const items = data(regionOf(call)).list.filter((p) => matchesFilters(call, p));
      const page = listPage(items, {
        token: call.input.NextToken,
        maxResults: call.input.MaxResults,
        pageSize: call.pageSize,
        scope: "ssm:DescribeParameters",
        invalidTokenCode: "InvalidNextToken",
      });
      return { Parameters: page.items.map((p) => toAwsJson(pick(p, METADATA))), NextToken: page.nextToken };
    }),
    // With WithDecryption, SecureString values come back in clear.
    GetParameters: read(getParameters, {
      secret: (input) => input.WithDecryption === true || input.WithDecryption === "true",
    }),
  },
};
