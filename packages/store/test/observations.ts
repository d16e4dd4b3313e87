// Builders for store tests: real Asset and Finding shapes with stable ids, as the engine would produce them.
import { type Asset, type Finding, findingId, type Severity, subjectRef } from "@aigov/core";
import type { Observation, TargetRecord } from "../src/index.ts";

export function target(account: string, region = "us-east-1"): TargetRecord {
  return { key: `aws:${account}:${region}`, provider: "aws", account, region, label: `acct-${account}` };
}

export function endpoint(
  account: string,
  region: string,
  name: string,
  models: string[] = ["anthropic.claude-3-haiku"],
): Asset {
  return {
    subject: "asset",
    provider: "aws",
    account,
    region,
    kind: "endpoint",
    type: "AWS::SageMaker::Endpoint",
    id: `arn:aws:sagemaker:${region}:${account}:endpoint/${name}`,
    name,
    tags: {},
    models,
    native: {},
  };
}

export function finding(
  ruleId: string,
  asset: Asset,
  severity: Severity = "high",
  status: Finding["status"] = "open",
): Finding {
  const subject = subjectRef(asset);
  return {
    id: findingId(ruleId, subject),
    ruleId,
    title: ruleId,
    severity,
    status,
    subject,
    message: `${ruleId} on ${asset.name}`,
    evidence: [],
    remediation: { text: "fix it" },
    references: [],
    frameworks: {},
    observedAt: "2026-11-22T00:00:00.000Z",
  };
}

export function observe(t: TargetRecord, asset: Asset, findings: Finding[]): Observation {
  return { targetKey: t.key, subject: asset, findings };
}
