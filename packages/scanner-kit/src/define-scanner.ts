import {
  type ScanItem,
  type Scanner,
  type ScanTarget,
  screenScanItems,
  screenTargets,
  type TargetItem,
} from "@aigov/core";
import { untilAborted } from "./async-streams.ts";

/** What a cloud writes: its targets and collectors as plain streams; `defineScanner` adds what every scanner must do. */
export interface ScannerParts<Config, Meta> extends Omit<Scanner<Config, Meta>, "targets" | "collect"> {
  targets(config: Config): AsyncIterable<TargetItem<Meta>>;
  collect(target: ScanTarget<Meta>, config: Config): AsyncIterable<ScanItem>;
}

/**
 * A scanner from its parts, with what no scanner may forget built in: every target and item passes the secret
 * screen of @aigov/core on its way out (each string, mapping key and base64 run goes through the AI key detector;
 * a key is redacted in place and reported as a Key subject where it was found), and both streams stop at the first
 * item after the sweep's signal aborts.
 */
export function defineScanner<Config, Meta, Parts extends ScannerParts<Config, Meta>>(
  parts: Parts & ScannerParts<Config, Meta>,
): Omit<Parts, "targets" | "collect"> & Scanner<Config, Meta> {
  return {
    ...parts,
    targets: (config: Config, signal?: AbortSignal) => untilAborted(screenTargets(parts.targets(config)), signal),
    // Every string collected passes the AI key detector here, before anything is stored or printed.
    collect: (target: ScanTarget<Meta>, config: Config, signal?: AbortSignal) =>
      untilAborted(screenScanItems(parts.collect(target, config)), signal),
  };
}
