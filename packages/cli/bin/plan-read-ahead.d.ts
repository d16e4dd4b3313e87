/** The options of `aigov gate` that take a value (long, then short); see plan-read-ahead.js. */
export const GATE_VALUE_OPTIONS: readonly string[];
export const GATE_VALUE_SHORT_OPTIONS: readonly string[];
/** Plans from this size on are read ahead and validated on a worker thread. */
export const READ_AHEAD_BYTES: number;
/** The one path `aigov gate …` names as its input in `args` (those after `aigov`), or undefined. */
export function gateInputArgument(args: readonly string[]): string | undefined;
/** What startGateInputRead started; see plan-read-ahead.js. */
export interface GateInputRead {
  readonly path: string;
  readonly file: string;
  readonly bytes: Promise<Buffer | undefined>;
  readonly check?: Promise<import("@aigov/iac/gate").GateCheckVerdict>;
  stop(): void;
}
/** Starts reading the gate's input named in `args`, and validating a large one on `checkWorker`. */
export function startGateInputRead(args: readonly string[], checkWorker?: URL | string): GateInputRead | undefined;
