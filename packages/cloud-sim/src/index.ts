export { type CloudSim, type CloudSimOptions, startCloudSim } from "./server.ts";
export { type FaultKind, type FaultSpec, FAULT_KINDS } from "./faults.ts";
export { type RequestFilter, type RequestRecord, RequestLog } from "./request-log.ts";
export * from "./world.ts";
