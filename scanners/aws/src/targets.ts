import type { GapItem, TargetItem as CoreTargetItem } from "@aigov/core";
import { gapFrom, mapConcurrent } from "@aigov/scanner-kit";
import { AccountClient, paginateListRegions } from "@aws-sdk/client-account";
import {
  ListTagsForResourceCommand,
  OrganizationsClient,
  paginateListAccounts,
  paginateListAccountsForParent,
  paginateListOrganizationalUnitsForParent,
  paginateListRoots,
} from "@aws-sdk/client-organizations";
import type { AwsClientFactory, CredentialsProvider } from "./aws-clients.ts";
import { AWS_ERRORS, assumeRoleGap } from "./aws-error.ts";
import { type AwsAccountTarget, type NormalizedAwsConfig, roleArnFor } from "./config.ts";
import type { AccountCredentials } from "./credentials.ts";

export type TargetItem = CoreTargetItem<AwsTargetMeta>;

/** What the collectors need to know about a target; kept in ScanTarget.meta (never credentials). */
export interface AwsTargetMeta {
  readonly scope: "global" | "region";
  readonly roleArn: string;
  readonly accountName?: string;
  /** `Root/Workloads/Prod`; unknown when the organization tree could not be read. */
  readonly ouPath?: string | { readonly $unknown: true; readonly reason?: string };
  readonly accountTags?: Readonly<Record<string, string>> | { readonly $unknown: true; readonly reason?: string };
}

interface AccountInfo {
  readonly account: AwsAccountTarget;
  /** Resolves when the OU tree has been walked (organization sweeps only). */
  readonly ouPath?: Promise<NonNullable<AwsTargetMeta["ouPath"]>>;
}

// Accounts prepared (tags, AssumeRole, regions) at once while targets stream out.
const ACCOUNT_PREPARATION = 16;

export function targetKey(account: string, region: string | undefined): string {
  return `aws:${account}:${region ?? "global"}`;
}

/** Accounts (configured or the organization's ACTIVE ones) × regions, each account reached through AssumeRole. */
export async function* discoverTargets(
  config: NormalizedAwsConfig,
  clients: AwsClientFactory,
  credentials: AccountCredentials,
): AsyncGenerator<TargetItem> {
  let caller: { account: string };
  try {
    caller = await credentials.callerIdentity();
  } catch (error) {
    yield {
      type: "gap",
      gap: gapFrom(AWS_ERRORS, error, { account: "unknown", service: "sts", operation: "GetCallerIdentity" }),
    };
    return;
  }
  if (config.organization === undefined) {
    yield* mapConcurrent(config.accounts, ACCOUNT_PREPARATION, (account) =>
      prepareAccount({ account }, config, clients, credentials, undefined),
    );
    return;
  }
  const org = clients.create(OrganizationsClient, "organizations", {
    account: caller.account,
    region: config.homeRegion,
    credentials: credentials.own(),
  });
  // Accounts are prepared as their ListAccounts page arrives, while the OU tree is walked: both are sequential
  // chains of calls, and waiting for them before the first AssumeRole would leave the sweep idle at the start.
  yield* mapConcurrent(listOrganization(org, config, caller.account), ACCOUNT_PREPARATION, (item) =>
    "type" in item ? single(item) : prepareAccount(item, config, clients, credentials, org),
  );
}

async function* single<T>(item: T): AsyncGenerator<T> {
  yield item;
}

type OuPaths = { paths: Map<string, string> } | { operation: string; error: unknown };

async function* listOrganization(
  org: OrganizationsClient,
  config: NormalizedAwsConfig,
  caller: string,
): AsyncGenerator<GapItem | AccountInfo> {
  const walk: Promise<OuPaths> = organizationPaths(org, config).then(
    (paths) => ({ paths }),
    (failure: { operation: string; error: unknown }) => failure,
  );
  const ouPath = async (id: string): Promise<NonNullable<AwsTargetMeta["ouPath"]>> => {
    const walked = await walk;
    if (!("paths" in walked)) return { $unknown: true, reason: "organization tree not readable" };
    return walked.paths.get(id) ?? { $unknown: true, reason: "account not found in the organization tree" };
  };
  try {
    for await (const page of paginateListAccounts({ client: org, pageSize: Math.min(config.pageSize, 20) }, {})) {
      for (const account of page.Accounts ?? []) {
        // `State` replaces `Status` in newer API versions; either says whether the account is usable.
        const state = (account as { State?: string }).State ?? account.Status;
        if (!account.Id || state !== "ACTIVE" || config.organization?.excludeAccounts.includes(account.Id)) continue;
        yield {
          account: { id: account.Id, ...(account.Name === undefined ? {} : { name: account.Name }) },
          ouPath: ouPath(account.Id),
        };
      }
    }
  } catch (error) {
    yield {
      type: "gap",
      gap: gapFrom(AWS_ERRORS, error, { account: caller, service: "organizations", operation: "ListAccounts" }),
    };
  }
  const walked = await walk;
  if ("error" in walked)
    yield {
      type: "gap",
      gap: gapFrom(AWS_ERRORS, walked.error, {
        account: caller,
        service: "organizations",
        operation: walked.operation,
      }),
    };
}

