// For tests only (`@aigov/scanner-kit/testing`): the read-only proof every scanner's test suite runs on its own
// catalogue, so no cloud can ship a call that is not listed, not a read, or returns secrets.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  type ApiCall,
  type Asset,
  type CoverageGap,
  isAigovError,
  type Key,
  parsePolicy,
  type Scanner,
  type ScanTarget,
} from "@aigov/core";
import type { Catalogue, CatalogueEntry } from "./catalogue.ts";
import { type FlagValues, flagReader, type ScannerPlugin } from "./plugin.ts";

export interface ReadOnlyCatalogueSpec<Entry extends CatalogueEntry> {
  readonly catalogue: Catalogue<Entry>;
  /** The scanner's source folder: every .ts file below it is read. */
  readonly sources: string;
  /** The calls one source file can make (SDK commands it imports, paginators it runs, REST paths it builds). */
  callsIn(sourceText: string): Iterable<string>;
  /** An entry's name as `callsIn` names calls. */
  callName(entry: Entry): string;
  /** The cloud's naming of reads: AWS List/Describe/Get…, Azure GET on a resource, GCP get/list methods. */
  looksLikeRead(entry: Entry): boolean;
  /** The only operations that may be `session` entries (AWS: AssumeRole). */
  readonly sessionOperations: readonly string[];
  /** Permissions that return secrets although they look like reads (`ssm:GetParameter`, `…/listKeys/action`). */
  readonly secretPermissions: ReadonlySet<string>;
  /** What secret-returning permissions tend to be called. */
  readonly secretPattern: RegExp;
  /** Every permission the shipped permission documents grant together. */
  granted(): readonly string[];
}

/** Defines the read-only tests for one scanner's catalogue. */
export function describeReadOnlyCatalogue<Entry extends CatalogueEntry>(spec: ReadOnlyCatalogueSpec<Entry>): void {
  const { entries, provider } = spec.catalogue;
  describe(`the ${provider} catalogue: read-only by construction`, () => {
    it("every call the sources can make is catalogued", () => {
      const catalogued = new Set(entries.map(spec.callName));
      const made = new Set<string>();
      for (const file of sourceFiles(spec.sources))
        for (const call of spec.callsIn(readFileSync(file, "utf8"))) made.add(call);
      expect(made.size).toBeGreaterThan(0);
      expect([...made].filter((call) => !catalogued.has(call)).sort()).toEqual([]);
    });

    it("every catalogued call is a read, or one of the cloud's session calls", () => {
      expect(entries.filter((entry) => entry.kind === "read" && !spec.looksLikeRead(entry)).map(spec.callName)).toEqual(
        [],
      );
      expect(
        entries
          .filter((entry) => entry.kind === "session" && !spec.sessionOperations.includes(entry.operation))
          .map(spec.callName),
      ).toEqual([]);
    });

    it("no catalogued call returns secret material", () => {
      const secret = (name: string) => spec.secretPermissions.has(name) || spec.secretPattern.test(name);
      expect(
        entries
          .filter((entry) => secret(entry.operation) || entry.permissions.some(secret))
          .map((entry) => entry.permissions.join(",") || entry.operation),
      ).toEqual([]);
    });

    it("the shipped permission documents grant exactly the catalogue's permissions", () => {
      expect(new Set(spec.granted())).toEqual(new Set(entries.flatMap((entry) => entry.permissions)));
    });
  });
}

function* sourceFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) yield* sourceFiles(join(dir, entry.name));
    else if (entry.name.endsWith(".ts")) yield join(dir, entry.name);
  }
}

/** What a scanner found in a test sweep, by kind. */
/** What a sweep found, kept whole for a test to look at. */
export interface SweepResult<Meta> {
  readonly targets: ScanTarget<Meta>[];
  readonly assets: Asset[];
  readonly keys: Key[];
  readonly calls: ApiCall[];
  readonly gaps: CoverageGap[];
}

/** Drives a scanner the way a sweep does: targets stream in, each is collected, up to `parallel` at once. */
export async function runSweep<Config, Meta>(
  scanner: Scanner<Config, Meta>,
  config: Config,
  parallel = 8,
): Promise<SweepResult<Meta>> {
  const result: SweepResult<Meta> = { targets: [], assets: [], keys: [], calls: [], gaps: [] };
  const running = new Set<Promise<void>>();
  const collect = async (target: ScanTarget<Meta>) => {
    for await (const item of scanner.collect(target, config)) {
      if (item.type === "gap") result.gaps.push(item.gap);
      else if (item.subject.subject === "asset") result.assets.push(item.subject);
      else if (item.subject.subject === "key") result.keys.push(item.subject);
      else result.calls.push(item.subject);
    }
  };
  for await (const item of scanner.targets(config)) {
    if ("type" in item) {
      result.gaps.push(item.gap);
      continue;
    }
    result.targets.push(item);
    const job = collect(item).finally(() => running.delete(job));
    running.add(job);
    if (running.size >= parallel) await Promise.race(running);
  }
  await Promise.all(running);
  return result;
}

/** The one subject of a kind with a name; a test that expects it fails naming what there was. */
export function byName<T extends { name: string; type: string }>(items: readonly T[], type: string, name: string): T {
  const found = items.find((item) => item.type === type && item.name === name);
  if (found === undefined)
    throw new Error(`no ${type} named ${name} among ${items.map((i) => `${i.type}:${i.name}`).join(", ")}`);
  return found;
}

/** A plugin's `targets.<provider>` section read as the cli reads it, from a policy file's text at `policyFile`. */
export function sectionReader<Config>(plugin: ScannerPlugin<Config>, policyFile: string) {
  const configOf = (policyText: string, flags: FlagValues = {}): Config | undefined =>
    plugin.configFrom({
      section: parsePolicy(policyText, policyFile).section(["targets", plugin.provider]),
      flags: flagReader(plugin.flags, flags),
      policyDir: dirname(policyFile),
    });
  /** What the user reads when the section is refused; a section that is accepted fails the test. */
  const refusal = (policyText: string): string => {
    try {
      configOf(policyText);
    } catch (error) {
      if (isAigovError(error)) return error.format();
      throw error;
    }
    throw new Error("the section was accepted");
  };
  return { configOf, refusal };
}

/** Every subject a sweep found, one sortable line each (`account|type|id`, `account|call|eventId`): to compare sweeps. */
export function subjectKeys(result: SweepResult<unknown>): string[] {
  return [...result.assets, ...result.keys, ...result.calls]
    .map((s) => `${String(s.account)}|${s.subject === "api-call" ? `call|${s.eventId}` : `${s.type}|${s.id}`}`)
    .sort();
}

/** Gaps as sortable lines: `account|region|service|operation|code`. */
export function gapKeys(gaps: readonly CoverageGap[]): string[] {
  return gaps.map((g) => `${g.account}|${g.region ?? "-"}|${g.service}|${g.operation ?? "-"}|${g.code}`).sort();
}

/**
 * What every cloud's fault matrix sweeps under: 30% throttling and 5% server errors on every call, and retries fast
 * enough for a test with 12 attempts, so a request failing every time at a 35% fault rate is unlikely (~3e-6).
 */
export const FAULT_MATRIX = {
  transientFaults: [
    { kind: "throttle", rate: 0.3 },
    { kind: "error503", rate: 0.03 },
    { kind: "error500", rate: 0.02 },
  ],
  retries: { maxAttempts: 12, retryBaseDelayMs: 5, retryMaxDelayMs: 80 },
} as const;
