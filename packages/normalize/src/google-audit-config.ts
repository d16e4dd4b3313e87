/** An IAM policy's audit configuration as `getIamPolicy` answers it (REST JSON, or the Node client's decoding). */
export interface AuditConfig {
  readonly service?: string | null;
  readonly auditLogConfigs?:
    | readonly {
        readonly logType?: string | number | null;
        readonly exemptedMembers?: readonly string[] | null;
      }[]
    | null;
}

export type DataAccessLogType = "ADMIN_READ" | "DATA_READ" | "DATA_WRITE";

/** `google.iam.v1.AuditLogConfig.LogType` by number, for clients that decode enums as integers. */
const LOG_TYPES: readonly (DataAccessLogType | undefined)[] = [undefined, "ADMIN_READ", "DATA_WRITE", "DATA_READ"];

/**
 * The Data Access log types on for `service`, from the audit configs of a project and its ancestors (folders, the
 * organization): they add up, and an `allServices` entry covers every service. Admin Activity logs are always on
 * and are not configured here; without DATA_READ, prediction and generation calls (Vertex AI `Predict`,
 * `GenerateContent`) leave no audit entry, so their use cannot be seen.
 */
export function dataAccessLogTypes(configs: readonly AuditConfig[], service: string): ReadonlySet<DataAccessLogType> {
  const on = new Set<DataAccessLogType>();
  for (const logConfig of logConfigsFor(configs, service)) {
    const type = typeof logConfig.logType === "number" ? LOG_TYPES[logConfig.logType] : logConfig.logType;
    if (type === "ADMIN_READ" || type === "DATA_READ" || type === "DATA_WRITE") on.add(type);
  }
  return on;
}

/** The principals whose calls to `service` the audit configuration leaves out of its Data Access logs. */
export function exemptedMembers(configs: readonly AuditConfig[], service: string): string[] {
  const members = new Set<string>();
  for (const logConfig of logConfigsFor(configs, service))
    for (const member of logConfig.exemptedMembers ?? []) members.add(member);
  return [...members];
}

function logConfigsFor(configs: readonly AuditConfig[], service: string) {
  return configs
    .filter((config) => config.service === service || config.service === "allServices")
    .flatMap((config) => config.auditLogConfigs ?? []);
}
