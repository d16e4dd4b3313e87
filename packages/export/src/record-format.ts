import { AigovError } from "@aigov/core";
import { type AsffTarget, asffAccount, asffFinding } from "./asff.ts";
import { cefRecord } from "./cef.ts";
import { ecsDocument } from "./ecs.ts";
import { ocsfEvents } from "./ocsf.ts";
import type { RecordFormat } from "./sinks/sink-config.ts";
import type { SinkRecord } from "./sinks/sink.ts";
import { syslogMessage } from "./syslog.ts";

export interface RecordFormatOptions {
  /** ASFF: the Security Hub home region, and the account that takes findings not about an AWS account. */
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
    case "asff":
      return [JSON.stringify(asffFinding(record.finding, asffTarget(record, options), record.change))];
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

/**
 * The Security Hub home an ASFF export needs: `--region` always (ProductArn names it; `global` or another cloud's
 * region is no Security Hub region), `--account-id` when a finding is not about an AWS account.
 */
function asffTarget(record: SinkRecord, options: RecordFormatOptions): AsffTarget {
  if (options.region === undefined) {
    throw new AigovError(
      "EXPORT_ASFF_REGION",
      "ASFF needs the Security Hub home region the findings are imported into",
      {
        hint: "give it with --region (or region on the sink), e.g. --region us-east-1",
      },
    );
  }
  const accountId = options.accountId ?? asffAccount(record.finding, { accountId: "", region: options.region });
  if (accountId === "") {
    throw new AigovError(
      "EXPORT_ASFF_ACCOUNT",
      `finding ${record.finding.id} is not about an AWS account, and ASFF needs the account that takes it`,
      { hint: "give the Security Hub home account with --account-id (or account_id on the sink)" },
    );
  }
  return { accountId, region: options.region };
}
