import { AwsError, isoTime, toXml } from "../protocol.ts";
import { type AwsCall, type AwsService, listPage, read } from "../service.ts";
import { tagList } from "../resource-table.ts";
import type { AwsIamUser } from "../world.ts";
import { DEFAULT_TIME, type IndexedAccount, stableId } from "../world-index.ts";

function users(call: AwsCall): readonly AwsIamUser[] {
  return call.account.raw.iam?.users ?? [];
}

interface RenderedUser {
  readonly user: AwsIamUser;
  readonly shape: Record<string, unknown>;
  readonly credentials: readonly Record<string, unknown>[];
}

/** Each account's users and their credentials in API shape, built on first use (timestamps formatted once). */
const renderedUsers = new WeakMap<IndexedAccount, readonly RenderedUser[]>();

function rendered(call: AwsCall): readonly RenderedUser[] {
  const cached = renderedUsers.get(call.account);
  if (cached !== undefined) return cached;
  const built = users(call).map((user) => {
    const path = user.path ?? "/";
    return {
      user,
      shape: {
        Path: path,
        UserName: user.name,
        UserId: user.id ?? `AIDA${stableId(`${call.account.id}/${user.name}`, 17).toUpperCase()}`,
        Arn: `arn:aws:iam::${call.account.id}:user${path}${user.name}`,
        CreateDate: isoTime(user.created ?? DEFAULT_TIME),
      },
      credentials: (user.serviceSpecificCredentials ?? []).map((c) => ({
        UserName: user.name,
        Status: c.status ?? "Active",
        ServiceUserName: c.serviceUserName ?? `${user.name}-at-${call.account.id}`,
        ServiceCredentialAlias: c.serviceCredentialAlias,
        CreateDate: isoTime(c.created ?? DEFAULT_TIME),
        ExpirationDate: c.expires === undefined || c.expires === null ? undefined : isoTime(c.expires),
        ServiceSpecificCredentialId: c.id,
        ServiceName: c.service ?? "bedrock.amazonaws.com",
      })),
    };
  });
  renderedUsers.set(call.account, built);
  return built;
}

/** IAM pages with Marker/MaxItems and says IsTruncated; the simulator's page size caps MaxItems. */
function page<T>(call: AwsCall, items: readonly T[], scope: string) {
  return listPage(items, {
    token: call.input.Marker,
    maxResults: call.input.MaxItems,
    pageSize: call.pageSize,
    scope: `iam:${scope}`,
    invalidTokenCode: "ValidationError",
  });
}

function truncation(nextToken: string | undefined): { IsTruncated: boolean; Marker?: string } {
  return nextToken === undefined ? { IsTruncated: false } : { IsTruncated: true, Marker: nextToken };
}

function noSuchUser(name: string): AwsError {
  return new AwsError("NoSuchEntity", `The user with name ${name} cannot be found.`, 404);
}

