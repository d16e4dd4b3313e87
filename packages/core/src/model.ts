import type { Maybe, Tri } from "./unknown.ts";

export type Provider = "aws" | "azure" | "gcp";
export const PROVIDERS: readonly Provider[] = ["aws", "azure", "gcp"];

/** The closed vocabulary of what an AI thing is, shared by the three clouds and by planned resources. */
export const ASSET_KINDS = [
  "model",
  "endpoint",
  "endpoint-config",
  "deployment",
  "ai-account",
  "notebook",
  "agent",
  "knowledge-base",
  "guardrail",
  "training-job",
  "workspace",
  "compute",
  "dataset",
  "feature-store",
  "index",
  "inference-profile",
  "provisioned-throughput",
  "model-registry",
  "key",
  "logging-config",
  "enabled-api",
  "search",
  // Agents' building blocks: a gateway exposing tools to agents, a tool an agent calls (a gateway target, an action
  // group, a browser or code sandbox), an agent's memory, a stored credential it uses to reach a tool or a third party
  // (a credential provider, a connection holding a key), the identity it acts as.
  "gateway",
  "tool",
  "memory",
  "credential-provider",
  "identity",
  // A managed prompt or prompt template (Bedrock prompt management, a Firebase AI Logic template).
  "prompt",
  // An assistant application end users talk to, bundling agents, indexes and retrievers (Q Business, CES apps).
  "application",
  // A project- or account-wide AI setting (model access, data sharing, an enforced guardrail, a release channel).
  "setting",
  // An AI resource of a type aigov's catalog does not name yet (a provider's newer type): judged as owned AI.
  "unclassified",
  "other",
] as const;
export type AssetKind = (typeof ASSET_KINDS)[number];

/**
 * The normalized facts of an Asset: one name and meaning whichever cloud, provider (aws, awscc, azurerm, azapi,
 * google) or path (a sweep, a plan) established them, so a rule reads each fact once for every shape.
 */
export const ASSET_FACTS = [
  "public",
  "keyAuth",
  "cmk",
  "logging",
  "models",
  "owner",
  "createdAt",
  "guardrail",
  "privateNetwork",
  "rootAccess",
  "outboundRestricted",
  "imdsV1",
  "platform",
  "ssoAuth",
  "publicSsh",
  "capacity",
  "customSubdomain",
  "managedIdentity",
  "secureBoot",
  "filters",
  "authorizer",
  "reach",
  "crossRegionProcessing",
  "modelAutoUpgrade",
  "minNodes",
  "publicBehindPrivateNetwork",
  "legacyMode",
  "trustedServicesBypass",
  "internetAccess",
  "defaultServiceAccount",
  "terminal",
  "fileDownloads",
  "integrityMonitoring",
  "administrator",
] as const satisfies readonly (keyof Asset)[];
export type AssetFact = (typeof ASSET_FACTS)[number];

export type SubjectType = "asset" | "key" | "api-call";
export const SUBJECT_TYPES: readonly SubjectType[] = ["asset", "key", "api-call"];

/** What a terraform plan (or cdktf synth) does to a planned asset. */
export type ChangeAction = "create" | "update" | "replace" | "delete" | "no-op" | "import" | "read";

export interface PlannedChange {
  readonly action: ChangeAction;
  /** The raw terraform actions, e.g. ["delete","create"]. */
  readonly actions: readonly string[];
  /** Top-level attribute names whose value changes (for updates and replaces). */
  readonly changedAttributes: readonly string[];
  readonly importing: boolean;
}

/**
 * One AI thing: a live resource found by a sweep, or a planned resource in a terraform plan.
 * Normalized facts are shared across clouds so one rule can judge all three; each may be Unknown,
 * and is left out (undefined) only when it does not apply to this kind of asset.
 */
