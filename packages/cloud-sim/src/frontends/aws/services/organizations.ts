import { AwsError, epochSeconds } from "../protocol.ts";
import { type AwsCall, type AwsService, listPage, read } from "../service.ts";
import { tagList } from "../resource-table.ts";
import type { IndexedAccount, IndexedOrganization, IndexedOu } from "../world-index.ts";

/** Most Organizations calls work only from the management account; DescribeOrganization from any member. */
function organization(call: AwsCall, managementOnly = true): IndexedOrganization {
  const org = call.world.organization;
  if (org === undefined || !call.world.accounts.has(call.account.id)) {
    throw new AwsError("AWSOrganizationsNotInUseException", "Your account is not a member of an organization.");
  }
  if (managementOnly && call.account.id !== org.managementAccountId) {
    throw new AwsError("AccessDeniedException", "You don't have permissions to access this resource.");
  }
  return org;
}

/** The entity path Organizations reports: o-…/r-…/ou-…/…/ */
function pathOf(org: IndexedOrganization, parentId: string | undefined, leaf: string): string {
  const chain: string[] = [leaf];
  let current = parentId;
  while (current !== undefined && current !== org.rootId) {
    chain.unshift(current);
    current = org.ous.get(current)?.parentId;
  }
  return `${org.id}/${org.rootId}/${chain.join("/")}/`;
}

function accountShape(org: IndexedOrganization, account: IndexedAccount) {
  return {
    Id: account.id,
    Arn: `arn:aws:organizations::${org.managementAccountId}:account/${org.id}/${account.id}`,
    Email: account.email,
    Name: account.name,
    Status: account.status,
    State: account.status,
    Paths: [pathOf(org, account.parentId, account.id)],
    JoinedMethod: account.id === org.managementAccountId ? "CREATED" : "INVITED",
    JoinedTimestamp: epochSeconds(account.joined),
  };
}

function ouShape(org: IndexedOrganization, ou: IndexedOu) {
  return { Id: ou.id, Arn: ou.arn, Name: ou.name, Path: pathOf(org, ou.parentId, ou.id) };
}

function page<T>(call: AwsCall, items: readonly T[], scope: string) {
  return listPage(items, {
    token: call.input.NextToken,
    maxResults: call.input.MaxResults,
    pageSize: call.pageSize,
    scope: `organizations:${scope}`,
    invalidTokenCode: "InvalidInputException",
  });
}

function knownParent(org: IndexedOrganization, id: string): void {
  if (id !== org.rootId && !org.ous.has(id))
    throw new AwsError("ParentNotFoundException", "We can't find a root or OU with the ParentId that you specified.");
}

export const organizations: AwsService = {
  name: "organizations",
  signingName: "organizations",
  protocol: "awsJson1_1",
  global: true,
  targetPrefixes: ["AWSOrganizationsV20161128"],
  throttle: { code: "TooManyRequestsException", status: 400 },
  internalError: { code: "ServiceException", status: 500 },
  operations: {
    DescribeOrganization: read((call) => {
      const org = organization(call, false);
      return {
        Organization: {
          Id: org.id,
          Arn: org.arn,
          FeatureSet: org.featureSet,
          MasterAccountArn: `arn:aws:organizations::${org.managementAccountId}:account/${org.id}/${org.managementAccountId}`,
          MasterAccountId: org.managementAccountId,
          MasterAccountEmail: org.managementAccountEmail,
          AvailablePolicyTypes: [{ Type: "SERVICE_CONTROL_POLICY", Status: "ENABLED" }],
        },
      };
    }),
    ListRoots: read((call) => {
      const org = organization(call);
      const p = page(
        call,
        [
          {
            Id: org.rootId,
            Arn: org.rootArn,
            Name: "Root",
            PolicyTypes: [{ Type: "SERVICE_CONTROL_POLICY", Status: "ENABLED" }],
          },
        ],
        "ListRoots",
      );
      return { Roots: p.items, NextToken: p.nextToken };
    }),
    ListAccounts: read((call) => {
      const org = organization(call);
      const p = page(call, call.world.accountList, "ListAccounts");
      return { Accounts: p.items.map((account) => accountShape(org, account)), NextToken: p.nextToken };
    }),
    ListAccountsForParent: read((call) => {
      const org = organization(call);
      const parentId = String(call.input.ParentId ?? "");
      knownParent(org, parentId);
      const p = page(call, org.childAccounts.get(parentId) ?? [], `ListAccountsForParent:${parentId}`);
      return { Accounts: p.items.map((account) => accountShape(org, account)), NextToken: p.nextToken };
    }),
    DescribeAccount: read((call) => {
      const org = organization(call);
      const account = call.world.accounts.get(String(call.input.AccountId ?? ""));
      if (account === undefined)
        throw new AwsError("AccountNotFoundException", "You specified an account that doesn't exist.");
      return { Account: accountShape(org, account) };
    }),
    ListParents: read((call) => {
      const org = organization(call);
      const childId = String(call.input.ChildId ?? "");
      const parentId = org.ous.get(childId)?.parentId ?? call.world.accounts.get(childId)?.parentId;
      if (parentId === undefined)
        throw new AwsError(
          "ChildNotFoundException",
          "We can't find an organizational unit (OU) or AWS account with the ChildId that you specified.",
        );
      const p = page(
        call,
        [{ Id: parentId, Type: parentId === org.rootId ? "ROOT" : "ORGANIZATIONAL_UNIT" }],
        `ListParents:${childId}`,
      );
      return { Parents: p.items, NextToken: p.nextToken };
    }),
    ListOrganizationalUnitsForParent: read((call) => {
      const org = organization(call);
      const parentId = String(call.input.ParentId ?? "");
      knownParent(org, parentId);
      const p = page(call, org.childOus.get(parentId) ?? [], `ListOrganizationalUnitsForParent:${parentId}`);
      return { OrganizationalUnits: p.items.map((ou) => ouShape(org, ou)), NextToken: p.nextToken };
    }),
    DescribeOrganizationalUnit: read((call) => {
      const org = organization(call);
      const ou = org.ous.get(String(call.input.OrganizationalUnitId ?? ""));
      if (ou === undefined)
        throw new AwsError(
          "OrganizationalUnitNotFoundException",
          "We can't find an OU with the OrganizationalUnitId that you specified.",
        );
      return { OrganizationalUnit: ouShape(org, ou) };
    }),
    ListTagsForResource: read((call) => {
      const org = organization(call);
      const id = String(call.input.ResourceId ?? "");
      const tags = id === org.rootId ? {} : (call.world.accounts.get(id)?.tags ?? org.ous.get(id)?.tags);
      if (tags === undefined)
        throw new AwsError("TargetNotFoundException", "We can't find a resource with the TargetId that you specified.");
      const p = page(call, tagList(tags), `ListTagsForResource:${id}`);
      return { Tags: p.items, NextToken: p.nextToken };
    }),
  },
};
