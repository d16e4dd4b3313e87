import { AwsError, toAwsJson } from "../protocol.ts";
import { type AwsService, listPage, read, regionOf } from "../service.ts";
import { DEFAULT_TIME, regionCache } from "../world-index.ts";

/** CloudWatch Logs (awsJson1_1): log groups, which the scanner reads for the key Bedrock's invocation logs use. */
export const logs: AwsService = {
  name: "logs",
  signingName: "logs",
  protocol: "awsJson1_1",
  global: false,
  targetPrefixes: ["Logs_20140328"],
  throttle: { code: "ThrottlingException", status: 400 },
  internalError: { code: "ServiceUnavailableException", status: 500 },
  operations: {
    DescribeLogGroups: read((call) => {
      const region = regionOf(call);
      const limit = call.input.limit;
      if (limit !== undefined && !(typeof limit === "number" && limit >= 1 && limit <= 50))
        throw new AwsError(
          "InvalidParameterException",
          "1 validation error detected: Value at 'limit' failed to satisfy constraint: Member must have value less than or equal to 50",
        );
      const groups = regionCache(region, "logs", () =>
        (region.raw.logs?.logGroups ?? []).map((group) => ({
          arn: `arn:aws:logs:${region.region}:${region.account}:log-group:${group.logGroupName}:*`,
          logGroupArn: `arn:aws:logs:${region.region}:${region.account}:log-group:${group.logGroupName}`,
          creationTime: Date.parse(DEFAULT_TIME),
          storedBytes: 0,
          logGroupClass: "STANDARD",
          ...group,
        })),
      );
      const prefix = call.input.logGroupNamePrefix === undefined ? "" : String(call.input.logGroupNamePrefix);
      const page = listPage(
        groups.filter((group) => group.logGroupName.startsWith(prefix)),
        {
          token: call.input.nextToken,
          maxResults: limit,
          pageSize: call.pageSize,
          scope: `logs:DescribeLogGroups:${prefix}`,
          invalidTokenCode: "InvalidParameterException",
        },
      );
      return { logGroups: page.items.map(toAwsJson), nextToken: page.nextToken };
    }),
  },
};
