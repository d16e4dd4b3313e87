import { defaultPolicy, loadRules, type Rule } from "@aigov/core";
import { beforeAll, describe, expect, it } from "vitest";
import { fakeAiKey } from "../../core/test/fake-ai-keys.ts";
import { judgePlanned, readCdktfStack, readPlanDocument } from "../src/index.ts";
import { plan, resourceChange } from "./plan-fixture.ts";

const OPENAI = fakeAiKey("openai-project-key", "gate");
const GEMINI = fakeAiKey("google-api-key", "gate");

let rules: Rule[];
const policy = defaultPolicy();
beforeAll(async () => {
  rules = await loadRules({ policy });
});

const model = (environment: Record<string, string>) => ({
  name: "chat",
  execution_role_arn: "arn:aws:iam::111111111111:role/sm",
  primary_container: [{ image: "123.dkr.ecr.us-east-1.amazonaws.com/x:1", environment }],
  tags: { owner: "ml" },
});

describe("AI keys in planned resources", () => {
  it("are redacted in the planned asset and block the plan as Key findings at their attribute path", () => {
    const document = plan([
      resourceChange("aws_sagemaker_model.chat", "aws_sagemaker_model", ["create"], model({ OPENAI_API_KEY: OPENAI })),
      resourceChange("aws_bedrockagent_agent.helper", "aws_bedrockagent_agent", ["create"], {
        agent_name: "helper",
        foundation_model: "anthropic.claude-3-haiku-20240307-v1:0",
        instruction: `You are a helper. Call the search API with key ${GEMINI}.`,
      }),
    ]);
    const { subjects } = readPlanDocument(document, "plan.json");
    const result = judgePlanned(subjects, { rules, policy });
    expect(result.exitCode).toBe(1);
    expect(result.blocking.filter((f) => f.ruleId === "ai-key-in-resource-metadata").map((f) => f.subject.id)).toEqual([
      "aws_sagemaker_model.chat#primary_container[0].environment.OPENAI_API_KEY",
      "aws_bedrockagent_agent.helper#instruction",
    ]);
    const text = JSON.stringify({ subjects, result });
    expect(text).not.toContain(OPENAI.slice(0, 20));
    expect(text).not.toContain(GEMINI.slice(0, 12));
  });

  it("find a key in a notebook lifecycle script's base64 and block it as the swept one is", () => {
    const script = `#!/bin/bash\necho "export OPENAI_API_KEY=${OPENAI}" >> /home/ec2-user/.bashrc\n`;
    const document = plan([
      resourceChange(
        "aws_sagemaker_notebook_instance_lifecycle_configuration.setup",
        "aws_sagemaker_notebook_instance_lifecycle_configuration",
        ["create"],
        { name: "setup", on_start: Buffer.from(script).toString("base64") },
      ),
    ]);
    const { subjects } = readPlanDocument(document, "plan.json");
    const result = judgePlanned(subjects, { rules, policy });
    expect(
      result.blocking
        .filter((f) => f.ruleId === "aws-sagemaker-notebook-lifecycle-script-ai-key")
        .map((f) => f.subject.id),
    ).toEqual(["aws_sagemaker_notebook_instance_lifecycle_configuration.setup#on_start"]);
    expect(JSON.stringify({ subjects, result })).not.toContain(Buffer.from(script).toString("base64").slice(40, 80));
  });

  it("an update blocks a key only when it changes the attribute that holds it", () => {
    const keyed = model({ OPENAI_API_KEY: OPENAI });
    const judge = (before: Record<string, unknown>, after: Record<string, unknown>) =>
      judgePlanned(
        readPlanDocument(
          plan([resourceChange("aws_sagemaker_model.chat", "aws_sagemaker_model", ["update"], after, { before })]),
          "plan.json",
        ).subjects,
        { rules, policy },
      ).entries.filter((entry) => entry.finding.ruleId === "ai-key-in-resource-metadata");
    const added = judge(model({}), keyed);
    expect(added.map((entry) => [entry.role, entry.blocking])).toEqual([["introduced", true]]);
    const untouched = judge({ ...keyed, tags: { owner: "ml" } }, { ...keyed, tags: { owner: "platform" } });
    expect(untouched.map((entry) => [entry.role, entry.blocking])).toEqual([["existing", false]]);
  });

  it("are found in cdktf synth output too", () => {
    const { subjects } = readCdktfStack(
      { resource: { aws_sagemaker_model: { chat: model({ OPENAI_API_KEY: OPENAI }) } } },
      "cdk.tf.json",
    );
    expect(subjects.filter((s) => s.subject === "key").map((s) => s.id)).toEqual([
      "aws_sagemaker_model.chat#primary_container[0].environment.OPENAI_API_KEY",
    ]);
    expect(JSON.stringify(subjects)).not.toContain(OPENAI.slice(0, 20));
  });
});
