export { AI_RECORD_NEEDLES, type RecordResult, recordCall } from "./log-record.ts";
export {
  decoded,
  emptyStats,
  type LogEvent,
  type LogReadStats,
  type MalformedReport,
  type ReadOptions,
  readLogs,
} from "./log-reader.ts";
export { type LogObject, logObjects, type SourceOptions } from "./log-source.ts";
export { type PersistentReadState, type ReadMark, type ReadState, storeReadState } from "./read-state.ts";
export { type CandidateRecord, type MalformedSpan, RecordScanner } from "./record-scanner.ts";
export { cloudTrailLakeCalls, cloudTrailLakeQuery, type LakeOptions } from "./cloudtrail-lake.ts";
export { CallSummary, type SummaryDimension } from "./call-summary.ts";
export { type PersistentFirstSeen, storeFirstSeen } from "./first-seen-store.ts";
export { analyzeLogs, type LogAnalysis } from "./log-analysis.ts";
