// For tests only (`@aigov/scanner-kit/testing`): the read-only proof every scanner's test suite runs on its own
// catalogue, so no cloud can ship a call that is not listed, not a read, or returns secrets.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Catalogue, CatalogueEntry } from "./catalogue.ts";

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
