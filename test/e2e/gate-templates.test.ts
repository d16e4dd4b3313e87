import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT, runCli } from "./run-cli.ts";

const corpora = join(REPO_ROOT, "packages/iac/test/corpora");

describe("aigov gate on CloudFormation and ARM templates, as a process", () => {
  it("a CloudFormation template: a configuration check, every resource introduced, exit 1 on the unowned agent", async () => {
    const run = await runCli(["gate", join(corpora, "cloudformation/api-expert-agent.yaml")]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      "configuration check of a CloudFormation template with 3 resources (no prior state: every resource counts as introduced)",
    );
    expect(run.stderr).toContain("AI resources: 2 (2 introduced, 0 updated, 0 untouched, 0 deleted)");
    expect(run.stdout).toMatch(/block\s+ApiExpertAgent\s+ai-resource-ungoverned\s+high/);
  });

  it("an ARM template from stdin, --format json: source arm, the ARM types and bodies as assets", async () => {
    const template = JSON.stringify({
      $schema: "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
      contentVersion: "1.0.0.0",
      resources: [
        {
          type: "Microsoft.CognitiveServices/accounts",
          apiVersion: "2024-10-01",
          name: "oai",
          location: "swedencentral",
          kind: "OpenAI",
          tags: { owner: "ml-platform" },
          properties: { publicNetworkAccess: "Disabled", disableLocalAuth: true },
        },
      ],
    });
    const run = await runCli(["gate", "-", "--format", "json"], { stdin: template });
    const result = JSON.parse(run.stdout) as {
      verdict: string;
      input: { source: string; resources: number };
      assets: { id: string; type: string; native: Record<string, unknown> }[];
    };
    expect(run.code, run.stderr).toBe(0);
    expect(result.verdict).toBe("pass");
    expect(result.input).toMatchObject({ source: "arm", resources: 1 });
    expect(result.assets).toEqual([
      expect.objectContaining({
        id: "Microsoft.CognitiveServices/accounts/oai",
        type: "Microsoft.CognitiveServices/accounts",
        native: expect.objectContaining({ kind: "OpenAI", properties: expect.any(Object) }),
      }),
    ]);
  });

  it("a template it cannot parse is exit 2 with file:line:column", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "gate-template-")), "stack.yaml");
    writeFileSync(file, "Resources:\n  Agent:\n    Type: AWS::Bedrock::Agent\n    Properties: a: b\n");
    const run = await runCli(["gate", file]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${file}:4:17: the template is not valid YAML`);
  });
});