export interface Asset {
  readonly subject: "asset";
  readonly provider: Provider;
  /** AWS account id, Azure subscription id, GCP project id (Unknown for a planned asset whose account is not in the plan). */
  readonly account: Maybe<string>;
  readonly region: Maybe<string>;
  readonly kind: AssetKind;
  /** Native type: `AWS::SageMaker::Endpoint`, `Microsoft.CognitiveServices/accounts`, `aws_sagemaker_endpoint` … */
  readonly type: string;
  /** ARN / ARM id / GCP resource name; the terraform address for a planned asset. */
  readonly id: string;
  readonly name: string;
  readonly tags: Maybe<Readonly<Record<string, string>>>;
  /** Reachable from the internet (public network access, direct internet access, public endpoint). */
  readonly public?: Tri;
  /** Accepts static keys (local auth, API keys) besides identity-based auth. */
  readonly keyAuth?: Tri;
  /** Encrypted with a customer-managed key. */
  readonly cmk?: Tri;
  /** Invocation / diagnostic logging is on. */
  readonly logging?: Tri;
  /** Model identifiers this asset serves or is built from (e.g. `anthropic.claude-3-haiku`, `gpt-4o`). */
  readonly models?: Maybe<readonly string[]>;
  /** Owner as read by the normalizer; the policy's owner tags fill it in when absent. */
  readonly owner?: Maybe<string>;
  /** ISO-8601. */
  readonly createdAt?: Maybe<string>;
  /** Guardrail / content filter attached. */
  readonly guardrail?: Tri;
  /** Runs inside a private network (VPC, VNet, private endpoint). */
  readonly privateNetwork?: Tri;
  /** Root / admin access for users (notebooks). */
  readonly rootAccess?: Tri;
  /**
   * Outbound network access is limited to approved destinations: SageMaker network isolation, an Azure AI account's
   * restricted outbound access, an AI Foundry hub / ML workspace managed network allowing only approved outbound.
   */
  readonly outboundRestricted?: Tri;
  /** The instance metadata service answers version 1 requests, which need no session token (SageMaker notebooks). */
  readonly imdsV1?: Tri;
  /** The OS / runtime platform the provider maintains (a SageMaker notebook's platform identifier). */
  readonly platform?: Maybe<string>;
  /** Users sign in through the organization's identity provider (IAM Identity Center), not IAM users and roles. */
  readonly ssoAuth?: Tri;
  /** SSH is reachable from the internet (Azure ML compute). */
  readonly publicSsh?: Tri;
  /** Provisioned capacity in the service's own unit (an Azure OpenAI deployment's sku capacity, thousands of TPM). */
  readonly capacity?: Maybe<number>;
  /** Has its own endpoint subdomain, which Entra ID authentication and private endpoints need (Azure AI accounts). */
  readonly customSubdomain?: Tri;
  /** Acts with a managed identity of its own (system- or user-assigned) rather than keys. */
  readonly managedIdentity?: Tri;
  /** The VM boots with Secure Boot (a Shielded VM: Vertex AI Workbench and notebook instances). */
  readonly secureBoot?: Tri;
  /**
   * A part of another AI resource (an alias, a version, a deployment inside an account, a gateway's target) that
   * cannot carry an owner of its own: ownership rules judge its parent instead.
   */
  readonly part?: boolean;
  /** What a guardrail filters (a Bedrock guardrail, an Azure RAI policy). */
  readonly filters?: Maybe<GuardrailFilters>;
  /** How callers are authenticated: by cloud identity, a JWT / OAuth authorizer, a static key, or not at all. */
  readonly authorizer?: Maybe<Authorizer>;
  /** Where a tool an agent calls reaches: its own account, another account, the internet, or the calling client. */
  readonly reach?: Maybe<ToolReach>;
  /** Requests may be processed outside the resource's region (an Azure OpenAI Global or Data Zone deployment). */
  readonly crossRegionProcessing?: Tri;
  /** The provider moves it to a newer model version without a change of its own (Azure OpenAI's upgrade option). */
  readonly modelAutoUpgrade?: Tri;
  /** Nodes kept running when idle (an Azure ML compute cluster's minimum node count). */
  readonly minNodes?: Maybe<number>;
  /** Reachable from the internet although it is in a private network (an ML workspace's public access behind VNet). */
  readonly publicBehindPrivateNetwork?: Tri;
  /** Runs in a legacy mode that bypasses newer controls (an Azure ML workspace's v1 legacy mode). */
  readonly legacyMode?: Tri;
  /** The network ACL denies by default but lets Azure's trusted services through (an Azure AI account's bypass). */
  readonly trustedServicesBypass?: Tri;
  /** Reaches the public internet directly rather than only through its network (a Colab Enterprise runtime). */
  readonly internetAccess?: Tri;
  /** Runs as the project's Compute Engine default service account (Editor on the project unless restricted). */
  readonly defaultServiceAccount?: Tri;
  /** Gives its users a terminal (a Workbench instance's JupyterLab terminal). */
  readonly terminal?: Tri;
  /** Lets users download files from the notebook UI (a Workbench instance's JupyterLab). */
  readonly fileDownloads?: Tri;
  /** The VM has vTPM and integrity monitoring on (a Shielded VM: Vertex AI Workbench instances). */
  readonly integrityMonitoring?: Tri;
  /**
   * Holds administrative privileges, or acts as an identity that does: an agent whose execution role has
   * AdministratorAccess, an IAM principal with it.
   */
  readonly administrator?: Tri;
  /** The provider's own properties, for precise rules. */
  readonly native: Readonly<Record<string, unknown>>;
  /** Present on planned assets only. */
  readonly change?: PlannedChange;
  /** Where the asset was declared: plan file and terraform address, cdktf construct path … */
  readonly source?: SourceLocation;
}

export type Authorizer = "iam" | "jwt" | "key" | "none";
export type ToolReach = "account" | "other-account" | "internet" | "client";

/** A guardrail's policies in terms shared across clouds; each part Unknown when it is not known yet. */
export interface GuardrailFilters {
  /** Harmful-content categories it blocks, lower-case (hate, insults, sexual, violence, misconduct, self-harm). */
  readonly harmfulContent: Maybe<readonly string[]>;
  /** Strength of its filter against prompt attacks (jailbreaks, prompt injection) on input. */
  readonly promptAttack: Maybe<"none" | "low" | "medium" | "high">;
  /** It detects sensitive information (PII, custom patterns) and blocks or masks it. */
  readonly sensitiveInformation: Tri;
  /** It checks that responses are grounded in their sources and relevant to the query. */
  readonly grounding: Tri;
}

