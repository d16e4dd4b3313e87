import { type Finding, parsePolicy } from "@aigov/core";
import { SecurityHubClient, BatchImportFindingsCommand } from "@aws-sdk/client-securityhub";
import { Outbox, openStore } from "@aigov/store";
import { afterEach, describe, expect, it } from "vitest";
import { asffFinding, createSink, exportDirect, exportWithOutbox, parseSinks, type SinkConfig } from "../src/index.ts";
import { findingFor, manyFindings, notebook } from "./finding-fixtures.ts";
import { startFakeSecurityHub } from "./fake-security-hub.ts";
import { json, startRecorder } from "./http-recorder.ts";
import { CORPUS, hostileCorpus } from "./multi-cloud-corpus.ts";

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

const retry = { attempts: 3, baseMs: 1, maxMs: 2, maxRetryAfterMs: 10 };
const noWait = { sleep: async () => {} };
const HOME = "100000000001";
const ROLE = "aigov-securityhub-import";
const CREDENTIALS = { AWS_ACCESS_KEY_ID: "AKIAHOME", AWS_SECRET_ACCESS_KEY: "secret" };

function sinkFromYaml(yaml: string): SinkConfig {
  const [config] = parseSinks(parsePolicy(`sinks:\n${yaml}`, "aigov.yaml"));
  return config!;
}

/** The AWS accounts the corpus findings belong to (Azure, GCP and planned findings go to the home account). */
function awsAccounts(findings: readonly Finding[]): Set<string> {
  return new Set(
    findings.flatMap((finding) =>
      finding.subject.provider === "aws" &&
      typeof finding.subject.account === "string" &&
      /^\d{12}$/.test(finding.subject.account)
        ? [finding.subject.account]
        : [],
    ),
  );
}

async function hub(roles: readonly string[] = []) {
  const server = await startFakeSecurityHub({ keys: { AKIAHOME: HOME }, roles });
  closers.push(server.close);
  return server;
}

function hubSink(url: string, extra = "") {
  const sink = createSink(
    sinkFromYaml(
      `  - { name: hub, type: security-hub, region: eu-central-1, account_id: "${HOME}", endpoint: "${url}"${extra} }`,
    ),
    CREDENTIALS,
  );
  closers.push(() => sink.close());
  return sink;
}

describe("the fake Security Hub behaves as the service", () => {
  it("refuses a finding whose account is not the caller's, as BatchImportFindings does for a default product ARN", async () => {
    const server = await hub();
    const finding = findingFor({ ...notebook, account: "100000000004" });
    // What aigov used to send: the member account's finding under the importing account's product ARN.
    const old = {
      ...asffFinding(finding, { accountId: HOME, region: "eu-central-1" }),
      ProductArn: `arn:aws:securityhub:eu-central-1:${HOME}:product/${HOME}/default`,
    };
    const client = new SecurityHubClient({
      region: "eu-central-1",
      endpoint: server.url,
      credentials: { accessKeyId: "AKIAHOME", secretAccessKey: "secret" },
    });
    const output = await client.send(new BatchImportFindingsCommand({ Findings: [old as never] }));
    client.destroy();
    expect(output).toMatchObject({
      FailedCount: 1,
      FailedFindings: [{ Id: finding.id, ErrorCode: "AccessDeniedException" }],
    });
    expect(server.findings.size).toBe(0);
  });
});

