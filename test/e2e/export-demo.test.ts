import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validateCycloneDx } from "../../packages/export/test/cyclonedx-validator.ts";
import { validatorFor } from "../../packages/export/test/ocsf-validator.ts";
import { openStore } from "../../packages/store/src/index.ts";
import { runCli } from "./run-cli.ts";

// The whole path a user takes: `aigov demo` sweeps the simulated organization into a store, then
// `aigov export` (no --input) reads the last run from that store.
describe("aigov export of the last stored run (the demo organization)", () => {
  let dir = "";
  let demoFindings = 0;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "aigov-export-demo-"));
    const demo = await runCli(["demo", "--store", join(dir, "aigov.db"), "--format", "json"]);
    expect(demo.stdout).not.toBe("");
    demoFindings = (JSON.parse(demo.stdout) as { findings: unknown[] }).findings.length;
    expect(demoFindings).toBeGreaterThan(0);
  });
  afterAll(() => {
    if (dir !== "") rmSync(dir, { recursive: true, force: true });
  });

  it("every OCSF event of the run validates against its class schema, one Detection Finding per finding", async () => {
    const run = await runCli(["export", "--format", "ocsf", "--store", join(dir, "aigov.db")]);
    expect(run.code).toBe(0);
    const events = run.stdout
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line) as { class_uid: number });
    for (const event of events) {
      const validate = validatorFor(event);
      expect(validate(event), JSON.stringify(validate.errors)).toBe(true);
    }
    expect(events.filter((event) => event.class_uid === 2004)).toHaveLength(demoFindings);
  });

  it("the AI-BOM of the run's inventory passes CycloneDX strict validation", async () => {
    const run = await runCli(["export", "--format", "cyclonedx", "--store", join(dir, "aigov.db")]);
    expect(run.code).toBe(0);
    expect(await validateCycloneDx(run.stdout)).toBeNull();
    const bom = JSON.parse(run.stdout) as { components: { type: string }[]; services: unknown[] };
    expect(
      bom.components.some((component) => component.type === "machine-learning-model") || bom.services.length > 0,
    ).toBe(true);
  });

  it("an empty store is an error, not an empty export", async () => {
    openStore(join(dir, "empty.db")).close();
    const run = await runCli(["export", "--format", "ocsf", "--store", join(dir, "empty.db")]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("has no finished run to export");
  });
});
