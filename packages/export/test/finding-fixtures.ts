import { type Asset, type Finding, findingId, type Severity, subjectRef, unknown } from "@aigov/core";

/** A SageMaker notebook with root access, as the AWS scanner would normalize it. */
export const notebook: Asset = {
  subject: "asset",
  provider: "aws",
  account: "123456789012",
  region: "eu-west-1",
  kind: "notebook",
  type: "AWS::SageMaker::NotebookInstance",
  id: "arn:aws:sagemaker:eu-west-1:123456789012:notebook-instance/research-nb",
  name: "research-nb",
  tags: { owner: "ml-team" },
  rootAccess: true,
  native: { RootAccess: "Enabled" },
};

/** An Azure OpenAI account with key auth on and a gpt-4o deployment. */
export const openaiAccount: Asset = {
  subject: "asset",
  provider: "azure",
  account: "00000000-1111-2222-3333-444444444444",
  region: "westeurope",
  kind: "ai-account",
  type: "Microsoft.CognitiveServices/accounts",
  id: "/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/ai/providers/Microsoft.CognitiveServices/accounts/contoso-oai",
  name: "contoso-oai",
  tags: unknown("AccessDenied on ListTags"),
  public: true,
  keyAuth: true,
  models: ["gpt-4o"],
  native: { endpoint: "https://contoso-oai.openai.azure.com/" },
};

/** A Vertex AI endpoint whose region is not known (a planned resource, say). */
export const vertexEndpoint: Asset = {
  subject: "asset",
  provider: "gcp",
  account: "acme-ml-prod",
  region: unknown("known after apply"),
  kind: "endpoint",
  type: "aiplatform.googleapis.com/Endpoint",
  id: "projects/acme-ml-prod/locations/us-central1/endpoints/42",
  name: "churn-endpoint",
  tags: {},
  public: false,
  models: ["gemini-1.5-pro"],
  native: {},
};

/** A Bedrock custom model, a model asset in its own right. */
export const bedrockModel: Asset = {
  subject: "asset",
  provider: "aws",
  account: "123456789012",
  region: "us-east-1",
  kind: "model",
  type: "AWS::Bedrock::CustomModel",
  id: "arn:aws:bedrock:us-east-1:123456789012:custom-model/anthropic.claude-3-haiku-20240307-v1:0/abc",
  name: "anthropic.claude-3-haiku-20240307-v1:0",
  tags: {},
  native: { task: "text-generation" },
};

export interface FindingOverrides {
  readonly ruleId?: string;
  readonly severity?: Severity;
  readonly status?: Finding["status"];
  readonly title?: string;
  readonly message?: string;
  readonly frameworks?: Finding["frameworks"];
  readonly observedAt?: string;
}

/** A finding the way the rule engine builds it: stable id from the rule and the subject. */
export function findingFor(asset: Asset, overrides: FindingOverrides = {}): Finding {
  const ruleId = overrides.ruleId ?? "aws-sagemaker-notebook-root-access";
  const subject = subjectRef(asset);
  return {
    id: findingId(ruleId, subject),
    ruleId,
    title: overrides.title ?? "SageMaker notebook gives users root access",
    severity: overrides.severity ?? "medium",
    status: overrides.status ?? "open",
    subject,
    message: overrides.message ?? `${asset.name} lets notebook users become root`,
    evidence: [{ field: "rootAccess", value: true, expected: "eq true" }],
    remediation: {
      text: "Disable root access on the notebook instance.",
      terraform: 'root_access = "Disabled"',
      cli: "aws sagemaker update-notebook-instance --notebook-instance-name NAME --root-access Disabled",
    },
    references: ["https://docs.aws.amazon.com/sagemaker/latest/dg/nbi-root-access.html"],
    frameworks: overrides.frameworks ?? { "owasp-llm-2025": ["LLM06"], "nist-ai-rmf": ["MANAGE-2.2"] },
    observedAt: overrides.observedAt ?? "2026-11-22T04:05:07.123Z",
  };
}

/** `count` distinct findings (distinct subjects, so distinct stable ids). */
export function manyFindings(count: number, overrides: FindingOverrides = {}): Finding[] {
  return Array.from({ length: count }, (_, index) =>
    findingFor(
      { ...notebook, id: `${notebook.id}-${index}`, name: `nb-${index}` },
      { ...overrides, message: `nb-${index} lets notebook users become root` },
    ),
  );
}
