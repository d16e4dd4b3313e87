import { describe, expect, it } from "vitest";
import { validateCycloneDx } from "../../packages/export/test/cyclonedx-validator.ts";
import { validatorFor } from "../../packages/export/test/ocsf-validator.ts";
import { runCli } from "./run-cli.ts";

/** Validates every OCSF line and returns the Detection Findings' uids. */
function detectionUids(ndjson: string): string[] {
  const events = ndjson
    .trimEnd()
    .split("\n")
    .map((line) => JSON.parse(line) as { class_uid: number; finding_info: { uid: string } });
  for (const event of events) {
    const validate = validatorFor(event);
    expect(validate(event), JSON.stringify(validate.errors)).toBe(true);
  }
  return events.filter((event) => event.class_uid === 2004).map((event) => event.finding_info.uid);
}

// The `--format json` results of the other commands are what `aigov export --input -` reads, piped as users would.
describe("aigov gate|logs --format json | aigov export --input -", () => {
  it("a terraform plan's findings become valid OCSF, its planned AI resources a valid AI-BOM", async () => {
    const gate = await runCli(["gate", "test/fixtures/plans/sample-ai-plan.json", "--format", "json"]);
    expect(gate.code).toBe(1);
    const result = JSON.parse(gate.stdout) as { findings: { id: string }[]; assets: unknown[] };
    expect(result.findings.length).toBeGreaterThan(0);
    const ocsf = await runCli(["export", "--format", "ocsf", "--input", "-"], { stdin: gate.stdout });
    expect(ocsf.code).toBe(0);
    expect(detectionUids(ocsf.stdout)).toEqual(result.findings.map((finding) => finding.id));
    const bom = await runCli(["export", "--format", "cyclonedx", "--input", "-"], { stdin: gate.stdout });
    expect(bom.code).toBe(0);
    expect(await validateCycloneDx(bom.stdout)).toBeNull();
  });

  it("AI API calls found in CloudTrail become valid OCSF", async () => {
    const logs = await runCli([
      "logs",
      "test/fixtures/logs/cloudtrail/bedrock-activity.ndjson",
      "--no-state",
      "--format",
      "json",
    ]);
    const result = JSON.parse(logs.stdout) as { findings: { id: string }[] };
    expect(result.findings.length).toBeGreaterThan(0);
    const ocsf = await runCli(["export", "--format", "ocsf", "--input", "-"], { stdin: logs.stdout });
    expect(ocsf.code).toBe(0);
    expect(detectionUids(ocsf.stdout)).toEqual(result.findings.map((finding) => finding.id));
  });
});
