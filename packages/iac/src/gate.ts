// What `aigov gate` uses, apart from the package's index: the index also re-exports the readers of templates and
// terraform configuration, and the bundler puts the code of every module a command's imports reach, used or not, in
// the chunks that command loads. Through this entry a gate of a plan compiles none of them (gate-input.ts loads them
// for an input that needs them).
export { type GateFinding, type GateResult, type GateRole, type JudgeOptions, judgePlanned } from "./gate-decision.ts";
export { type GateInput, type GateReadOptions, readGateInput, readGateSource } from "./gate-input.ts";
export { commandLineValues, environmentValues, type GivenValue } from "./input-values.ts";
