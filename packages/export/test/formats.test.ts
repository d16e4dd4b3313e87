import { describe, expect, it } from "vitest";
import {
  asffFinding,
  asffWorkflow,
  cefRecord,
  ecsDocument,
  escapeCefExtension,
  escapeCefHeader,
  findingHash,
  formatRecordLines,
  ocsfComplianceFinding,
  ocsfDetectionFinding,
  octetCounted,
  syslogMessage,
} from "../src/index.ts";
import { findingFor, notebook, openaiAccount, vertexEndpoint } from "./finding-fixtures.ts";
import { validateAsff } from "./asff-validator.ts";
import { validateCompliance, validateDetection } from "./ocsf-validator.ts";

describe("OCSF 1.8", () => {
  const finding = findingFor(notebook, { severity: "high" });

  it("Detection Finding (2004) validates against the class schema, with ms time and the stable uid", () => {
    const event = ocsfDetectionFinding(finding);
    expect(validateDetection(event), JSON.stringify(validateDetection.errors)).toBe(true);
    expect(event).toMatchObject({
      class_uid: 2004,
      category_uid: 2,
      activity_id: 1,
      type_uid: 200401,
      severity_id: 4,
      status_id: 1,
      time: Date.parse("2026-11-22T04:05:07.123Z"),
      cloud: { provider: "AWS", region: "eu-west-1", account: { uid: "123456789012", type_id: 10 } },
      finding_info: { uid: finding.id, title: finding.title },
      resources: [{ uid: notebook.id, type: "AWS::SageMaker::NotebookInstance", name: "research-nb" }],
      remediation: { desc: "Disable root access on the notebook instance.", references: finding.references },
      metadata: { version: "1.8.0", product: { name: "aigov", vendor_name: "aigov" } },
    });
    // Milliseconds, not seconds (Prowler's deviation): 13 digits for a 2026 time.
    expect(String(event.time)).toHaveLength(13);
  });

  it("Compliance Finding (2003) carries the frameworks and validates against its class schema", () => {
    const event = ocsfComplianceFinding(finding)!;
    expect(validateCompliance(event), JSON.stringify(validateCompliance.errors)).toBe(true);
    expect(event).toMatchObject({
      class_uid: 2003,
      type_uid: 200301,
      compliance: {
        standards: ["nist-ai-rmf", "owasp-llm-2025"],
        control: "aws-sagemaker-notebook-root-access",
        requirements: ["nist-ai-rmf:MANAGE-2.2", "owasp-llm-2025:LLM06"],
        status_id: 3,
      },
    });
    expect(ocsfComplianceFinding(findingFor(notebook, { frameworks: {} }))).toBeUndefined();
  });

  it("maps Azure and GCP accounts, unknown regions, waivers and the resolve lifecycle", () => {
    const azure = ocsfDetectionFinding(findingFor(openaiAccount, { status: "waived", severity: "critical" }));
    expect(validateDetection(azure), JSON.stringify(validateDetection.errors)).toBe(true);
    expect(azure).toMatchObject({
      cloud: { provider: "Azure", account: { type_id: 13 } },
      status_id: 3,
      severity_id: 5,
    });
    const gcp = ocsfDetectionFinding(findingFor(vertexEndpoint, { severity: "info" }));
    expect(validateDetection(gcp), JSON.stringify(validateDetection.errors)).toBe(true);
    expect(gcp.cloud).toEqual({ provider: "GCP", account: { uid: "acme-ml-prod", type_id: 11, type: "GCP Project" } });
    const closed = ocsfDetectionFinding(findingFor(notebook, { status: "resolved" }), "resolved");
    expect(validateDetection(closed), JSON.stringify(validateDetection.errors)).toBe(true);
    expect(closed).toMatchObject({ activity_id: 3, type_uid: 200403, status_id: 4, is_alert: false });
    const updated = ocsfComplianceFinding(findingFor(notebook, { status: "unknown" }), "changed")!;
    expect(validateCompliance(updated), JSON.stringify(validateCompliance.errors)).toBe(true);
    expect(updated).toMatchObject({ activity_id: 2, type_uid: 200302, compliance: { status_id: 2 } });
  });

  it("the schemas reject what OCSF forbids (so validation can fail)", () => {
    const event = ocsfDetectionFinding(finding);
    expect(validateDetection({ ...event, type_uid: 200499 + 1 })).toBe(false);
    expect(validateDetection({ ...event, finding_info: { title: "no uid" } })).toBe(false);
    expect(validateDetection({ ...event, severity_id: 7 })).toBe(false);
    expect(validateDetection({ ...event, time: "2026-11-22" })).toBe(false);
    expect(validateDetection({ ...event, cloud: { region: "eu-west-1" } })).toBe(false);
    const compliance = ocsfComplianceFinding(finding)!;
    const { compliance: _dropped, ...withoutCompliance } = compliance;
    expect(validateCompliance(withoutCompliance)).toBe(false);
  });
});

