export { type CloudSim, type CloudSimOptions, startCloudSim } from "./cloud-sim.ts";
export {
  FAULT_KINDS,
  type FaultFile,
  type FaultKind,
  type FaultKindName,
  type FaultSpec,
  loadFaults,
  parseFaults,
} from "./core/faults.ts";
export { type RequestFilter, type RequestRecord, RequestLog } from "./core/request-log.ts";
export * from "./world.ts";
