import { AigovError } from "@aigov/core";
import { asffFinding } from "./asff.ts";
import { cefRecord } from "./cef.ts";
import { ecsDocument } from "./ecs.ts";
import { ocsfEvents } from "./ocsf.ts";
import type { RecordFormat } from "./sinks/sink-config.ts";
import type { SinkRecord } from "./sinks/sink.ts";
import { syslogMessage } from "./syslog.ts";

export interface RecordFormatOptions {
  /** Security Hub account and region, for ASFF's ProductArn. */
  readonly accountId?: string;
  readonly region?: string;
  /** Syslog HOSTNAME. */
  readonly hostname?: string;
}

/**
 * One finding as lines of a line-oriented export (NDJSON for the JSON formats, one message per line for CEF and
 * syslog). OCSF gives two lines for a finding mapped to frameworks: its Detection and its Compliance Finding.
 */
export function formatRecordLines(
  format: RecordFormat,
  record: SinkRecord,
  options: RecordFormatOptions = {},
): string[] {
  switch (format) {
    case "ocsf":
      return ocsfEvents(record.finding, record.change).map((event) => JSON.stringify(event));
    case "asff": {
      const accountId = options.accountId ?? accountOf(record);
      return [
        JSON.stringify(
          asffFinding(record.finding, { accountId, region: options.region ?? regionOf(record) }, record.change),
        ),
      ];
    }
    case "ecs":
      return [JSON.stringify(ecsDocument(record.finding, record.hash, record.change))];
    case "cef":
      return [cefRecord(record.finding, record.change)];
    case "syslog":
      return [
        syslogMessage(
          record.finding,
          options.hostname === undefined ? {} : { hostname: options.hostname },
          record.change,
        ),
      ];
  }
}

function accountOf(record: SinkRecord): string {
  const account = record.finding.subject.account;
  if (record.finding.subject.provider === "aws" && typeof account === "string" && /^\d{12}$/.test(account))
    return account;
  throw new AigovError(
    "EXPORT_ASFF_ACCOUNT",
    `finding ${record.finding.id} is not about an AWS account, and ASFF needs the importing account`,
    {
      hint: "give the Security Hub account with --account-id (or account_id on the sink)",
    },
  );
}

function regionOf(record: SinkRecord): string {
  const region = record.finding.subject.region;
  return typeof region === "string" ? region : "us-east-1";
}
