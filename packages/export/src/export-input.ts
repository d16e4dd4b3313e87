import { AigovError, type Finding, SEVERITIES, type Subject } from "@aigov/core";

/**
 * What `aigov export --input` reads: the `--format json` result of `gate`, `sweep` or `logs`.
 * Only these two members are read; anything else in the result is ignored.
 *
 * ```json
 * { "findings": [Finding, …], "assets": [Asset | Key | ApiCall, …] }
 * ```
 * `findings` is required (it may be empty); `assets` (the inventory, for CycloneDX) is optional.
 */
export interface ExportInput {
  readonly findings: readonly Finding[];
  readonly assets: readonly Subject[];
}

const STATUSES = ["open", "waived", "unknown", "resolved"];

function fail(file: string, message: string): never {
  throw new AigovError("EXPORT_INPUT_INVALID", message, {
    position: { file },
    hint: 'give the output of `aigov gate|sweep|logs --format json`: {"findings": [...], "assets": [...]}',
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Parses and checks an export input; every defect names the file and the finding index. */
export function parseExportInput(text: string, file: string): ExportInput {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    fail(file, `not JSON: ${(error as Error).message}`);
  }
  if (!isRecord(value)) fail(file, "the result must be a JSON object");
  const findings = value.findings;
  if (!Array.isArray(findings)) fail(file, "`findings` must be an array");
  for (const [index, finding] of findings.entries()) checkFinding(finding, index, file);
  const assets = value.assets ?? [];
  if (!Array.isArray(assets)) fail(file, "`assets` must be an array when present");
  assets.forEach((asset, index) => {
    if (
      !isRecord(asset) ||
      typeof asset.subject !== "string" ||
      (typeof asset.id !== "string" && typeof asset.eventId !== "string")
    ) {
      fail(file, `assets[${index}] is not an asset, key or api call (needs \`subject\` and \`id\`)`);
    }
  });
  return { findings: findings as Finding[], assets: assets as Subject[] };
}

function checkFinding(finding: unknown, index: number, file: string): void {
  const where = `findings[${index}]`;
  if (!isRecord(finding)) fail(file, `${where} must be an object`);
  for (const key of ["id", "ruleId", "title", "message", "observedAt"]) {
    if (typeof finding[key] !== "string") fail(file, `${where}.${key} must be a string`);
  }
  if (!(SEVERITIES as readonly unknown[]).includes(finding.severity))
    fail(file, `${where}.severity must be one of ${SEVERITIES.join(", ")}`);
  if (!STATUSES.includes(finding.status as string)) fail(file, `${where}.status must be one of ${STATUSES.join(", ")}`);
  if (Number.isNaN(Date.parse(finding.observedAt as string))) fail(file, `${where}.observedAt is not an ISO-8601 time`);
  const subject = finding.subject;
  if (!isRecord(subject) || typeof subject.id !== "string" || typeof subject.provider !== "string") {
    fail(file, `${where}.subject must be a subject reference with provider and id`);
  }
  if (!isRecord(finding.remediation) || typeof finding.remediation.text !== "string")
    fail(file, `${where}.remediation.text must be a string`);
  if (!Array.isArray(finding.evidence) || !Array.isArray(finding.references) || !isRecord(finding.frameworks)) {
    fail(file, `${where} needs evidence[], references[] and frameworks{}`);
  }
}
