import { AwsError } from "../protocol.ts";
import { type AwsService, listPage, read } from "../service.ts";

/** Regions enabled in every account by default; the rest are opt-in. */
const DEFAULT_REGIONS = [
  "us-east-1",
  "us-east-2",
  "us-west-1",
  "us-west-2",
  "ca-central-1",
  "eu-central-1",
  "eu-west-1",
  "eu-west-2",
  "eu-west-3",
  "eu-north-1",
  "ap-northeast-1",
  "ap-northeast-2",
  "ap-northeast-3",
  "ap-south-1",
  "ap-southeast-1",
  "ap-southeast-2",
  "sa-east-1",
];
const OPT_IN_REGIONS = [
  "af-south-1",
  "ap-east-1",
  "ap-south-2",
  "ap-southeast-3",
  "ap-southeast-4",
  "ca-west-1",
  "eu-central-2",
  "eu-south-1",
  "eu-south-2",
  "il-central-1",
  "me-central-1",
  "me-south-1",
];

/**
 * Account (restJson1, POST /listRegions). The world's enabled regions are ENABLED (or ENABLED_BY_DEFAULT for
 * the default set); every other known region is DISABLED, so a sweep of "all enabled regions" sees exactly the
 * world's regions.
 */
export const account: AwsService = {
  name: "account",
  signingName: "account",
  protocol: "restJson1",
  global: true,
  throttle: { code: "TooManyRequestsException", status: 429 },
  routes: [
    { method: "POST", path: "/listRegions", operation: "ListRegions" },
    { method: "POST", path: "/getRegionOptStatus", operation: "GetRegionOptStatus" },
  ],
  operations: {
    ListRegions: read((call) => {
      const target =
        call.input.AccountId === undefined ? call.account : call.world.accounts.get(String(call.input.AccountId));
      if (target === undefined)
        throw new AwsError("AccessDeniedException", "You don't have permissions to access this account.", 403);
      if (target.id !== call.account.id && call.world.organization?.managementAccountId !== call.account.id) {
        throw new AwsError(
          "AccessDeniedException",
          "Only the management account can list another account's regions.",
          403,
        );
      }
      const names = [...new Set([...DEFAULT_REGIONS, ...OPT_IN_REGIONS, ...target.regions.keys()])].sort();
      const wanted = Array.isArray(call.input.RegionOptStatusContains)
        ? (call.input.RegionOptStatusContains as string[])
        : undefined;
      const regions = names
        .map((name) => ({
          RegionName: name,
          RegionOptStatus: target.regions.has(name)
            ? DEFAULT_REGIONS.includes(name)
              ? "ENABLED_BY_DEFAULT"
              : "ENABLED"
            : "DISABLED",
        }))
        .filter((region) => wanted === undefined || wanted.includes(region.RegionOptStatus));
      const p = listPage(regions, {
        token: call.input.NextToken,
        maxResults: call.input.MaxResults,
        pageSize: call.pageSize,
        scope: "account:ListRegions",
        invalidTokenCode: "ValidationException",
      });
      return { Regions: p.items, NextToken: p.nextToken };
    }),
    GetRegionOptStatus: read((call) => {
      const name = String(call.input.RegionName ?? "");
      return {
        RegionName: name,
        RegionOptStatus: call.account.regions.has(name)
          ? DEFAULT_REGIONS.includes(name)
            ? "ENABLED_BY_DEFAULT"
            : "ENABLED"
          : "DISABLED",
      };
    }),
  },
};
