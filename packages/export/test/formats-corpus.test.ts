import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Finding, parsePolicy } from "@aigov/core";
import { describe, expect, it } from "vitest";
import {
  asffFinding,
  cefRecord,
  createSink,
  cyclonedxAiBom,
  defaultChange,
  ECS_COMPONENT_TEMPLATE,
  ecsDocument,
  exportDirect,
  findingHash,
  ocsfEvents,
  parseSinks,
  syslogMessage,
} from "../src/index.ts";
import { securityHubRefusal } from "./asff-validator.ts";
import { validateCycloneDx } from "./cyclonedx-validator.ts";
import { parseCef, parseRfc5424 } from "./line-parsers.ts";
import { CORPUS, HOSTILE, hostileCorpus } from "./multi-cloud-corpus.ts";
import { validatorFor } from "./ocsf-validator.ts";

// Every exported record of a multi-cloud, multi-account organization, with hostile strings in names and ids,
// checked against each format's official definition (schemas/*/README.md names the sources).
const findings = hostileCorpus();
const changes = ["new", "changed", "resolved", "full"] as const;
const changeOf = (finding: Finding, index: number) =>
  finding.status === "resolved" ? "resolved" : index % 5 === 0 ? changes[index % 4]! : defaultChange(finding);

describe("the corpus", () => {
  it("covers three clouds, several AWS accounts, region global, Azure's longest region, every status, hostile text", () => {
    expect(findings.length).toBeGreaterThanOrEqual(1000);
    expect(new Set(findings.map((finding) => finding.subject.provider))).toEqual(new Set(["aws", "azure", "gcp"]));
    const accounts = new Set(
      findings.filter((f) => f.subject.provider === "aws").map((f) => String(f.subject.account)),
    );
    expect(accounts.size).toBeGreaterThanOrEqual(4);
    const regions = new Set(findings.map((finding) => String(finding.subject.region)));
    expect(regions).toContain("global");
    expect(regions).toContain("germanywestcentral");
    expect(new Set(findings.map((finding) => finding.status))).toEqual(
      new Set(["open", "waived", "unknown", "resolved"]),
    );
    for (const text of HOSTILE) expect(findings.some((finding) => finding.subject.id.includes(text))).toBe(true);
  });
});

describe("OCSF 1.8.0", () => {
  it("every event validates against its class schema and names its observables", () => {
    let events = 0;
    findings.forEach((finding, index) => {
      for (const event of ocsfEvents(finding, changeOf(finding, index))) {
        const validate = validatorFor(event);
        expect(validate(event), `${finding.id}: ${JSON.stringify(validate.errors)}`).toBe(true);
        const observables = event.observables as { name: string; type_id: number; value: string }[];
        expect(observables).toContainEqual({ name: "resources[0].uid", type_id: 10, value: finding.subject.id });
        events += 1;
      }
    });
    expect(events).toBeGreaterThanOrEqual(findings.length);
    const withPrincipal = ocsfEvents(
      findings.find((finding) => finding.evidence.some((item) => item.field === "sourceIp"))!,
    )[0]!;
    expect((withPrincipal.observables as { type_id: number }[]).map((observable) => observable.type_id)).toEqual(
      expect.arrayContaining([35, 10, 31, 2]),
    );
    expect(withPrincipal.metadata).toMatchObject({ product: { uid: "aigov" } });
  });
});

describe("ASFF (Security Hub)", () => {
  it("every finding is valid for the API model and for BatchImportFindings from its own account in the home region", () => {
    const target = { accountId: "100000000001", region: "eu-central-1" };
    findings.forEach((finding, index) => {
      const record = asffFinding(finding, target, changeOf(finding, index));
      const caller = { account: String(record.AwsAccountId), region: "eu-central-1" };
      expect(securityHubRefusal(record, caller), finding.id).toBeUndefined();
      expect(record).not.toHaveProperty("Workflow");
      expect(record).not.toHaveProperty("Region");
    });
  });

  it("keeps CreatedAt at the first-seen time when a finding is resolved later", () => {
    const stored = CORPUS.findings.find((finding) => "lifecycle" in finding)! as Finding & {
      lifecycle: { firstSeen: string };
    };
    const resolved = { ...stored, status: "resolved" as const, observedAt: "2027-01-01T00:00:00.000Z" };
    const record = asffFinding(resolved, { accountId: "100000000001", region: "eu-central-1" }, "resolved");
    expect(record).toMatchObject({
      CreatedAt: stored.lifecycle.firstSeen,
      UpdatedAt: "2027-01-01T00:00:00.000Z",
      RecordState: "ARCHIVED",
    });
  });
});

type EcsField = { type: string; array?: boolean; allowed?: string[]; expected_event_types?: Record<string, string[]> };
const ecsFields = (version: string) =>
  (
    JSON.parse(readFileSync(new URL(`./schemas/ecs/ecs-${version}-fields.json`, import.meta.url), "utf8")) as {
      fields: Record<string, EcsField>;
    }
  ).fields;

/** Elastic's cloud-posture fields aigov writes on purpose (README: ECS). */
const POSTURE_FIELDS = new Set([
  "resource.id",
  "resource.name",
  "resource.type",
  "resource.sub_type",
  "result.evaluation",
]);

function leaves(value: unknown, path = ""): [string, unknown][] {
  if (Array.isArray(value) && value.some((item) => item !== null && typeof item === "object"))
    return value.flatMap((item) => leaves(item, path));
  if (value !== null && typeof value === "object" && !Array.isArray(value))
    return Object.entries(value).flatMap(([key, item]) => leaves(item, path === "" ? key : `${path}.${key}`));
  return [[path, value]];
}