describe("ASFF", () => {
  const home = { accountId: "999999999999", region: "us-east-1" };

  it("has every field BatchImportFindings requires, filed under the finding's own account and its product ARN", () => {
    const finding = findingFor(notebook, { severity: "critical" });
    const record = asffFinding(finding, home);
    expect(validateAsff(record), JSON.stringify(validateAsff.errors)).toBe(true);
    expect(record).toMatchObject({
      SchemaVersion: "2018-10-08",
      Id: finding.id,
      AwsAccountId: "123456789012",
      ProductArn: "arn:aws:securityhub:us-east-1:123456789012:product/123456789012/default",
      Severity: { Label: "CRITICAL", Original: "critical" },
      FindingProviderFields: { Severity: { Label: "CRITICAL" }, Types: record.Types },
      CreatedAt: finding.observedAt,
      Resources: [{ Type: "Other", Id: notebook.id, Region: "eu-west-1", Partition: "aws" }],
      Compliance: { Status: "FAILED", RelatedRequirements: ["owasp-llm-2025 LLM06", "nist-ai-rmf MANAGE-2.2"] },
      RecordState: "ACTIVE",
    });
    // Security Hub fills the top-level Region; workflow goes through BatchUpdateFindings.
    expect(Object.keys(record)).not.toEqual(expect.arrayContaining(["Region"]));
    expect(record).not.toHaveProperty("Workflow");
  });

  it("files an Azure or GCP finding under the home account, with its cloud and region in the resource details", () => {
    const record = asffFinding(findingFor({ ...openaiAccount, region: "germanywestcentral" }), home);
    expect(validateAsff(record), JSON.stringify(validateAsff.errors)).toBe(true);
    expect(record.AwsAccountId).toBe("999999999999");
    const [resource] = record.Resources as Record<string, unknown>[];
    expect(resource).not.toHaveProperty("Partition");
    expect(resource).not.toHaveProperty("Region");
    expect(resource!.Details).toEqual({
      Other: {
        cloud: "azure",
        account: "00000000-1111-2222-3333-444444444444",
        region: "germanywestcentral",
        name: "contoso-oai",
        nativeType: "Microsoft.CognitiveServices/accounts",
        kind: "ai-account",
      },
    });
  });

  it("puts an IAM key (region global) in the home region, never in a region called global", () => {
    const key = findingFor({ ...notebook, region: "global" });
    const record = asffFinding(key, home);
    expect(record.ProductArn).toBe("arn:aws:securityhub:us-east-1:123456789012:product/123456789012/default");
    expect((record.Resources as Record<string, unknown>[])[0]).not.toHaveProperty("Region");
    expect(JSON.stringify(record)).not.toContain("securityhub:global");
  });

  it("an ASFF export without the home region, or without the home account for an Azure finding, is refused", () => {
    const record = (finding: ReturnType<typeof findingFor>) => ({
      finding,
      change: "new" as const,
      hash: findingHash(finding),
    });
    expect(() => formatRecordLines("asff", record(findingFor(notebook)))).toThrow(
      expect.objectContaining({ code: "EXPORT_ASFF_REGION" }),
    );
    expect(() => formatRecordLines("asff", record(findingFor(openaiAccount)), { region: "eu-central-1" })).toThrow(
      expect.objectContaining({ code: "EXPORT_ASFF_ACCOUNT" }),
    );
    const [line] = formatRecordLines("asff", record(findingFor(notebook, { observedAt: "2026-11-22T04:05:07.123Z" })), {
      region: "eu-central-1",
    });
    expect(JSON.parse(line!)).toMatchObject({ AwsAccountId: "123456789012" });
  });

  it("archives a resolved finding, and says which workflow BatchUpdateFindings sets", () => {
    expect(asffFinding(findingFor(notebook, { status: "resolved" }), home, "resolved")).toMatchObject({
      RecordState: "ARCHIVED",
      Compliance: { Status: "PASSED" },
    });
    expect(asffWorkflow(findingFor(notebook), "new")).toBeUndefined();
    expect(asffWorkflow(findingFor(notebook), "changed")).toEqual({ status: "NEW" });
    expect(asffWorkflow(findingFor(notebook, { status: "resolved" }), "resolved")).toEqual({ status: "RESOLVED" });
    const waived = {
      ...findingFor(notebook, { status: "waived" }),
      waiver: { reason: "pilot", approver: "ciso", expired: false },
    };
    expect(asffWorkflow(waived, "changed")).toEqual({
      status: "SUPPRESSED",
      note: { Text: "waived by ciso: pilot", UpdatedBy: "ciso" },
    });
  });
});