describe("AWS Security Hub sink", () => {
  it("imports every finding of a multi-account, multi-cloud organization through its own account, ≤100 per call", async () => {
    const findings = hostileCorpus();
    const members = [...awsAccounts(findings)].filter((account) => account !== HOME);
    expect(members.length).toBeGreaterThanOrEqual(3);
    const server = await hub(members.map((account) => `arn:aws:iam::${account}:role/${ROLE}`));
    const sink = hubSink(server.url, `, role_name: ${ROLE}, sts_endpoint: "${server.url}"`);
    const outbox = new Outbox(openStore(":memory:"));
    const report = await exportWithOutbox(outbox, sink, findings, { retry, hooks: noWait });
    expect(report.rejections).toEqual([]);
    expect(report).toMatchObject({ rejected: 0, delivered: findings.length });
    expect(server.findings.size).toBe(findings.length);
    const imports = server.calls.filter((call) => call.operation === "BatchImportFindings");
    expect(Math.max(...imports.map((call) => call.count))).toBeLessThanOrEqual(100);
    expect(new Set(imports.map((call) => call.account))).toEqual(new Set([HOME, ...members]));
    for (const { finding } of server.findings.values()) {
      const account = finding.AwsAccountId as string;
      expect(finding.ProductArn).toBe(`arn:aws:securityhub:eu-central-1:${account}:product/${account}/default`);
    }
    // Azure and GCP findings live in the home account and name their cloud in the resource details.
    const azure = [...server.findings.values()].find(
      ({ finding }) =>
        (finding.Resources as { Details: { Other: { cloud: string } } }[])[0]!.Details.Other.cloud === "azure",
    )!;
    expect(azure.finding.AwsAccountId).toBe(HOME);
    expect((azure.finding.Resources as Record<string, unknown>[])[0]).not.toHaveProperty("Partition");
  });

  it("without role_name, never sends another account's findings: they are reported with the reason and kept", async () => {
    const findings = CORPUS.findings;
    const server = await hub();
    const sink = hubSink(server.url);
    const store = openStore(":memory:");
    const report = await exportWithOutbox(new Outbox(store), sink, findings, { retry, hooks: noWait });
    const foreign = findings.filter(
      (finding) =>
        finding.subject.provider === "aws" &&
        /^\d{12}$/.test(String(finding.subject.account)) &&
        finding.subject.account !== HOME,
    );
    expect(foreign.length).toBeGreaterThan(0);
    expect(report.rejected).toBe(foreign.length);
    expect(report.delivered).toBe(findings.length - foreign.length);
    expect(report.rejections.join("\n")).toMatch(/findings of account 1000000000\d\d: .*set role_name/);
    // Nothing Security Hub would refuse was sent.
    expect(server.calls.every((call) => call.account === HOME)).toBe(true);
    expect([...server.findings.values()].every(({ finding }) => finding.AwsAccountId === HOME)).toBe(true);
    const kept = store.db
      .prepare("SELECT record_id FROM export_outbox WHERE rejected_at IS NOT NULL")
      .all()
      .map((row) => (row as { record_id: string }).record_id);
    expect(new Set(kept)).toEqual(new Set(foreign.map((finding) => finding.id)));
  });

  it("sets the workflow with BatchUpdateFindings: waived is SUPPRESSED with its note, resolved RESOLVED, CreatedAt stays", async () => {
    const server = await hub();
    const sink = hubSink(server.url);
    const outbox = new Outbox(openStore(":memory:"));
    const [first, second] = manyFindings(2).map((finding) => ({
      ...finding,
      subject: { ...finding.subject, account: HOME },
      lifecycle: { firstSeen: "2026-11-01T00:00:00.000Z" },
    }));
    await exportWithOutbox(outbox, sink, [first!, second!], { retry, now: () => new Date("2026-11-22T05:00:00Z") });
    const key = (id: string) => `arn:aws:securityhub:eu-central-1:${HOME}:product/${HOME}/default|${id}`;
    expect(server.findings.get(key(first!.id))).toMatchObject({
      workflow: "NEW",
      finding: { CreatedAt: "2026-11-01T00:00:00.000Z" },
    });
    // The first is waived, the second disappears (resolved).
    const waived = {
      ...first!,
      status: "waived" as const,
      waiver: { reason: "accepted", approver: "ciso@example.com", expired: false },
    };
    const report = await exportWithOutbox(outbox, sink, [waived], {
      retry,
      now: () => new Date("2026-11-23T05:00:00Z"),
    });
    expect(report).toMatchObject({ changed: 1, resolved: 1, rejected: 0 });
    expect(server.findings.get(key(first!.id))).toMatchObject({
      workflow: "SUPPRESSED",
      note: { Text: "waived by ciso@example.com: accepted", UpdatedBy: "ciso@example.com" },
    });
    expect(server.findings.get(key(second!.id))).toMatchObject({
      workflow: "RESOLVED",
      finding: {
        RecordState: "ARCHIVED",
        CreatedAt: "2026-11-01T00:00:00.000Z",
        UpdatedAt: "2026-11-23T05:00:00.000Z",
      },
    });
    expect(server.calls.map((call) => call.operation)).toEqual([
      "BatchImportFindings",
      "BatchImportFindings",
      "BatchUpdateFindings",
      "BatchUpdateFindings",
    ]);
  });

  it("calls BatchImportFindings through the AWS SDK, SigV4-signed, at most 100 findings per call", async () => {
    const server = await hub();
    const findings = manyFindings(250).map((finding) => ({
      ...finding,
      subject: { ...finding.subject, account: HOME },
    }));
    const report = await exportDirect(hubSink(server.url), findings, { retry });
    expect(report).toMatchObject({ batches: 3, delivered: 250 });
    expect(server.calls.map((call) => call.count)).toEqual([100, 100, 50]);
    for (const request of server.requests) {
      expect([request.method, request.url]).toEqual(["POST", "/findings/import"]);
      expect(request.headers.authorization).toMatch(
        /^AWS4-HMAC-SHA256 Credential=AKIAHOME\/\d{8}\/eu-central-1\/securityhub\/aws4_request/,
      );
    }
  });

  it("a finding Security Hub refuses leaves the queue (no endless retries) while the rest of the batch is delivered", async () => {
    const findings = manyFindings(3).map((finding) => ({ ...finding, subject: { ...finding.subject, account: HOME } }));
    const server = await startRecorder((_request, response) =>
      json(response, 200, {
        FailedCount: 1,
        SuccessCount: 2,
        FailedFindings: [
          { Id: findings[1]!.id, ErrorCode: "InvalidInput", ErrorMessage: "Finding does not adhere to ASFF" },
        ],
      }),
    );
    closers.push(server.close);
    const sink = hubSink(server.url);
    const outbox = new Outbox(openStore(":memory:"));
    const report = await exportWithOutbox(outbox, sink, findings, { retry, hooks: noWait });
    expect(report).toMatchObject({ delivered: 2, rejected: 1, rejections: [expect.stringContaining("InvalidInput")] });
    expect(server.requests).toHaveLength(1);
    expect(outbox.pendingCount("hub")).toBe(0);
    expect(await exportWithOutbox(outbox, sink, findings, { retry, hooks: noWait })).toMatchObject({
      delivered: 0,
      unchanged: 3,
    });
  });
});