/** The template's mapping of a path: its type, or "flattened" when a flattened field above holds it. */
function mappedType(path: string): string | undefined {
  let properties = ECS_COMPONENT_TEMPLATE.template.mappings.properties as Record<
    string,
    { type?: string; properties?: object }
  >;
  const parts = path.split(".");
  for (const [index, part] of parts.entries()) {
    const mapping = properties[part];
    if (mapping === undefined) return undefined;
    if (mapping.type === "flattened") return "flattened";
    if (index === parts.length - 1) return mapping.type;
    properties = mapping.properties as typeof properties;
    if (properties === undefined) return undefined;
  }
  return undefined;
}

function jsonTypeFits(type: string, value: unknown): boolean {
  if (["keyword", "constant_keyword", "wildcard", "match_only_text", "text"].includes(type))
    return typeof value === "string";
  if (["long", "integer", "short", "byte", "float", "double", "scaled_float"].includes(type))
    return typeof value === "number";
  if (type === "date") return typeof value === "string" && !Number.isNaN(Date.parse(value));
  if (type === "boolean") return typeof value === "boolean";
  return false;
}

describe.each(["8.17.0", "9.4.0"])("ECS %s (Elastic)", (version) => {
  const fields = ecsFields(version);
  it("every field is ECS with its ECS type and allowed values, a posture field, or aigov.*, and all are mapped", () => {
    findings.forEach((finding, index) => {
      const doc = ecsDocument(finding, findingHash(finding), changeOf(finding, index));
      const event = doc.event as { category: string[]; type: string[] };
      for (const category of event.category) {
        expect(fields["event.category"]!.expected_event_types![category]).toEqual(expect.arrayContaining(event.type));
      }
      for (const [path, value] of leaves(doc)) {
        const mapped = mappedType(path);
        expect(mapped, `${path} is not in the index template`).toBeDefined();
        const field = fields[path];
        if (field !== undefined) {
          expect(mapped, path).toBe(field.type);
          for (const item of Array.isArray(value) ? value : [value]) {
            expect(jsonTypeFits(field.type, item), `${path}=${JSON.stringify(item)} is not ${field.type}`).toBe(true);
            if (field.allowed !== undefined) expect(field.allowed, path).toContain(item);
          }
          if (Array.isArray(value)) expect(field.array, `${path} is not an array field`).toBe(true);
        } else if (!POSTURE_FIELDS.has(path)) {
          expect(path.startsWith("aigov."), `${path} is neither ECS nor aigov.*`).toBe(true);
        }
      }
      // One shape for evidence, whatever the value was.
      for (const item of (doc.aigov as { finding: { evidence: Record<string, unknown>[] } }).finding.evidence) {
        expect(typeof item.value).toBe("string");
        expect(["string", "number", "boolean", "array", "object", "null", "absent"]).toContain(item.value_type);
      }
    });
  });
});

describe("CEF", () => {
  it("every record parses strictly and gives back the message and resource id", () => {
    findings.forEach((finding, index) => {
      const parsed = parseCef(cefRecord(finding, changeOf(finding, index)));
      expect(parsed.header[4]).toBe(finding.ruleId);
      expect(parsed.extension.externalId).toBe(finding.id);
      // Line breaks survive as CEF escapes; other control characters become spaces.
      const controls = (text: string) =>
        text.replace(/\r\n/g, "\n").replace(/[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f-\u009f]/g, " ");
      expect(parsed.extension.msg).toBe(controls(finding.message));
      expect(parsed.extension.cs1).toBe(controls(finding.subject.id));
    });
  });
});

describe("RFC 5424 syslog", () => {
  it("every message parses strictly, one line, BOM before a UTF-8 MSG, SD values read back", () => {
    for (const body of ["rfc5424", "cef"] as const) {
      findings.forEach((finding, index) => {
        const line = syslogMessage(finding, { hostname: "scanner-1", body }, changeOf(finding, index));
        const parsed = parseRfc5424(line);
        expect(parsed.bom).toBe(/[^\x00-\x7f]/.test(parsed.message));
        if (body === "cef") {
          expect(parseCef(parsed.message).extension.externalId).toBe(finding.id);
          return;
        }
        const sd = parsed.structuredData["aigov@32473"]!;
        expect(sd.id).toBe(finding.id);
        expect(sd.resource).toBe(finding.subject.id.replace(/[\u0000-\u001f\u007f-\u009f]/g, " "));
      });
    }
  });

  it("the line-per-message file export writes exactly one line per finding", async () => {
    const dir = mkdtempSync(join(tmpdir(), "aigov-syslog-file-"));
    try {
      for (const format of ["syslog", "cef", "ocsf", "ecs"] as const) {
        const path = join(dir, `${format}.log`);
        const [config] = parseSinks(
          parsePolicy(`sinks:\n  - { name: f, type: file, path: "${path}", format: ${format} }`, "aigov.yaml"),
        );
        await exportDirect(createSink(config!, {}), findings, {
          retry: { attempts: 1, baseMs: 1, maxMs: 1, maxRetryAfterMs: 1 },
        });
        const lines = readFileSync(path, "utf8").split("\n").slice(0, -1);
        const perFinding =
          format === "ocsf" ? findings.reduce((sum, f) => sum + ocsfEvents(f).length, 0) : findings.length;
        expect(lines, format).toHaveLength(perFinding);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("CycloneDX 1.6", () => {
  it("the AI-BOM of the organization's assets with hostile names passes strict validation", async () => {
    const assets = CORPUS.assets.map((asset, index) =>
      asset.subject === "api-call" ? asset : { ...asset, name: `${asset.name} ${HOSTILE[index % HOSTILE.length]}` },
    );
    expect(await validateCycloneDx(JSON.stringify(cyclonedxAiBom(assets)))).toBeNull();
  });
});
