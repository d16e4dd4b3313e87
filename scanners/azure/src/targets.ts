import type { GapItem, TargetItem as CoreTargetItem } from "@aigov/core";
import { gapFrom } from "@aigov/scanner-kit";
import type { AzureClientFactory } from "./azure-clients.ts";
import { AZURE_ERRORS } from "./azure-error.ts";
import type { NormalizedAzureConfig } from "./config.ts";

/** What the sweep keeps about a subscription (never a credential). */
export interface AzureTargetMeta {
  readonly tenantId: string;
  readonly displayName: string;
  /** Enabled, Warned, PastDue, Disabled (a disabled subscription is read-only, and still read). */
  readonly state: string;
  /** The management group it was found under, when the sweep lists one. */
  readonly managementGroup?: string;
  readonly tags: Readonly<Record<string, string>>;
}

export type TargetItem = CoreTargetItem<AzureTargetMeta>;

interface SubscriptionInfo {
  readonly subscriptionId?: string;
  readonly displayName?: string;
  readonly state?: string;
  readonly tenantId?: string;
  readonly tags?: Record<string, string>;
}

function target(info: SubscriptionInfo, managementGroup?: string): TargetItem {
  const id = (info.subscriptionId ?? "").toLowerCase();
  return {
    provider: "azure",
    key: `azure:${id}`,
    account: id,
    label: info.displayName ?? id,
    meta: {
      tenantId: info.tenantId ?? "",
      displayName: info.displayName ?? id,
      state: info.state ?? "",
      ...(managementGroup === undefined ? {} : { managementGroup }),
      tags: info.tags ?? {},
    },
  };
}

function gap(error: unknown, account: string, service: string, operation: string): GapItem {
  return { type: "gap", gap: gapFrom(AZURE_ERRORS, error, { account, service, operation }) };
}

/**
 * The subscriptions to sweep: those listed in the configuration (each read, so one the identity cannot read is a
 * gap), those under a management group (its descendants, at any depth), or every subscription the identity can
 * read. One target per subscription: ARM lists a subscription's resources across all its locations at once.
 */
export async function* discoverTargets(
  config: NormalizedAzureConfig,
  clients: AzureClientFactory,
): AsyncGenerator<TargetItem> {
  const subscriptions = clients.subscriptions();
  const wanted = (id: string) => !config.excludeSubscriptions.has(id.toLowerCase());
  if (config.subscriptions.length > 0) {
    for (const id of config.subscriptions.filter(wanted)) {
      try {
        yield target(await subscriptions.subscriptions.get(id));
      } catch (error) {
        yield gap(error, id, "resources", "Subscriptions_Get");
      }
    }
    return;
  }
  // Every subscription the identity can read (ARM lists exactly those), with its name, state and tags.
  const readable = new Map<string, SubscriptionInfo>();
  try {
    for await (const info of subscriptions.subscriptions.list())
      if (info.subscriptionId !== undefined && info.state !== "Deleted")
        readable.set(info.subscriptionId.toLowerCase(), info);
  } catch (error) {
    yield gap(error, config.managementGroup ?? "tenant", "resources", "Subscriptions_List");
    return;
  }
  if (config.managementGroup === undefined) {
    for (const [id, info] of readable) if (wanted(id)) yield target(info);
    return;
  }
  const group = config.managementGroup;
  try {
    for await (const descendant of clients.managementGroups().managementGroups.listDescendants(group)) {
      const id = /^\/subscriptions\/([^/]+)$/i.exec(descendant.id ?? "")?.[1]?.toLowerCase();
      if (id === undefined || !wanted(id)) continue;
      const info = readable.get(id);
      if (info !== undefined) {
        yield target(info, group);
        continue;
      }
      // In the group, but the identity holds no role on it: nothing of it can be read.
      yield {
        type: "gap",
        gap: {
          provider: "azure",
          account: id,
          service: "resources",
          operation: "Subscriptions_List",
          code: "AccessDenied",
          message: `subscription ${descendant.displayName ?? id} is in management group ${group}, but the sweep's identity cannot read it (assign the aigov role at the management group)`,
        },
      };
    }
  } catch (error) {
    yield gap(error, group, "management", "ManagementGroups_GetDescendants");
  }
}