export const iam: AwsService = {
  name: "iam",
  signingName: "iam",
  protocol: "awsQuery",
  global: true,
  namespace: "https://iam.amazonaws.com/doc/2010-05-08/",
  throttle: { code: "Throttling", status: 400 },
  internalError: { code: "ServiceFailure", status: 500 },
  operations: {
    ListUsers: read((call) => {
      const prefix = String(call.input.PathPrefix ?? "/");
      const p = page(
        call,
        rendered(call).filter((u) => String(u.shape.Path).startsWith(prefix)),
        `ListUsers:${prefix}`,
      );
      return toXml({ Users: p.items.map((u) => u.shape), ...truncation(p.nextToken) });
    }),
    ListUserTags: read((call) => {
      const name = String(call.input.UserName ?? "");
      const user = users(call).find((u) => u.name === name);
      if (user === undefined) throw noSuchUser(name);
      const p = page(call, tagList(user.tags), `ListUserTags:${name}`);
      return toXml({ Tags: p.items, ...truncation(p.nextToken) });
    }),
    ListRoleTags: read((call) => {
      const name = String(call.input.RoleName ?? "");
      const role = (call.account.raw.iam?.roles ?? []).find((r) => r.name === name);
      if (role === undefined) throw new AwsError("NoSuchEntity", `The role with name ${name} cannot be found.`, 404);
      const p = page(call, tagList(role.tags), `ListRoleTags:${name}`);
      return toXml({ Tags: p.items, ...truncation(p.nextToken) });
    }),
    ListEntitiesForPolicy: read((call) => {
      const policyArn = String(call.input.PolicyArn ?? "");
      const iamWorld = call.account.raw.iam ?? {};
      const holds = (principal: { readonly attachedPolicies?: readonly string[] }) =>
        (principal.attachedPolicies ?? []).includes(policyArn);
      const id = (kind: string, name: string) => `${kind}${stableId(`${call.account.id}/${name}`, 17).toUpperCase()}`;
      // One list of every holder, paged as one: IAM pages the three kinds together.
      const holders = [
        ...(iamWorld.users ?? [])
          .filter(holds)
          .map((u) => ({ kind: "PolicyUsers", UserName: u.name, UserId: id("AIDA", u.name) })),
        ...(iamWorld.groups ?? [])
          .filter(holds)
          .map((g) => ({ kind: "PolicyGroups", GroupName: g.name, GroupId: id("AGPA", g.name) })),
        ...(iamWorld.roles ?? [])
          .filter(holds)
          .map((r) => ({ kind: "PolicyRoles", RoleName: r.name, RoleId: id("AROA", r.name) })),
      ];
      const p = page(call, holders, `ListEntitiesForPolicy:${policyArn}`);
      const of = (kind: string) => p.items.filter((h) => h.kind === kind).map(({ kind: _kind, ...rest }) => rest);
      return toXml({
        PolicyUsers: of("PolicyUsers"),
        PolicyGroups: of("PolicyGroups"),
        PolicyRoles: of("PolicyRoles"),
        ...truncation(p.nextToken),
      });
    }),
    ListGroupsForUser: read((call) => {
      const name = String(call.input.UserName ?? "");
      const user = users(call).find((u) => u.name === name);
      if (user === undefined) throw noSuchUser(name);
      const groups = (user.groups ?? []).map((group) => ({
        Path: "/",
        GroupName: group,
        GroupId: `AGPA${stableId(`${call.account.id}/${group}`, 17).toUpperCase()}`,
        Arn: `arn:aws:iam::${call.account.id}:group/${group}`,
        CreateDate: isoTime(DEFAULT_TIME),
      }));
      const p = page(call, groups, `ListGroupsForUser:${name}`);
      return toXml({ Groups: p.items, ...truncation(p.nextToken) });
    }),
    ListServiceSpecificCredentials: read((call) => {
      const service = call.input.ServiceName === undefined ? undefined : String(call.input.ServiceName);
      const allUsers = call.input.AllUsers === "true";
      const userName = call.input.UserName === undefined ? undefined : String(call.input.UserName);
      if (allUsers && userName !== undefined)
        throw new AwsError("ValidationError", "AllUsers and UserName cannot both be specified.");
      // Without AllUsers or UserName, IAM lists the calling user's own credentials.
      const callerName = call.caller.arn.includes(":user/") ? call.caller.arn.split("/").at(-1) : undefined;
      const who = allUsers ? undefined : (userName ?? callerName);
      if (!allUsers && who === undefined)
        throw new AwsError("ValidationError", "Must specify a user name when not calling as an IAM user.");
      const selected = rendered(call).filter((u) => who === undefined || u.user.name === who);
      if (who !== undefined && selected.length === 0) throw noSuchUser(who);
      const credentials = selected.flatMap((u) =>
        service === undefined ? u.credentials : u.credentials.filter((c) => c.ServiceName === service),
      );
      const p = page(call, credentials, `ListServiceSpecificCredentials:${service ?? ""}:${who ?? "*"}`);
      return toXml({ ServiceSpecificCredentials: p.items, ...truncation(p.nextToken) });
    }),
  },
};
