import { AigovError } from "@aigov/core";
import { AWS_AI_EVENT_SOURCES, CLOUDTRAIL_MODEL_PARAMETERS } from "@aigov/normalize";
import { recordCall } from "./log-record.ts";
import type { LogEvent, LogReadStats } from "./log-reader.ts";

/**
 * Push-down for AWS at organization scale: CloudTrail Lake runs the filter where the events are, and only the AI calls
 * come back. The SELECT names the columns that `aigov logs` reads back from any CloudTrail Lake result (SDK rows or a
 * saved `aws cloudtrail get-query-results` file), so the same query text is also shipped in docs/log-queries/.
 */
export function cloudTrailLakeQuery(eventDataStore: string, since: Date, until?: Date): string {
  const id = eventDataStoreId(eventDataStore);
  const sources = Object.keys(AWS_AI_EVENT_SOURCES)
    .map((source) => `'${source}'`)
    .join(", ");
  const window = [
    `eventTime >= '${lakeTime(since)}'`,
    ...(until === undefined ? [] : [`eventTime < '${lakeTime(until)}'`]),
  ];
  // The columns the CloudTrail normaliser reads: the model from the first request parameter that names one, the API
  // key mark from additionalEventData (bedrock-runtime) or requestParameters (bedrock-mantle).
  const model = CLOUDTRAIL_MODEL_PARAMETERS.map((name) => `element_at(requestParameters, '${name}')`).join(", ");
  return [
    "SELECT eventID, eventTime, eventSource, eventName, awsRegion, recipientAccountId,",
    "  userIdentity.arn AS userIdentityArn, userIdentity.type AS userIdentityType, userIdentity.accountId AS userIdentityAccountId,",
    "  userIdentity.accessKeyId AS userIdentityAccessKeyId, userIdentity.invokedBy AS userIdentityInvokedBy,",
    "  sourceIPAddress, userAgent, errorCode,",
    `  COALESCE(${model}) AS modelId,`,
    "  element_at(requestParameters, 'endpointName') AS endpointName,",
    "  COALESCE(element_at(additionalEventData, 'callWithBearerToken'), element_at(requestParameters, 'callWithBearerToken')) AS callWithBearerToken,",
    "  element_at(additionalEventData, 'inferenceRegion') AS inferenceRegion",
    `FROM ${id}`,
    `WHERE eventSource IN (${sources})`,
    ...window.map((condition) => `  AND ${condition}`),
    "ORDER BY eventTime",
  ].join("\n");
}

/** The FROM clause takes the event data store id: the last part of its ARN. */
function eventDataStoreId(eventDataStore: string): string {
  const id = eventDataStore.slice(eventDataStore.lastIndexOf("/") + 1);
  if (!/^[A-Za-z0-9-]+$/.test(id)) {
    throw new AigovError("LOGS_LAKE_BAD_STORE", `'${eventDataStore}' is not an event data store ARN or id`, {
      hint: "give arn:aws:cloudtrail:<region>:<account>:eventdatastore/<id>",
    });
  }
  return id;
}

/** Lake compares eventTime as 'YYYY-MM-DD HH:MM:SS'. */
function lakeTime(time: Date): string {
  return time.toISOString().slice(0, 19).replace("T", " ");
}

export interface LakeOptions {
  readonly eventDataStore: string;
  readonly since: Date;
  readonly until?: Date;
  readonly region?: string;
  readonly endpoint?: string;
  /** Between polls of a running query (CloudTrail Lake queries take seconds to minutes). */
  readonly pollMs?: number;
  /** Give up after this long. */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

/** Runs the query with StartQuery, polls GetQueryResults until it finishes, and yields the AI calls page by page. */
export async function* cloudTrailLakeCalls(options: LakeOptions, stats: LogReadStats): AsyncIterable<LogEvent> {
  // Loaded only for --cloudtrail-lake: the SDK is large.
  const { CloudTrailClient, GetQueryResultsCommand, StartQueryCommand } = await import("@aws-sdk/client-cloudtrail");
  const region = options.region ?? regionOf(options.eventDataStore);
  const client = new CloudTrailClient({
    ...(region === undefined ? {} : { region }),
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
  });
  const statement = cloudTrailLakeQuery(options.eventDataStore, options.since, options.until);
  const where = `CloudTrail Lake ${options.eventDataStore}`;
  const started = await send(
    () => client.send(new StartQueryCommand({ QueryStatement: statement })),
    where,
    "StartQuery",
  );
  const queryId = started.QueryId;
  if (queryId === undefined) throw new AigovError("LOGS_LAKE_FAILED", `${where}: StartQuery returned no QueryId`);
  const deadline = Date.now() + (options.timeoutMs ?? 15 * 60_000);
  let nextToken: string | undefined;
  let row = 0;
  stats.objects += 1;
  for (;;) {
    const page = await send(
      () =>
        client.send(
          new GetQueryResultsCommand({
            QueryId: queryId,
            EventDataStore: options.eventDataStore,
            NextToken: nextToken,
          }),
          { abortSignal: options.signal },
        ),
      where,
      "GetQueryResults",
    );
    const status = page.QueryStatus;
    if (status === "QUEUED" || status === "RUNNING") {
      if (Date.now() > deadline)
        throw new AigovError("LOGS_LAKE_TIMEOUT", `${where}: query ${queryId} still ${status}`, {
          hint: "narrow --since",
        });
      await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 2000));
      continue;
    }
    if (status !== "FINISHED") {
      throw new AigovError(
        "LOGS_LAKE_FAILED",
        `${where}: query ${queryId} ended ${status ?? "without a status"}: ${page.ErrorMessage ?? ""}`.trim(),
      );
    }
    for (const cells of page.QueryResultRows ?? []) {
      row += 1;
      stats.records += 1;
      const result = recordCall(cells, { file: `cloudtrail-lake:${queryId}`, line: row });
      if (result.kind === "call") {
        stats.aiCalls += 1;
        yield { type: "call", call: result.call, keys: result.keys };
      } else if (result.kind === "malformed") {
        stats.malformedRecords += 1;
        yield {
          type: "malformed",
          report: { kind: "record", file: `cloudtrail-lake:${queryId}`, line: row, reason: result.reason },
        };
      }
    }
    nextToken = page.NextToken;
    if (nextToken === undefined) return;
  }
}

function regionOf(eventDataStore: string): string | undefined {
  return /^arn:aws[a-z-]*:cloudtrail:([a-z0-9-]+):/.exec(eventDataStore)?.[1];
}

async function send<T>(call: () => Promise<T>, where: string, operation: string): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof AigovError) throw error;
    throw new AigovError(
      "LOGS_LAKE_FAILED",
      `${where}: ${operation} failed: ${(error as Error).name}: ${(error as Error).message}`,
      {
        hint: "check the event data store ARN, the region and that the credentials may cloudtrail:StartQuery and cloudtrail:GetQueryResults",
        cause: error,
      },
    );
  }
}
