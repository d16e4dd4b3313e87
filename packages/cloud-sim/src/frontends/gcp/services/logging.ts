import { createHash } from "node:crypto";
import { compileLogFilter, LogFilterError } from "../log-filter.ts";
import { GoogleApiError, permissionDenied } from "../protocol.ts";
import { type GcpCall, type GcpService, listAnswer, listPage, read } from "../service.ts";
import { DEFAULT_TIME, type IndexedProject, projectCache } from "../world-index.ts";

type LogEntry = Readonly<Record<string, unknown>>;

/** Admin Activity is what changes something; reads (ADMIN_READ, DATA_READ) and data writes land in Data Access. */
const ADMIN_ACTIVITY =
  /\.(Create|Update|Delete|Deploy|Undeploy|Set|Import|Export|Upload|Patch|Enable|Disable|Cancel|Merge|Mutate|Copy|Undelete|Move)\w*$/;

/** A world entry as Cloud Logging returns it: logName, insertId, resource, severity and receiveTimestamp filled in. */
function entriesOf(project: IndexedProject): readonly LogEntry[] {
  return projectCache(project, "logging", () =>
    (project.raw.auditLogs ?? []).map((entry, position) => {
      const payload = entry.protoPayload as Readonly<Record<string, unknown>>;
      const method = String(payload.methodName);
      const admin = ADMIN_ACTIVITY.test(method);
      const location = /\/locations\/([^/]+)/.exec(String(payload.resourceName ?? ""))?.[1];
      const timestamp = (entry.timestamp as string | undefined) ?? DEFAULT_TIME;
      return {
        logName: `projects/${project.projectId}/logs/cloudaudit.googleapis.com%2F${admin ? "activity" : "data_access"}`,
        // Stable for an entry whose time a test or the demo moves: its project and place in the world name it.
        insertId: createHash("sha256").update(`${project.projectId}/${position}/${method}`).digest("hex").slice(0, 12),
        resource: {
          type: "audited_resource",
          labels: {
            project_id: project.projectId,
            service: String(payload.serviceName),
            method,
            ...(location === undefined ? {} : { location }),
          },
        },
        severity: admin ? "NOTICE" : "INFO",
        timestamp,
        receiveTimestamp: timestamp,
        ...entry,
        protoPayload: { "@type": "type.googleapis.com/google.cloud.audit.AuditLog", ...payload },
      };
    }),
  );
}

/** The projects a `resourceNames` list names; anything else (organizations, folders, buckets) the simulator refuses. */
function projectsNamed(call: GcpCall): IndexedProject[] {
  const names = call.body.resourceNames;
  if (!Array.isArray(names) || names.length === 0)
    throw new GoogleApiError("INVALID_ARGUMENT", "resourceNames must name at least one resource.");
  return names.map((name) => {
    const match = /^projects\/([^/]+)$/.exec(String(name));
    if (match === null)
      throw new GoogleApiError(
        "INVALID_ARGUMENT",
        `cloud-sim reads project logs only (projects/<id>), not '${String(name)}'.`,
      );
    const project = call.world.projects.get(match[1]!);
    if (project === undefined || project.state !== "ACTIVE")
      throw permissionDenied("logging.logEntries.list", String(name));
    return project;
  });
}

/** Cloud Logging v2 `entries:list`: the world's audit entries of the named projects, filtered and ordered. */
export const logging: GcpService = {
  name: "logging",
  host: "logging.googleapis.com",
  title: "Cloud Logging API",
  routes: [
    read(
      "ListLogEntries",
      "POST",
      "/v2/entries:list",
      (call) => {
        const projects = projectsNamed(call);
        const filterText = typeof call.body.filter === "string" ? call.body.filter : "";
        let filter: ReturnType<typeof compileLogFilter>;
        try {
          filter = compileLogFilter(filterText);
        } catch (error) {
          if (!(error instanceof LogFilterError || error instanceof SyntaxError)) throw error;
          throw new GoogleApiError("INVALID_ARGUMENT", `Unparseable filter: ${error.message}`);
        }
        const orderBy = typeof call.body.orderBy === "string" ? call.body.orderBy.trim() : "timestamp asc";
        if (!["", "timestamp asc", "timestamp desc"].includes(orderBy))
          throw new GoogleApiError(
            "INVALID_ARGUMENT",
            `orderBy must be 'timestamp asc' or 'timestamp desc', not '${orderBy}'.`,
          );
        const entries = projects.flatMap(entriesOf).filter(filter);
        const time = (entry: LogEntry) => Date.parse(String(entry.timestamp));
        entries.sort((a, b) => (orderBy === "timestamp desc" ? time(b) - time(a) : time(a) - time(b)));
        const scope = `${projects.map((p) => p.number).join(",")}|${filterText}|${orderBy}`;
        return listAnswer("entries", listPage(call, entries, scope));
      },
      // Cloud Logging allows 60 entries.list requests a minute per project.
      { permission: "logging.logEntries.list", ratePerSecond: 1 },
    ),
  ],
};
