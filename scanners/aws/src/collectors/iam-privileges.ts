import type { Asset, ScanItem, Tri } from "@aigov/core";
import { unknown } from "@aigov/core";
import {
  IAMClient,
  paginateListEntitiesForPolicy,
  paginateListGroupsForUser,
  paginateListRoleTags,
  paginateListUserTags,
} from "@aws-sdk/client-iam";
import { type Attempt, asset, subjects } from "@aigov/scanner-kit";
import { type AwsCollectContext, pageSize } from "../collect-context.ts";

const MAX_ITEMS = 1000;
/** The AWS managed policy that grants every action on every resource. */
export const ADMINISTRATOR_ACCESS = "arn:aws:iam::aws:policy/AdministratorAccess";
/** Every Bedrock action (creating agents, keys, model access, deleting guardrails and logging) on every resource. */
export const BEDROCK_FULL_ACCESS = "arn:aws:iam::aws:policy/AmazonBedrockFullAccess";

/** The users, groups and roles of the account a managed policy is attached to, by name. */
export interface PolicyHolders {
  readonly users: ReadonlySet<string>;
  readonly groups: ReadonlySet<string>;
  readonly roles: ReadonlySet<string>;
}

/** Who holds a managed policy in the target's account: read once per account and sweep (IAM is global). */
export function policyHolders(ctx: AwsCollectContext, policyArn: string): Promise<Attempt<PolicyHolders>> {
  return ctx.onceForAccount(`iam:ListEntitiesForPolicy:${policyArn}`, () =>
    ctx.attempt("iam", "ListEntitiesForPolicy", async () => {
      const client = ctx.client(IAMClient, "iam");
      const users = new Set<string>();
      const groups = new Set<string>();
      const roles = new Set<string>();
      const pages = paginateListEntitiesForPolicy(
        { client, pageSize: pageSize(ctx, MAX_ITEMS) },
        { PolicyArn: policyArn },
      );
      for await (const page of pages) {
        for (const user of page.PolicyUsers ?? []) users.add(user.UserName ?? "");
        for (const group of page.PolicyGroups ?? []) groups.add(group.GroupName ?? "");
        for (const role of page.PolicyRoles ?? []) roles.add(role.RoleName ?? "");
      }
      return { users, groups, roles };
    }),
  );
}

/**
 * Whether the role an agent acts as holds AdministratorAccess. Only that managed policy is read: a customer-managed
 * or inline policy allowing `*` is not (yet) seen, so `false` means "not through AdministratorAccess".
 */
export async function roleIsAdministrator(ctx: AwsCollectContext, roleArn: string | undefined): Promise<Tri> {
  if (roleArn === undefined || roleArn === "") return unknown("no execution role reported");
  const match = /^arn:aws[\w-]*:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(roleArn);
  if (match === null) return unknown(`not a role ARN: ${roleArn}`);
  if (match[1] !== ctx.account) return unknown(`the role is in account ${match[1]}, which this target cannot read`);
  const holders = await policyHolders(ctx, ADMINISTRATOR_ACCESS);
  return holders.ok ? holders.value.roles.has(match[2] ?? "") : unknown(holders.reason);
}

/** Whether an IAM user holds AdministratorAccess, attached to the user or to one of its groups. */
export async function userIsAdministrator(ctx: AwsCollectContext, userName: string): Promise<Tri> {
  const holders = await policyHolders(ctx, ADMINISTRATOR_ACCESS);
  if (!holders.ok) return unknown(holders.reason);
  if (holders.value.users.has(userName)) return true;
  if (holders.value.groups.size === 0) return false;
  const groups = await ctx.onceForAccount(`iam:ListGroupsForUser:${userName}`, () =>
    ctx.attempt("iam", "ListGroupsForUser", async () => {
      const client = ctx.client(IAMClient, "iam");
      const names: string[] = [];
      const pages = paginateListGroupsForUser({ client, pageSize: pageSize(ctx, MAX_ITEMS) }, { UserName: userName });
      for await (const page of pages) names.push(...(page.Groups ?? []).map((group) => group.GroupName ?? ""));
      return names;
    }),
  );
  return groups.ok ? groups.value.some((group) => holders.value.groups.has(group)) : unknown(groups.reason);
}

/**
 * The users, groups and roles holding AmazonBedrockFullAccess, as identities: the AI power they hold is the finding.
 * Runs on the account's global target.
 */
export async function* collectBedrockFullAccessHolders(ctx: AwsCollectContext): AsyncGenerator<ScanItem> {
  const holders = await policyHolders(ctx, BEDROCK_FULL_ACCESS);
  if (!holders.ok) return;
  const client = ctx.client(IAMClient, "iam");
  const native = { attachedPolicyArns: [BEDROCK_FULL_ACCESS], bedrockFullAccess: true };
  const identity = (segment: string, type: string, name: string, tags: Asset["tags"], part?: true) =>
    asset(ctx, {
      kind: "identity",
      type,
      id: `arn:aws:iam::${ctx.account}:${segment}/${name}`,
      name,
      tags,
      ...(part === undefined ? {} : { part }),
      native,
    });
  const users = await Promise.all(
    [...holders.value.users].map(async (name) => {
      const read = await ctx.attempt("iam", "ListUserTags", () =>
        collectTags(paginateListUserTags({ client, pageSize: pageSize(ctx, MAX_ITEMS) }, { UserName: name })),
      );
      return identity("user", "AWS::IAM::User", name, read.ok ? read.value : unknown(read.reason));
    }),
  );
  const roles = await Promise.all(
    [...holders.value.roles].map(async (name) => {
      const read = await ctx.attempt("iam", "ListRoleTags", () =>
        collectTags(paginateListRoleTags({ client, pageSize: pageSize(ctx, MAX_ITEMS) }, { RoleName: name })),
      );
      return identity("role", "AWS::IAM::Role", name, read.ok ? read.value : unknown(read.reason));
    }),
  );
  // A group takes no tags: it is owned through its members, as a part is through its resource.
  const groups = [...holders.value.groups].map((name) => identity("group", "AWS::IAM::Group", name, {}, true));
  yield* subjects([...users, ...groups, ...roles]);
}

async function collectTags(
  pages: AsyncIterable<{ Tags?: { Key?: string; Value?: string }[] | undefined }>,
): Promise<Record<string, string>> {
  const tags: Record<string, string> = {};
  for await (const page of pages) for (const tag of page.Tags ?? []) tags[tag.Key ?? ""] = tag.Value ?? "";
  return tags;
}