describe("ECS", () => {
  it("is a posture finding document Elastic Security reads", () => {
    const finding = findingFor(openaiAccount, { severity: "high" });
    const doc = ecsDocument(finding, findingHash(finding));
    expect(doc).toMatchObject({
      "@timestamp": "2026-11-22T04:05:07.123Z",
      ecs: { version: "8.17.0" },
      event: { kind: "state", category: ["configuration"], type: ["info"], severity: 73 },
      rule: { id: "aws-sagemaker-notebook-root-access", name: finding.title, ruleset: "aigov" },
      cloud: { provider: "azure", account: { id: "00000000-1111-2222-3333-444444444444" }, region: "westeurope" },
      result: { evaluation: "failed" },
      aigov: { finding: { id: finding.id } },
    });
    expect((doc.event as { id: string }).id).toBe(`${finding.id}-${findingHash(finding).slice(0, 16)}`);
  });
});

describe("CEF", () => {
  it("escapes header and extension fields", () => {
    expect(escapeCefHeader("a|b\\c\nd")).toBe("a\\|b\\\\c d");
    expect(escapeCefExtension("k=v\\x\r\ny")).toBe("k\\=v\\\\x\\ny");
  });

  it("writes the exact record", () => {
    const finding = findingFor(notebook, {
      title: "Root | access",
      message: "a=b\nsecond line",
      frameworks: { "owasp-llm-2025": ["LLM06"] },
    });
    expect(cefRecord(finding)).toBe(
      `CEF:0|aigov|aigov|0.1.0|aws-sagemaker-notebook-root-access|Root \\| access|5|rt=${Date.parse(finding.observedAt)} externalId=${finding.id} act=new outcome=open cat=notebook msg=a\\=b\\nsecond line cs1Label=resourceId cs1=${notebook.id} cs2Label=cloudProvider cs2=aws cs3Label=cloudAccount cs3=123456789012 cs4Label=cloudRegion cs4=eu-west-1 cs5Label=frameworks cs5=owasp-llm-2025:LLM06 cs6Label=remediation cs6=Disable root access on the notebook instance.`,
    );
  });

  it("leaves out a label whose value is unknown", () => {
    const record = cefRecord(findingFor(vertexEndpoint));
    expect(record).not.toContain("cs4Label");
    expect(record).toContain("cs3Label=cloudAccount cs3=acme-ml-prod");
  });
});

describe("RFC 5424 syslog", () => {
  it("writes the exact message with structured data and octet-counting framing", () => {
    const finding = findingFor(notebook, { severity: "critical", message: 'quote " and ] bracket' });
    const message = syslogMessage(finding, { hostname: "scanner-1", facility: 13 });
    expect(message).toBe(
      `<106>1 2026-11-22T04:05:07.123Z scanner-1 aigov - finding [aigov@32473 id="${finding.id}" rule="aws-sagemaker-notebook-root-access" severity="critical" status="open" change="new" provider="aws" account="123456789012" region="eu-west-1" resource="${notebook.id}"] SageMaker notebook gives users root access: quote " and ] bracket`,
    );
    expect(octetCounted("héllo")).toBe("6 héllo");
  });

  it("escapes SD-PARAM values and carries CEF as the body", () => {
    const finding = findingFor({ ...notebook, id: 'id"with]back\\slash' });
    expect(syslogMessage(finding, { hostname: "h" })).toContain('resource="id\\"with\\]back\\\\slash"');
    expect(syslogMessage(finding, { hostname: "h", body: "cef" })).toMatch(
      /^<108>1 2026-11-22T04:05:07\.123Z h aigov - CEF - CEF:0\|aigov\|aigov\|/,
    );
  });
});
