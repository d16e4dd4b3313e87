export { type CloudSim, type CloudSimOptions, startCloudSim } from "./server.ts";
export { FAULT_KINDS, type FaultFile, type FaultKind, type FaultSpec, loadFaults, parseFaults } from "./faults.ts";
export { type RequestFilter, type RequestRecord, RequestLog } from "./request-log.ts";
export * from "./world.ts";
