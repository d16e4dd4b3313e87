import { createHash } from "node:crypto";
import type { AwsAccount, AwsOrganizationalUnit, AwsRegion, AwsRole, AwsWorld, Tags } from "./world.ts";

/**
 * The world's `aws:` section compiled once for fast answers: accounts and regions by id, OUs by id and parent, and per region a
 * cache each service fills the first time it is asked (its lists with defaults filled in, maps by name and ARN).
 * No request ever walks or re-parses the world file.
 */
export interface IndexedWorld {
  readonly accounts: ReadonlyMap<string, IndexedAccount>;
  /** Accounts in world order (Organizations ListAccounts order). */
  readonly accountList: readonly IndexedAccount[];
  readonly organization: IndexedOrganization | undefined;
  readonly caller: { readonly account: string; readonly arn: string } | undefined;
}

export interface IndexedOrganization {
  readonly id: string;
  readonly arn: string;
  readonly managementAccountId: string;
  readonly managementAccountEmail: string;
  readonly rootId: string;
  readonly rootArn: string;
  readonly featureSet: "ALL" | "CONSOLIDATED_BILLING";
  readonly ous: ReadonlyMap<string, IndexedOu>;
  /** Child OUs and accounts by parent id (the root id or an OU id), in world order. */
  readonly childOus: ReadonlyMap<string, readonly IndexedOu[]>;
  readonly childAccounts: ReadonlyMap<string, readonly IndexedAccount[]>;
}

export interface IndexedOu {
  readonly id: string;
  readonly arn: string;
  readonly name: string;
  readonly path: string;
  readonly parentId: string;
  readonly tags: Tags;
}

export interface IndexedAccount {
  readonly id: string;
  readonly name: string;
  readonly email: string;
  readonly status: "ACTIVE" | "SUSPENDED" | "PENDING_CLOSURE";
  readonly tags: Tags;
  readonly joined: string;
  /** The root id or OU id the account sits under (the root when there is no organization). */
  readonly parentId: string | undefined;
  /** undefined: any role can be assumed. */
  readonly roles: ReadonlyMap<string, AwsRole> | undefined;
  readonly raw: AwsAccount;
  readonly regions: ReadonlyMap<string, IndexedRegion>;
}

export interface IndexedRegion {
  readonly account: string;
  readonly region: string;
  readonly raw: AwsRegion;
  /** Per-service derived data, built on first use and kept: see `regionCache`. */
  readonly cache: Map<string, unknown>;
}

/** The default time for anything the world gives no time for. */
export const DEFAULT_TIME = "2025-01-01T00:00:00.000Z";

export function indexWorld(aws: AwsWorld | undefined): IndexedWorld {
  const accountList: IndexedAccount[] = [];
  const accounts = new Map<string, IndexedAccount>();
  const org = aws?.organization;
  const rootId = org?.rootId ?? "r-sim0";
  const orgId = org?.id ?? "o-aigovsim01";
  const ous = new Map<string, IndexedOu>();
  const ouByPath = new Map<string, IndexedOu>();
  const childOus = new Map<string, IndexedOu[]>();
  if (org !== undefined) {
    const walk = (list: readonly AwsOrganizationalUnit[], parentId: string, prefix: string) => {
      for (const ou of list) {
        const path = prefix === "" ? ou.name : `${prefix}/${ou.name}`;
        const id = ou.id ?? `ou-${rootId.slice(2)}-${stableId(path, 8)}`;
        const indexed: IndexedOu = {
          id,
          arn: `arn:aws:organizations::${org.managementAccountId}:ou/${orgId}/${id}`,
          name: ou.name,
          path,
          parentId,
          tags: ou.tags ?? {},
        };
        ous.set(id, indexed);
        ouByPath.set(path, indexed);
        const siblings = childOus.get(parentId) ?? [];
        siblings.push(indexed);
        childOus.set(parentId, siblings);
        if (ou.ous !== undefined) walk(ou.ous, id, path);
      }
    };
    walk(org.ous ?? [], rootId, "");
  }
  const childAccounts = new Map<string, IndexedAccount[]>();
  for (const account of aws?.accounts ?? []) {
    const parentId =
      org === undefined
        ? undefined
        : account.ou === undefined
          ? rootId
          : (ous.get(account.ou)?.id ?? ouByPath.get(account.ou)?.id ?? rootId);
    const regions = new Map<string, IndexedRegion>();
    for (const [region, raw] of Object.entries(account.regions ?? {})) {
      regions.set(region, { account: account.id, region, raw: raw ?? {}, cache: new Map() });
    }
    const indexed: IndexedAccount = {
      id: account.id,
      name: account.name,
      email: account.email ?? `${account.name.replace(/[^A-Za-z0-9._-]/g, "-")}@example.com`,
      status: account.status ?? "ACTIVE",
      tags: account.tags ?? {},
      joined: account.joined ?? DEFAULT_TIME,
      parentId,
      roles: account.roles === undefined ? undefined : new Map(account.roles.map((role) => [role.name, role])),
      raw: account,
      regions,
    };
    accountList.push(indexed);
    accounts.set(account.id, indexed);
    if (parentId !== undefined) {
      const siblings = childAccounts.get(parentId) ?? [];
      siblings.push(indexed);
      childAccounts.set(parentId, siblings);
    }
  }
  const callerAccount = aws?.caller?.account ?? org?.managementAccountId ?? accountList[0]?.id;
  return {
    accounts,
    accountList,
    caller:
      callerAccount === undefined
        ? undefined
        : { account: callerAccount, arn: aws?.caller?.arn ?? `arn:aws:iam::${callerAccount}:user/aigov-sim` },
    organization:
      org === undefined
        ? undefined
        : {
            id: orgId,
            arn: `arn:aws:organizations::${org.managementAccountId}:organization/${orgId}`,
            managementAccountId: org.managementAccountId,
            managementAccountEmail: accounts.get(org.managementAccountId)?.email ?? "management@example.com",
            rootId,
            rootArn: `arn:aws:organizations::${org.managementAccountId}:root/${orgId}/${rootId}`,
            featureSet: org.featureSet ?? "ALL",
            ous,
            childOus,
            childAccounts,
          },
  };
}

/** A service's derived data for one region, built once by `build` and reused by every later request. */
export function regionCache<T>(region: IndexedRegion, service: string, build: () => T): T {
  const cached = region.cache.get(service) as T | undefined;
  if (cached !== undefined) return cached;
  const built = build();
  region.cache.set(service, built);
  return built;
}

/** A stable lower-case alphanumeric id derived from a name, so generated ids survive reloading the world. */
export function stableId(seed: string, length: number): string {
  return createHash("sha256").update(seed).digest("hex").slice(0, length);
}
