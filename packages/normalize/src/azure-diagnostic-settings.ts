import { isObject, stringAt } from "./record-fields.ts";

/** What an AI resource's diagnostic settings collect, and where they send it. */
export interface DiagnosticLogging {
  /** Some setting sends at least one log category of the resource to a destination. */
  readonly logging: boolean;
  /** Azure OpenAI / AI Services `Audit` logs (key listings, management calls on the data plane) are collected. */
  readonly audit: boolean;
  /** `RequestResponse` logs (each inference request, its caller and key or token) are collected. */
  readonly requestResponse: boolean;
  /** Which of the two (`Audit`, `RequestResponse`) are not collected. */
  readonly missing: readonly string[];
  /** Log Analytics workspaces, storage accounts, event hubs and partner solutions the logs go to. */
  readonly destinations: readonly string[];
  /** The settings' names. */
  readonly settings: readonly string[];
}

const DESTINATIONS = ["workspaceId", "storageAccountId", "eventHubAuthorizationRuleId", "marketplacePartnerId"];

/**
 * Diagnostic settings (`Microsoft.Insights/diagnosticSettings` bodies, as ARM lists them for a resource, or as an
 * SDK model that lifts `properties` up) → what they collect. A category group covers its categories: `allLogs`
 * every category, `audit` the Audit category.
 */
export function diagnosticLogging(settings: readonly unknown[]): DiagnosticLogging {
  const enabled = new Set<string>();
  const destinations = new Set<string>();
  const names: string[] = [];
  for (const setting of settings) {
    if (!isObject(setting)) continue;
    const properties = isObject(setting.properties) ? setting.properties : setting;
    const to = DESTINATIONS.map((field) => stringAt(properties, field)).filter((id) => id !== undefined);
    const name = stringAt(setting, "name");
    if (name !== undefined) names.push(name);
    if (to.length === 0) continue;
    let any = false;
    for (const log of Array.isArray(properties.logs) ? properties.logs : []) {
      if (!isObject(log) || log.enabled !== true) continue;
      const category = stringAt(log, "category") ?? stringAt(log, "categoryGroup");
      if (category === undefined) continue;
      enabled.add(category.toLowerCase());
      any = true;
    }
    if (any) for (const id of to) destinations.add(id);
  }
  const all = enabled.has("alllogs");
  const audit = all || enabled.has("audit");
  const requestResponse = all || enabled.has("requestresponse");
  return {
    logging: enabled.size > 0,
    audit,
    requestResponse,
    missing: [...(audit ? [] : ["Audit"]), ...(requestResponse ? [] : ["RequestResponse"])],
    destinations: [...destinations],
    settings: names,
  };
}