/** Runs one step of the tree walk; a failure says which operation it was. */
async function step<T>(operation: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw { operation, error };
  }
}

/**
 * Account id → `Root/OU/OU` by walking the tree from the roots (one call per OU, not per account).
 * Rejects with `{ operation, error }`.
 */
async function organizationPaths(org: OrganizationsClient, config: NormalizedAwsConfig): Promise<Map<string, string>> {
  const paths = new Map<string, string>();
  const pageSize = Math.min(config.pageSize, 20);
  const queue: { id: string; path: string }[] = [];
  await step("ListRoots", async () => {
    for await (const page of paginateListRoots({ client: org, pageSize }, {})) {
      for (const root of page.Roots ?? []) if (root.Id) queue.push({ id: root.Id, path: root.Name ?? "Root" });
    }
  });
  while (queue.length > 0) {
    const batch = queue.splice(0, queue.length);
    await Promise.all(
      batch.map(async (parent) => {
        await step("ListOrganizationalUnitsForParent", async () => {
          for await (const page of paginateListOrganizationalUnitsForParent(
            { client: org, pageSize },
            { ParentId: parent.id },
          )) {
            for (const ou of page.OrganizationalUnits ?? [])
              if (ou.Id) queue.push({ id: ou.Id, path: `${parent.path}/${ou.Name ?? ou.Id}` });
          }
        });
        await step("ListAccountsForParent", async () => {
          for await (const page of paginateListAccountsForParent({ client: org, pageSize }, { ParentId: parent.id })) {
            for (const child of page.Accounts ?? []) if (child.Id) paths.set(child.Id, parent.path);
          }
        });
      }),
    );
  }
  return paths;
}

async function accountTags(org: OrganizationsClient, account: string): Promise<Record<string, string>> {
  const tags: Record<string, string> = {};
  let token: string | undefined;
  do {
    const page = await org.send(
      new ListTagsForResourceCommand({ ResourceId: account, ...(token === undefined ? {} : { NextToken: token }) }),
    );
    for (const tag of page.Tags ?? []) if (tag.Key !== undefined) tags[tag.Key] = tag.Value ?? "";
    token = page.NextToken;
  } while (token);
  return tags;
}

async function* prepareAccount(
  info: AccountInfo,
  config: NormalizedAwsConfig,
  clients: AwsClientFactory,
  credentials: AccountCredentials,
  org: OrganizationsClient | undefined,
): AsyncGenerator<TargetItem> {
  const id = info.account.id;
  let tags: AwsTargetMeta["accountTags"];
  if (org !== undefined) {
    try {
      tags = await accountTags(org, id);
    } catch (error) {
      yield {
        type: "gap",
        gap: gapFrom(AWS_ERRORS, error, { account: id, service: "organizations", operation: "ListTagsForResource" }),
      };
      tags = { $unknown: true, reason: "Organizations ListTagsForResource failed" };
    }
  }
  const roleArn = roleArnFor(config, info.account);
  let provider: CredentialsProvider;
  try {
    provider = await credentials.assume(id, roleArn);
  } catch (error) {
    yield {
      type: "gap",
      gap: assumeRoleGap(error, { account: id }, roleArn),
    };
    return;
  }
  const ouPath = await info.ouPath;
  const meta = {
    roleArn,
    ...(info.account.name === undefined ? {} : { accountName: info.account.name }),
    ...(ouPath === undefined ? {} : { ouPath }),
    ...(tags === undefined ? {} : { accountTags: tags }),
  };
  const label = info.account.name ? `${info.account.name} (${id})` : id;
  yield {
    provider: "aws",
    key: targetKey(id, undefined),
    account: id,
    label,
    meta: { ...meta, scope: "global" } satisfies AwsTargetMeta,
  };
  let regions: readonly string[];
  if (config.regions === "all-enabled") {
    try {
      regions = await enabledRegions(
        clients.create(AccountClient, "account", { account: id, region: config.homeRegion, credentials: provider }),
        config,
      );
    } catch (error) {
      yield {
        type: "gap",
        gap: gapFrom(AWS_ERRORS, error, { account: id, service: "account", operation: "ListRegions" }),
      };
      regions = [config.homeRegion];
    }
  } else {
    regions = config.regions;
  }
  for (const region of regions) {
    yield {
      provider: "aws",
      key: targetKey(id, region),
      account: id,
      region,
      label: `${label} ${region}`,
      meta: { ...meta, scope: "region" } satisfies AwsTargetMeta,
    };
  }
}

async function enabledRegions(client: AccountClient, config: NormalizedAwsConfig): Promise<string[]> {
  const regions: string[] = [];
  for await (const page of paginateListRegions(
    { client, pageSize: Math.min(config.pageSize, 50) },
    { RegionOptStatusContains: ["ENABLED", "ENABLED_BY_DEFAULT"] },
  )) {
    for (const region of page.Regions ?? []) if (region.RegionName) regions.push(region.RegionName);
  }
  return regions.sort();
}
