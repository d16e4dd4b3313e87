import { type ScanItem, type Tri, unknown } from "@aigov/core";
import {
  type AuditConfig,
  apiCallFromAuditEntry,
  auditPayload,
  dataAccessLogTypes,
  exemptedMembers,
  GOOGLE_AUDITED_AI_SERVICES,
  type JsonObject,
} from "@aigov/normalize";
import { asset } from "@aigov/scanner-kit";
import type { GcpCollectContext } from "../collect-context.ts";

interface EntriesPage {
  readonly entries?: JsonObject[];
  readonly nextPageToken?: string;
}

/** Most entries Cloud Logging returns per page. */
const MAX_PAGE_SIZE = 1000;

/**
 * The project's Admin Activity and Data Access audit entries of the AI APIs (Vertex AI, the Gemini API) over the
 * configured window, as ApiCalls through the normaliser `aigov logs` uses for Google audit entries.
 *
 * Read with Cloud Logging's documented REST method `entries:list`, through the scanner's authorized transport: the
 * `@google-cloud/logging` client decodes `protoPayload` (a google.protobuf.Any) with the protos it ships on its REST
 * transport, and google.cloud.audit.AuditLog is not among them, so it fails on every audit entry.
 */
export async function* collectAuditLogs(ctx: GcpCollectContext): AsyncGenerator<ScanItem> {
  const project = ctx.account;
  const since = new Date(ctx.now.getTime() - ctx.config.auditLogLookbackHours * 3_600_000).toISOString();
  const logs = ["activity", "data_access"].map(
    (log) => `logName="projects/${project}/logs/cloudaudit.googleapis.com%2F${log}"`,
  );
  const services = Object.keys(GOOGLE_AUDITED_AI_SERVICES).map((service) => `protoPayload.serviceName="${service}"`);
  const filter = `(${logs.join(" OR ")}) AND (${services.join(" OR ")}) AND timestamp>="${since}"`;
  const url = ctx.clients.restUrl("logging", "/v2/entries:list");
  const source = { path: `gcp:logging:entries.list projects/${project}` };
  let read = 0;
  let pageToken: string | undefined;
  try {
    do {
      const body = {
        resourceNames: [`projects/${project}`],
        filter,
        orderBy: "timestamp desc",
        pageSize: Math.min(MAX_PAGE_SIZE, ctx.config.auditLogMaxEntries - read),
        ...(pageToken === undefined ? {} : { pageToken }),
      };
      const response = await ctx.clients.auth.fetch<EntriesPage>({
        url,
        method: "POST",
        headers: { "content-type": "application/json" },
        data: body,
        responseType: "json",
      });
      for (const entry of response.data.entries ?? []) {
        read += 1;
        const payload = auditPayload(entry);
        const call = payload === undefined ? null : apiCallFromAuditEntry(entry, payload, source);
        if (call !== null) yield { type: "subject", subject: call };
      }
      pageToken = response.data.nextPageToken || undefined;
    } while (pageToken !== undefined && read < ctx.config.auditLogMaxEntries);
  } catch (error) {
    ctx.recordGap(error, "logging", "entries.list");
    return;
  }
  if (pageToken !== undefined)
    ctx.addGap({
      provider: "gcp",
      account: project,
      region: ctx.region,
      service: "logging",
      operation: "entries.list",
      code: "Truncated",
      message: `stopped after ${read} audit log entries (auditLogMaxEntries); the older ones in the window were not read`,
    });
}

/** IAM policies read once per sweep: an organization's or folder's serves every project under it. */
export class AncestorPolicies {
  private readonly policies = new Map<string, Promise<readonly AuditConfig[]>>();

  auditConfigsOf(ctx: GcpCollectContext, resource: string): Promise<readonly AuditConfig[]> {
    let configs = this.policies.get(resource);
    if (configs === undefined) {
      configs = readAuditConfigs(ctx, resource);
      this.policies.set(resource, configs);
    }
    return configs;
  }
}

async function readAuditConfigs(ctx: GcpCollectContext, resource: string): Promise<readonly AuditConfig[]> {
  const request = { resource, options: { requestedPolicyVersion: 3 } };
  const [policy] = resource.startsWith("folders/")
    ? await (await ctx.clients.folders()).getIamPolicy(request)
    : resource.startsWith("organizations/")
      ? await (await ctx.clients.organizations()).getIamPolicy(request)
      : await (await ctx.clients.projects()).getIamPolicy(request);
  return policy.auditConfigs ?? [];
}

/** Projects whose AI API usage leaves no Data Access audit entry, for the sweep's coverage notice. */
export class DataAccessCoverage {
  readonly off = new Set<string>();
}

/**
 * Which Data Access audit logs are on for each AI API the project enables, from the audit configuration of its IAM
 * policy and its ancestors' (they add up): one `logging-config` asset per API. Without DATA_READ, prediction and
 * generation calls leave no audit entry: that project's usage is invisible, and the sweep says so.
 */
export async function* collectDataAccessConfig(
  ctx: GcpCollectContext,
  services: readonly string[],
  policies: AncestorPolicies,
  coverage: DataAccessCoverage,
): AsyncGenerator<ScanItem> {
  if (services.length === 0) return;
  const resources = [`projects/${ctx.account}`, ...(ctx.project.ancestors ?? [])];
  const configs: AuditConfig[] = [];
  let unreadable: string | undefined =
    ctx.project.ancestors === undefined ? "the project's folders could not be read" : undefined;
  for (const resource of resources) {
    try {
      configs.push(...(await policies.auditConfigsOf(ctx, resource)));
    } catch (error) {
      const operation = `${resource.slice(0, resource.indexOf("/"))}.getIamPolicy`;
      const gap = ctx.recordGap(error, "cloudresourcemanager", operation);
      unreadable ??= `${gap.code} on ${operation} of ${resource}`;
    }
  }
  for (const service of services) {
    const on = dataAccessLogTypes(configs, service);
    const known = (value: boolean): Tri => (unreadable === undefined || value ? value : unknown(unreadable));
    const dataRead = known(on.has("DATA_READ"));
    if (dataRead === false) coverage.off.add(`${ctx.account} (${service})`);
    const exempted = exemptedMembers(configs, service);
    const subject = asset(ctx, {
      kind: "logging-config",
      type: "gcp-data-access-audit-logs",
      id: `projects/${ctx.account}/auditConfigs/${service}`,
      name: `${service} Data Access audit logs`,
      tags: {},
      native: {
        service,
        dataRead,
        dataWrite: known(on.has("DATA_WRITE")),
        adminRead: known(on.has("ADMIN_READ")),
        ...(exempted.length === 0 ? {} : { exemptedMembers: exempted }),
        configuredOn: resources,
      },
    });
    yield { type: "subject", subject };
  }
}
