import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "./run-cli.ts";

interface SweepJson {
  run: { id: number; status: string };
  summary: {
    status: string;
    targets: { total: number; complete: number; partial: number; failed: number };
    assets: number;
    keys: number;
    findings: { total: number; blocking: number; new: number; resolved: number; bySeverity: Record<string, number> };
  };
  findings: {
    ruleId: string;
    severity: string;
    status: string;
    subject: { name: string; account: string };
    lifecycle: { state: string };
  }[];
  assets: { subject: string; kind: string; name: string; redacted?: string }[];
  gaps: { account: string; service: string; code: string }[];
}

const dir = mkdtempSync(join(tmpdir(), "aigov-demo-e2e-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("aigov demo (the process)", () => {
  it("sweeps the simulated organization, reports its shadow AI and, with --strict, exits 1 as the sweep does", async () => {
    const store = join(dir, "demo.db");
    const run = await runCli(["demo", "--store", store, "--format", "json", "--strict"]);
    expect(run.code, run.stderr).toBe(1);
    const result = JSON.parse(run.stdout) as SweepJson;
    const has = (rule: string, subject: string) =>
      result.findings.some((f) => f.ruleId === rule && f.subject.name === subject);

    // Shadow AI, one finding per kind of problem the demo world plants.
    expect(has("aws-log-llmjacking", "principal=arn:aws:iam::100000000004:user/marketing-intern")).toBe(true);
    expect(has("third-party-ai-key-in-configuration", "campaign-writer:env:OPENAI_API_KEY")).toBe(true);
    expect(has("third-party-ai-key-in-configuration", "review-summarizer:env:ANTHROPIC_API_KEY")).toBe(true);
    expect(has("third-party-ai-key-in-configuration", "/marketing/hf-token:value")).toBe(true);
    expect(has("ai-key-in-resource-metadata", "llm-exploration:tags.note")).toBe(true);
    expect(has("bedrock-api-key-never-expires", "ci-bot-bedrock")).toBe(true);
    expect(has("ai-notebook-root-access", "llm-exploration")).toBe(true);
    expect(has("ai-public-network-access", "llm-exploration")).toBe(true);
    expect(has("ai-model-not-approved", "llama3-support-finetune")).toBe(true);
    expect(has("ai-resource-ungoverned", "llm-exploration")).toBe(true);
    // The AgentCore gateway nobody owns: open to any caller, one tool reaching a third party with a stored key.
    expect(has("ai-resource-ungoverned", "ticket-tools")).toBe(true);
    expect(has("ai-agent-gateway-no-authorizer", "ticket-tools")).toBe(true);
    expect(has("ai-agent-tool-reaches-out-unauthenticated", "ticket-tools/zendesk")).toBe(true);
    expect(has("ai-agent-tool-reaches-out-unauthenticated", "ticket-tools/ticket-lookup")).toBe(false);
    expect(has("ai-credential-provider-static-key", "zendesk-key")).toBe(true);
    expect(has("ai-resource-ungoverned", "ticket_triage")).toBe(true);
    // Bedrock's EU invocation logs under no key of the platform's; data science's models reached over the internet.
    expect(
      has("aws-bedrock-invocation-logs-no-customer-managed-key", "bedrock-invocation-logging 100000000002 eu-west-1"),
    ).toBe(true);
    expect(
      has("aws-bedrock-invocation-logs-no-customer-managed-key", "bedrock-invocation-logging 100000000002 us-east-1"),
    ).toBe(false);
    expect(has("aws-bedrock-region-no-vpc-endpoint", "bedrock private access 100000000003 us-east-1")).toBe(true);
    expect(has("aws-bedrock-region-no-vpc-endpoint", "bedrock private access 100000000002 us-east-1")).toBe(false);
    // Google Cloud: the project that enabled the Gemini API on its own, its unrestricted key, a public notebook.
    expect(has("gcp-ai-api-enabled-unregistered", "generativelanguage.googleapis.com")).toBe(true);
    expect(has("ai-key-unrestricted", "campaign generator")).toBe(true);
    expect(has("gcp-ai-data-access-logs-disabled", "generativelanguage.googleapis.com Data Access audit logs")).toBe(
      true,
    );
    expect(has("ai-public-network-access", "churn-exploration")).toBe(true);
    expect(has("gcp-workbench-default-compute-service-account", "churn-exploration")).toBe(true);
    // Governed AI stays quiet: the platforms' owned, approved, encrypted endpoints have no finding.
    expect(result.findings.filter((f) => f.subject.name === "support-chat")).toEqual([]);
    expect(result.findings.filter((f) => f.subject.name === "support-chat-vertex")).toEqual([]);
    // A key that expires is not reported as never-expiring.
    expect(has("bedrock-api-key-never-expires", "alice-trial")).toBe(false);

    // Azure, beside AWS: marketing's shadow Azure OpenAI (public, key auth, no owner, an unapproved model processed
    // globally, its keys listed by someone not approved), a Hugging Face token in a web app's settings (opt-in).
    expect(has("ai-public-network-access", "mkt-openai")).toBe(true);
    expect(has("ai-key-auth-enabled", "mkt-openai")).toBe(true);
    expect(has("ai-resource-ungoverned", "mkt-openai")).toBe(true);
    expect(has("ai-region-not-approved", "mkt-openai")).toBe(true);
    expect(has("ai-model-not-approved", "copywriter")).toBe(true);
    expect(has("azure-ai-deployment-global-processing", "copywriter")).toBe(true);
    expect(has("azure-ai-deployment-no-content-filter", "copywriter")).toBe(true);
    // Per-call findings are one per pattern and day (the demo's clock is today's).
    expect(
      result.findings.some(
        (f) =>
          f.ruleId === "azure-log-cognitive-services-list-keys-unapproved" &&
          f.subject.name.startsWith("azure-ai-services calls by marketing-intern@northwind.example on "),
      ),
    ).toBe(true);
    expect(has("third-party-ai-key-in-configuration", "campaign-site:HF_TOKEN")).toBe(true);
    expect(
      result.assets
        .filter((a) => a.subject === "key" && a.name.endsWith("account keys"))
        .map((a) => a.name)
        .sort(),
    ).toEqual(["mkt-ai-services account keys", "mkt-openai account keys"]);
    // The platform's Azure OpenAI (private, Entra only, CMK, logged, an approved pinned model with its content
    // filter) and its deployment stay quiet.
    expect(result.findings.filter((f) => ["nw-openai-prod", "support-gpt-4o"].includes(f.subject.name))).toEqual([]);
    // The finance subscription, on which the sweep's identity holds no role, is a gap.
    expect(result.gaps).toContainEqual(
      expect.objectContaining({ account: "5a000000-0000-4000-8000-000000000003", code: "AccessDenied" }),
    );

    // Secrets never leave the process: keys appear redacted only.
    for (const secret of [
      "DEMOnotArealKeyDEMO0001T3BlbkFJ",
      "demoNotARealTokenInATag",
      "NorthwindDemoNotARealToken",
      "AIzaSyDEMO-not-a-real-key",
    ]) {
      expect(run.stdout).not.toContain(secret);
      for (const file of [store, `${store}-wal`].filter((path) => existsSync(path))) {
        expect(readFileSync(file).includes(secret), `${file} holds a secret`).toBe(false);
      }
    }
    const openai = result.assets.find((a) => a.subject === "key" && a.name === "campaign-writer:env:OPENAI_API_KEY");
    expect(openai?.redacted).toMatch(/^sk-proj-.*0001$/);

    // The legacy account cannot be entered: a coverage gap, stated, and the run is partial.
    expect(result.gaps).toContainEqual(expect.objectContaining({ account: "100000000005", code: "AssumeRoleFailed" }));
    expect(result.summary.status).toBe("partial");
    expect(result.run.status).toBe("partial");

    // The summary counts what the lists hold.
    expect(result.summary.findings.total).toBe(result.findings.length);
    expect(result.summary.findings.new).toBe(result.findings.length);
    expect(result.summary.findings.bySeverity.critical).toBe(
      result.findings.filter((f) => f.severity === "critical").length,
    );
    expect(result.summary.findings.blocking).toBe(
      result.findings.filter((f) => ["high", "critical"].includes(f.severity) && f.status === "open").length,
    );
    expect(result.summary.assets + result.summary.keys).toBe(result.assets.length);
    expect(result.summary.targets.total).toBe(
      result.summary.targets.complete + result.summary.targets.partial + result.summary.targets.failed,
    );

    // Run it again on the same store: nothing is new, nothing resolved.
    const again = JSON.parse((await runCli(["demo", "--store", store, "--format", "json"])).stdout) as SweepJson;
    expect(again.summary.findings).toMatchObject({ new: 0, resolved: 0, total: result.summary.findings.total });
    expect(again.findings.every((f) => f.lifecycle.state === "open")).toBe(true);
    // Two demo sweeps of three clouds, each loading every cloud's SDK: on a busy 2-core machine, over a minute.
  }, 180_000);

  it("prints the sweep summary a person reads, with progress and messages on stderr, and exits 0 (the demo worked)", async () => {
    // Without --store the demo keeps its history beside the default store, where its closing hint points.
    const env = { XDG_STATE_HOME: join(dir, "state") };
    const run = await runCli(["demo", "--progress-interval", "0"], { env });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("A real sweep exits 1 on these findings; the demo exits 0");
    // The AWS account whose role cannot be assumed and the Azure subscription the identity cannot read are failed targets.
    expect(run.stdout).toMatch(/^aigov sweep · run 1 · 16 targets \(\d+ complete, \d+ partial, 2 failed\)/);
    const demoStore = join(dir, "state", "aigov", "demo.db");
    expect(run.stderr).toContain(
      `see it with 'aigov report --store ${demoStore}' or 'aigov findings --store ${demoStore}'`,
    );
    const listed = await runCli(["findings", "--store", demoStore, "--format", "json"], { env });
    expect(listed.code, listed.stderr).toBe(0);
    expect((JSON.parse(listed.stdout) as { findings: unknown[] }).findings.length).toBeGreaterThan(0);
    expect(run.stdout).toContain("AI inventory: ");
    expect(run.stdout).toMatch(/critical\s+new\s+aws-log-llmjacking/);
    expect(run.stdout).toContain("Coverage: PARTIAL");
    expect(run.stdout).toMatch(/Result: \d+ findings at or above high: exit 1/);
    expect(run.stderr).toContain(
      "aigov demo: simulated organization with 5 AWS accounts, 3 Azure subscriptions and 3 Google Cloud projects at http://127.0.0.1:",
    );
    expect(run.stderr).toContain("Data Access audit logs are off for AI APIs in 1 project(s): nw-marketing-genai");
  });
});