export interface SourceLocation {
  readonly file?: string;
  readonly line?: number;
  /** cdktf construct path, terraform module address … */
  readonly path?: string;
}

export type KeyVendor =
  | "aws-bedrock"
  | "azure-ai"
  | "gcp"
  | "openai"
  | "anthropic"
  | "google-gemini"
  | "huggingface"
  | "perplexity"
  | "groq"
  | "xai"
  | "openrouter"
  | "replicate"
  | "other";

/**
 * An AI credential. Its secret value is never stored: `redacted` keeps a prefix and the last 4 characters,
 * `fingerprint` a SHA-256 so the same key found twice is recognised.
 */
export interface Key {
  readonly subject: "key";
  readonly provider: Provider;
  readonly account: Maybe<string>;
  readonly region: Maybe<string>;
  readonly kind: "key";
  /** `bedrock-api-key`, `azure-ai-account-key`, `gcp-api-key`, `third-party-ai-key` … */
  readonly type: string;
  readonly vendor: KeyVendor;
  /** Stable id of the key (credential id, or the location for a third-party key in configuration). */
  readonly id: string;
  readonly name: string;
  /** `sk-proj-…a1b2`; absent when the scanner sees only metadata (Bedrock API key ids). */
  readonly redacted?: string;
  /** SHA-256 hex of the secret value; absent when the value was never seen. */
  readonly fingerprint?: string;
  /**
   * Where the key sits: "lambda:function-name:env:OPENAI_API_KEY", "iam-user:alice", or the holder's id and the JSON
   * path of the field (`arn:aws:sagemaker:…:training-job/x#HyperParameters.hf_token`, see secret-screen.ts).
   */
  readonly location: string;
  readonly status?: Maybe<"active" | "inactive">;
  readonly createdAt?: Maybe<string>;
  /** ISO-8601; null means the key never expires. */
  readonly expiresAt?: Maybe<string | null>;
  readonly lastUsedAt?: Maybe<string | null>;
  /** The key may call any API (GCP API key without API restrictions). */
  readonly unrestricted?: Tri;
  /** APIs the key may reach (GCP API key targets). */
  readonly apiTargets?: Maybe<readonly string[]>;
  readonly tags: Maybe<Readonly<Record<string, string>>>;
  readonly native: Readonly<Record<string, unknown>>;
  readonly change?: PlannedChange;
  readonly source?: SourceLocation;
}

export type AuthType = "iam" | "key" | "bearer" | "unknown";

/**
 * Who made a call: a person (`human`: an IAM user, root, an SSO or SAML session, an Entra user), software the
 * organization runs under its own identity (`workload`: a role, a service account, a managed identity, a service
 * principal), or the cloud provider's own service acting for the account (`cloud-service`: AWS `AWSService` callers,
 * `invokedBy` and service-linked roles, Azure first-party applications, GCP service agents). `unidentified`: the log
 * names no caller that says which (an API key, a redacted caller, another account's principal) — known not to be
 * the cloud's own service, so rules that leave cloud services out (`actor ne cloud-service`) still judge it.
 */
export const ACTORS = ["human", "workload", "cloud-service", "unidentified"] as const;
export type Actor = (typeof ACTORS)[number];

/** One AI API call read from a log. */
export interface ApiCall {
  readonly subject: "api-call";
  readonly provider: Provider;
  readonly account: Maybe<string>;
  readonly region: Maybe<string>;
  /** ISO-8601. */
  readonly time: string;
  /** `bedrock`, `bedrock-mantle`, `sagemaker`, `azure-openai`, `vertex-ai`, `gemini` … */
  readonly service: string;
  readonly operation: string;
  /** The caller's identity: IAM ARN, Entra object id / UPN, GCP principal email. */
  readonly principal: Maybe<string>;
  /** What kind of caller the principal is. */
  readonly actor?: Actor;
  /**
   * The call runs a model (InvokeModel, Converse, ChatCompletions, GenerateContent, Predict …): usage. Discovery reads
   * (ListFoundationModels, GetFoundationModelAvailability …) and control-plane calls are not.
   */
  readonly usage?: boolean;
  readonly sourceIp?: Maybe<string>;
  readonly userAgent?: Maybe<string>;
  readonly model?: Maybe<string>;
  readonly authType: AuthType;
  readonly outcome: "success" | "failure";
  readonly errorCode?: string;
  /** The log's own event id (CloudTrail eventID, Azure correlation id, GCP insertId). */
  readonly eventId: string;
  /** Where it was read from: file and line/offset, or the query that returned it. */
  readonly source?: SourceLocation;
  /** The raw record, for evidence and precise rules. */
  readonly native: Readonly<Record<string, unknown>>;
}

export type Subject = Asset | Key | ApiCall;

export const SEVERITIES = ["info", "low", "medium", "high", "critical"] as const;
export type Severity = (typeof SEVERITIES)[number];

export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

export function isAtLeast(severity: Severity, threshold: Severity): boolean {
  return severityRank(severity) >= severityRank(threshold);
}
