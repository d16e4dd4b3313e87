import type { ScanNotice } from "@aigov/core";
import type { NormalizedAzureConfig } from "./config.ts";

/**
 * Resource providers a subscription has not registered. ARM answers their calls with MissingSubscriptionRegistration,
 * and a subscription cannot hold resources of a provider it has not registered: that is an answer (none there), not
 * a gap, and the sweep says it once.
 */
export class UnregisteredProviders {
  private readonly subscriptions = new Map<string, Set<string>>();

  add(subscription: string, namespace: string): void {
    let set = this.subscriptions.get(namespace);
    if (set === undefined) {
      set = new Set();
      this.subscriptions.set(namespace, set);
    }
    set.add(subscription);
  }

  /** Subscriptions by namespace, namespaces sorted. */
  entries(): [string, string[]][] {
    return [...this.subscriptions.entries()]
      .map(([namespace, subscriptions]): [string, string[]] => [namespace, [...subscriptions].sort()])
      .sort(([a], [b]) => a.localeCompare(b));
  }
}

export function azureNotices(config: NormalizedAzureConfig, unregistered: UnregisteredProviders): ScanNotice[] {
  const notices: ScanNotice[] = [];
  for (const [namespace, subscriptions] of unregistered.entries()) {
    const shown = subscriptions.slice(0, 3).join(", ");
    const more = subscriptions.length > 3 ? ` and ${subscriptions.length - 3} more` : "";
    notices.push({
      provider: "azure",
      kind: "coverage",
      code: "resource-provider-not-registered",
      message: `${namespace} is not registered in ${subscriptions.length} subscription(s) (${shown}${more}): none of its resources can exist there`,
      hint: "nothing to do; a subscription that registers it later is swept for it",
    });
  }
  if (!config.readAppSettings)
    notices.push({
      provider: "azure",
      kind: "coverage",
      code: "app-settings-not-read",
      message: "App Service and Functions app settings were not read for third-party AI keys",
      hint: "set read_app_settings: true in targets.azure (or --azure-read-app-settings) and grant Microsoft.Web/sites/config/list/action: see docs/permissions/azure/README.md",
    });
  return notices;
}
