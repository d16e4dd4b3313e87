export {
  type AsffTarget,
  type AsffWorkflow,
  asffAccount,
  asffFinding,
  asffProductArn,
  asffWorkflow,
} from "./asff.ts";
export { cefRecord, escapeCefExtension, escapeCefHeader } from "./cef.ts";
export { defaultChange, type ExportChange } from "./change.ts";
export { type AiBomOptions, cyclonedxAiBom } from "./cyclonedx.ts";
export {
  batches,
  type DeliveryOptions,
  drainOutbox,
  type ExportReport,
  exportDirect,
  exportWithOutbox,
} from "./delivery.ts";
export { ECS_VERSION, ecsDocument, ecsDocumentId } from "./ecs.ts";
export {
  ECS_COMPONENT_TEMPLATE,
  ECS_COMPONENT_TEMPLATE_NAME,
  ecsIndexTemplate,
  ecsIndexTemplateName,
} from "./ecs-template.ts";
export { firstSeenAt } from "./first-seen.ts";
export { type ExportInput, parseExportInput } from "./export-input.ts";
export { findingHash } from "./finding-hash.ts";
export {
  OCSF_COMPLIANCE_FINDING,
  OCSF_DETECTION_FINDING,
  OCSF_VERSION,
  ocsfComplianceFinding,
  ocsfDetectionFinding,
  ocsfEvents,
} from "./ocsf.ts";
export { PRODUCT } from "./product.ts";
export { formatRecordLines, type RecordFormatOptions } from "./record-format.ts";
export { exportToPolicySink, type PolicySinkExport } from "./sink-export.ts";
export { createSink } from "./sinks/create-sink.ts";
export { httpRequest, parseRetryAfter } from "./sinks/http.ts";
export { type RetryHooks, type RetryPolicy, retryDelay, withRetry } from "./sinks/retry.ts";
export { sentinelRow } from "./sinks/sentinel.ts";
export { type BatchLimits, DeliveryError, type Sink, type SinkRecord } from "./sinks/sink.ts";
export {
  parseSinks,
  RECORD_FORMATS,
  type RecordFormat,
  SINKS_SCHEMA,
  type SinkConfig,
  type SinkType,
} from "./sinks/sink-config.ts";
export { SIGNATURE_HEADER, webhookSignature } from "./sinks/webhook.ts";
export { octetCounted, type SyslogOptions, syslogMessage } from "./syslog.ts";
export { type JunitOptions, toJunit } from "./junit.ts";
export { type MarkdownOptions, toMarkdown } from "./markdown.ts";
export { type SarifOptions, type SarifRuleInfo, toSarif } from "./sarif.ts";
