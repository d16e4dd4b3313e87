import { readFile } from "node:fs/promises";
import { AigovError, type Position, parseYamlSource } from "@aigov/core";

/**
 * The world file: what the simulated clouds contain. One YAML document with a section per cloud (`aws:` now;
 * `azure:` and `gcp:` are reserved for the simulators that come later), so one file can describe a whole estate.
 *
 * Resource entries are written in the shape the real API returns them (same field names and casing: SageMaker
 * `EndpointName`, Bedrock `modelName`, CloudTrail `eventName` …), so anything the real Describe/Get call returns
 * can be put in the world and comes back unchanged. Keys the simulator itself reads are lower-case
 * (`tags`, `roles`, `regions` …). Timestamps are ISO-8601 strings; the server renders them the way each
 * protocol does (epoch seconds in awsJson1_1, ISO strings in restJson1 and awsQuery XML).
 */
export interface World {
  /** Format version; only 1 exists. */
  readonly version?: 1;
  readonly aws?: AwsWorld;
}

/** A tag map as the world writes it; the server turns it into each API's tag shape. */
export type Tags = Readonly<Record<string, string>>;

/** Any further API fields a resource carries, passed through to the responses unchanged. */
export interface ApiFields {
  readonly [field: string]: unknown;
}

export interface AwsWorld {
  /** The identity the base (non-assumed) credentials belong to. Default: the management account, else the first account. */
  readonly caller?: { readonly account: string; readonly arn?: string };
  readonly organization?: AwsOrganization;
  readonly accounts: readonly AwsAccount[];
}

export interface AwsOrganization {
  /** `o-` + 10..32 lower-case letters/digits. Default `o-aigovsim01`. */
  readonly id?: string;
  readonly managementAccountId: string;
  /** `r-` + 4..32 characters. Default `r-sim0`. */
  readonly rootId?: string;
  readonly featureSet?: "ALL" | "CONSOLIDATED_BILLING";
  readonly ous?: readonly AwsOrganizationalUnit[];
}

export interface AwsOrganizationalUnit {
  readonly name: string;
  /** `ou-<root suffix>-<8 chars>`; generated from the path when absent. */
  readonly id?: string;
  readonly tags?: Tags;
  readonly ous?: readonly AwsOrganizationalUnit[];
}

export type AwsAccountStatus = "ACTIVE" | "SUSPENDED" | "PENDING_CLOSURE";

export interface AwsAccount {
  /** 12 digits; write it quoted in YAML so leading zeros survive. */
  readonly id: string;
  readonly name: string;
  readonly email?: string;
  readonly status?: AwsAccountStatus;
  /** The OU the account sits in: a path of OU names (`Workloads/Prod`) or an OU id. Absent: directly under the root. */
  readonly ou?: string;
  readonly tags?: Tags;
  /** When the account joined the organization (ISO-8601). */
  readonly joined?: string;
  /**
   * Roles other principals may assume into this account. When absent, any role name can be assumed (without an
   * external id): convenient for big generated worlds. When present, only the listed roles exist.
   */
  readonly roles?: readonly AwsRole[];
  readonly iam?: AwsIam;
  /** The regions enabled in this account, each with what it contains (`us-east-1: {}` for an empty region). */
  readonly regions?: Readonly<Record<string, AwsRegion>>;
}

export interface AwsRole {
  readonly name: string;
  /** When set, AssumeRole must pass exactly this ExternalId. */
  readonly externalId?: string;
  /** false: the trust policy does not let the caller in; AssumeRole fails with AccessDenied. Default true. */
  readonly assumable?: boolean;
}

export interface AwsIam {
  readonly users?: readonly AwsIamUser[];
}

export interface AwsIamUser {
  readonly name: string;
  /** Default `AIDA` + a stable id derived from the name. */
  readonly id?: string;
  readonly created?: string;
  readonly path?: string;
  readonly tags?: Tags;
  readonly serviceSpecificCredentials?: readonly AwsServiceSpecificCredential[];
}

/** IAM service-specific credentials; `service: bedrock.amazonaws.com` are the long-term Bedrock API keys. */
export interface AwsServiceSpecificCredential {
  readonly id: string;
  /** Default `bedrock.amazonaws.com`. */
  readonly service?: string;
  readonly status?: "Active" | "Inactive" | "Expired";
  readonly created?: string;
  /** ISO-8601, or absent / null: never expires. */
  readonly expires?: string | null;
  /** The user name part of the credential (Bedrock keys: `<user>-at-<account>`); generated when absent. */
  readonly serviceUserName?: string;
  /** Bedrock API keys have a credential alias shown instead of a user name. */
  readonly serviceCredentialAlias?: string;
}

export interface AwsRegion {
  readonly sagemaker?: SageMakerRegion;
  readonly bedrock?: BedrockRegion;
  readonly bedrockAgent?: BedrockAgentRegion;
  readonly lambda?: { readonly functions?: readonly LambdaFunction[] };
  readonly ecs?: { readonly taskDefinitions?: readonly EcsTaskDefinition[] };
  readonly ssm?: { readonly parameters?: readonly SsmParameter[] };
  readonly cloudtrail?: { readonly events?: readonly CloudTrailEvent[] };
}

/** Every resource may carry `tags`, returned by the service's tag-listing call (and inline where the API inlines them). */
export interface Tagged {
  readonly tags?: Tags;
}

export interface SageMakerRegion {
  readonly endpoints?: readonly (Tagged &
    ApiFields & { readonly EndpointName: string; readonly EndpointConfigName: string })[];
  readonly endpointConfigs?: readonly (Tagged &
    ApiFields & {
      readonly EndpointConfigName: string;
      readonly ProductionVariants?: readonly ApiFields[];
      readonly KmsKeyId?: string;
      readonly DataCaptureConfig?: ApiFields;
    })[];
  readonly models?: readonly (Tagged &
    ApiFields & {
      readonly ModelName: string;
      readonly EnableNetworkIsolation?: boolean;
      readonly VpcConfig?: ApiFields;
    })[];
  readonly notebookInstances?: readonly (Tagged &
    ApiFields & {
      readonly NotebookInstanceName: string;
      readonly DirectInternetAccess?: "Enabled" | "Disabled";
      readonly RootAccess?: "Enabled" | "Disabled";
      readonly KmsKeyId?: string;
      readonly SubnetId?: string;
      readonly NotebookInstanceLifecycleConfigName?: string;
    })[];
  readonly domains?: readonly (Tagged &
    ApiFields & {
      readonly DomainName: string;
      readonly DomainId?: string;
      readonly AuthMode?: "SSO" | "IAM";
      readonly AppNetworkAccessType?: "PublicInternetOnly" | "VpcOnly";
    })[];
  readonly trainingJobs?: readonly (Tagged & ApiFields & { readonly TrainingJobName: string })[];
  readonly processingJobs?: readonly (Tagged & ApiFields & { readonly ProcessingJobName: string })[];
  readonly inferenceComponents?: readonly (Tagged &
    ApiFields & { readonly InferenceComponentName: string; readonly EndpointName: string })[];
  readonly modelPackageGroups?: readonly (Tagged & ApiFields & { readonly ModelPackageGroupName: string })[];
}

export interface BedrockRegion {
  readonly customModels?: readonly (Tagged & ApiFields & { readonly modelName: string })[];
  readonly importedModels?: readonly (Tagged & ApiFields & { readonly modelName: string })[];
  readonly provisionedThroughputs?: readonly (Tagged & ApiFields & { readonly provisionedModelName: string })[];
  /** The model invocation logging configuration (`loggingConfig`); absent or null: logging is not configured. */
  readonly invocationLogging?: ApiFields | null;
  readonly guardrails?: readonly (Tagged & ApiFields & { readonly name: string })[];
  readonly inferenceProfiles?: readonly (Tagged & ApiFields & { readonly inferenceProfileName: string })[];
  readonly marketplaceEndpoints?: readonly (Tagged &
    ApiFields & { readonly endpointName?: string; readonly modelSourceIdentifier: string })[];
  /** ListFoundationModels; absent: a small built-in catalogue. */
  readonly foundationModels?: readonly (ApiFields & { readonly modelId: string })[];
}

export interface BedrockAgentRegion {
  readonly agents?: readonly (Tagged &
    ApiFields & {
      readonly agentName: string;
      readonly foundationModel?: string;
      readonly guardrailConfiguration?: ApiFields;
    })[];
  readonly knowledgeBases?: readonly (Tagged &
    ApiFields & { readonly name: string; readonly dataSources?: readonly (ApiFields & { readonly name: string })[] })[];
}

export interface LambdaFunction extends Tagged, ApiFields {
  readonly FunctionName: string;
  readonly Environment?: { readonly Variables?: Readonly<Record<string, string>> };
}

export interface EcsTaskDefinition extends Tagged, ApiFields {
  readonly family: string;
  /** Default 1. */
  readonly revision?: number;
  readonly containerDefinitions?: readonly (ApiFields & {
    readonly name: string;
    readonly environment?: readonly { readonly name: string; readonly value: string }[];
  })[];
}

export interface SsmParameter extends Tagged, ApiFields {
  readonly Name: string;
  /** Default String. SecureString values are returned only as the encrypted blob, never in clear (see README). */
  readonly Type?: "String" | "StringList" | "SecureString";
  readonly Value: string;
}

/** One CloudTrail record, as in the `CloudTrailEvent` JSON string LookupEvents returns. */
export interface CloudTrailEvent extends ApiFields {
  readonly eventName: string;
  readonly eventSource: string;
  readonly eventTime: string;
  /** LookupEvents' `Username`; default: derived from userIdentity (user name, or the role session's name). */
  readonly username?: string;
  readonly userIdentity?: ApiFields;
  readonly sourceIPAddress?: string;
  readonly userAgent?: string;
  readonly requestParameters?: ApiFields | null;
  readonly additionalEventData?: ApiFields;
  readonly errorCode?: string;
  readonly errorMessage?: string;
  readonly eventId?: string;
  readonly readOnly?: boolean;
}

/** Loads and checks a world file. Errors are AigovErrors with file:line:column. */
export async function loadWorld(path: string): Promise<World> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new AigovError("SIM_WORLD_UNREADABLE", `cannot read world file ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return parseWorld(text, path);
}

/** World files are generated for big benchmarks (hundreds of accounts), so they may be far larger than a policy file. */
const WORLD_YAML_LIMITS = { maxBytes: 256 * 1024 * 1024, maxAliases: 10_000 };

/** Parses world YAML text; `file` names it in error messages. */
export function parseWorld(text: string, file = "<world>"): World {
  const source = parseYamlSource(text, file, WORLD_YAML_LIMITS);
  validateWorld(source.value, (path) => source.locate(path));
  return source.value as World;
}

/** Checks a world given as an object (e.g. built by a test or a benchmark); throws AigovError on a defect. */
export function checkWorld(world: unknown): World {
  validateWorld(world, () => ({ file: "<world object>" }));
  return world as World;
}

type Path = readonly (string | number)[];
type Locate = (path: Path) => Position;

const ACCOUNT_ID = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const REGION_SERVICES = ["sagemaker", "bedrock", "bedrockAgent", "lambda", "ecs", "ssm", "cloudtrail"] as const;

/** Which list each region section holds and the field that names each entry (must be present and unique). */
const REGION_LISTS: Readonly<Record<(typeof REGION_SERVICES)[number], Readonly<Record<string, string | undefined>>>> = {
  sagemaker: {
    endpoints: "EndpointName",
    endpointConfigs: "EndpointConfigName",
    models: "ModelName",
    notebookInstances: "NotebookInstanceName",
    domains: "DomainName",
    trainingJobs: "TrainingJobName",
    processingJobs: "ProcessingJobName",
    inferenceComponents: "InferenceComponentName",
    modelPackageGroups: "ModelPackageGroupName",
  },
  bedrock: {
    customModels: "modelName",
    importedModels: "modelName",
    provisionedThroughputs: "provisionedModelName",
    invocationLogging: undefined,
    guardrails: "name",
    inferenceProfiles: "inferenceProfileName",
    marketplaceEndpoints: "modelSourceIdentifier",
    foundationModels: "modelId",
  },
  bedrockAgent: { agents: "agentName", knowledgeBases: "name" },
  lambda: { functions: "FunctionName" },
  ecs: { taskDefinitions: "family" },
  ssm: { parameters: "Name" },
  cloudtrail: { events: undefined },
};

function validateWorld(value: unknown, locate: Locate): void {
  const fail = (path: Path, message: string, hint?: string): never => {
    throw new AigovError(
      "SIM_WORLD_INVALID",
      `world ${formatPath(path)}: ${message}`,
      hint === undefined ? { position: locate(path) } : { position: locate(path), hint },
    );
  };
  const object = (v: unknown, path: Path): Record<string, unknown> => {
    if (v === null || typeof v !== "object" || Array.isArray(v)) fail(path, "must be a mapping");
    return v as Record<string, unknown>;
  };
  const list = (v: unknown, path: Path): unknown[] => {
    if (!Array.isArray(v)) fail(path, "must be a list");
    return v as unknown[];
  };
  const keys = (o: Record<string, unknown>, path: Path, allowed: readonly string[]) => {
    for (const key of Object.keys(o))
      if (!allowed.includes(key)) fail([...path, key], `unknown key '${key}'`, `allowed here: ${allowed.join(", ")}`);
  };
  const string = (o: Record<string, unknown>, key: string, path: Path, required: boolean) => {
    const v = o[key];
    if (v === undefined && !required) return undefined;
    if (typeof v !== "string" || v === "")
      fail([...path, key], v === undefined ? `'${key}' is required` : `'${key}' must be a non-empty string`);
    return v as string;
  };
  const timestamp = (o: Record<string, unknown>, key: string, path: Path) => {
    const v = o[key];
    if (v === undefined || v === null) return;
    if (typeof v !== "string" || Number.isNaN(Date.parse(v)))
      fail([...path, key], `'${key}' must be an ISO-8601 timestamp`);
  };
  const tags = (o: Record<string, unknown>, path: Path) => {
    if (o.tags === undefined) return;
    const t = object(o.tags, [...path, "tags"]);
    for (const [k, v] of Object.entries(t))
      if (typeof v !== "string") fail([...path, "tags", k], "tag values must be strings (quote numbers)");
  };

  const root = object(value ?? {}, []);
  keys(root, [], ["version", "aws", "azure", "gcp"]);
  if (root.version !== undefined && root.version !== 1) fail(["version"], "only version 1 exists");
  for (const cloud of ["azure", "gcp"]) {
    if (root[cloud] !== undefined)
      fail([cloud], `the ${cloud} simulator is not implemented yet`, "only the aws section is served today");
  }
  if (root.aws === undefined) return;
  const aws = object(root.aws, ["aws"]);
  keys(aws, ["aws"], ["caller", "organization", "accounts"]);
  const accounts = list(aws.accounts ?? [], ["aws", "accounts"]);
  const accountIds = new Set<string>();
  const ouPaths = new Set<string>();
  const ouIds = new Set<string>();

  if (aws.organization !== undefined) {
    const org = object(aws.organization, ["aws", "organization"]);
    keys(org, ["aws", "organization"], ["id", "managementAccountId", "rootId", "featureSet", "ous"]);
    const mgmt = org.managementAccountId;
    if (typeof mgmt !== "string" || !ACCOUNT_ID.test(mgmt))
      fail(["aws", "organization", "managementAccountId"], "must be a quoted 12-digit account id");
    if (org.id !== undefined && !/^o-[a-z0-9]{10,32}$/.test(String(org.id)))
      fail(["aws", "organization", "id"], "must look like o-abcdef1234 (o- and 10..32 lower-case letters or digits)");
    if (org.rootId !== undefined && !/^r-[0-9a-z]{4,32}$/.test(String(org.rootId)))
      fail(["aws", "organization", "rootId"], "must look like r-ab12");
    if (org.featureSet !== undefined && org.featureSet !== "ALL" && org.featureSet !== "CONSOLIDATED_BILLING")
      fail(["aws", "organization", "featureSet"], "must be ALL or CONSOLIDATED_BILLING");
    const walk = (ous: unknown, path: Path, prefix: string) => {
      for (const [i, raw] of list(ous, path).entries()) {
        const ou = object(raw, [...path, i]);
        keys(ou, [...path, i], ["name", "id", "tags", "ous"]);
        const name = string(ou, "name", [...path, i], true)!;
        if (name.includes("/")) fail([...path, i, "name"], "OU names cannot contain '/' (it separates OU paths)");
        const id = string(ou, "id", [...path, i], false);
        if (id !== undefined && !/^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/.test(id))
          fail([...path, i, "id"], "must look like ou-ab12-abcd1234");
        const ouPath = prefix === "" ? name : `${prefix}/${name}`;
        if (ouPaths.has(ouPath)) fail([...path, i, "name"], `duplicate OU '${ouPath}'`);
        ouPaths.add(ouPath);
        if (id !== undefined) {
          if (ouIds.has(id)) fail([...path, i, "id"], `duplicate OU id '${id}'`);
          ouIds.add(id);
        }
        tags(ou, [...path, i]);
        if (ou.ous !== undefined) walk(ou.ous, [...path, i, "ous"], ouPath);
      }
    };
    if (org.ous !== undefined) walk(org.ous, ["aws", "organization", "ous"], "");
  }

  for (const [a, raw] of accounts.entries()) {
    const path: Path = ["aws", "accounts", a];
    const account = object(raw, path);
    keys(account, path, ["id", "name", "email", "status", "ou", "tags", "joined", "roles", "iam", "regions"]);
    const id = account.id;
    if (typeof id !== "string" || !ACCOUNT_ID.test(id))
      fail(
        [...path, "id"],
        "must be a quoted 12-digit account id",
        'write id: "123456789012" (quoted, or YAML reads a number)',
      );
    if (accountIds.has(id as string)) fail([...path, "id"], `duplicate account id ${id as string}`);
    accountIds.add(id as string);
    string(account, "name", path, true);
    string(account, "email", path, false);
    if (account.status !== undefined && !["ACTIVE", "SUSPENDED", "PENDING_CLOSURE"].includes(String(account.status)))
      fail([...path, "status"], "must be ACTIVE, SUSPENDED or PENDING_CLOSURE");
    const ou = string(account, "ou", path, false);
    if (ou !== undefined) {
      if (aws.organization === undefined) fail([...path, "ou"], "an OU needs an organization section");
      if (!ouPaths.has(ou) && !ouIds.has(ou))
        fail(
          [...path, "ou"],
          `no OU '${ou}' in the organization`,
          "give an OU path of names (Workloads/Prod) or an OU id declared in organization.ous",
        );
    }
    tags(account, path);
    timestamp(account, "joined", path);
    if (account.roles !== undefined) {
      for (const [r, rawRole] of list(account.roles, [...path, "roles"]).entries()) {
        const role = object(rawRole, [...path, "roles", r]);
        keys(role, [...path, "roles", r], ["name", "externalId", "assumable"]);
        string(role, "name", [...path, "roles", r], true);
        string(role, "externalId", [...path, "roles", r], false);
        if (role.assumable !== undefined && typeof role.assumable !== "boolean")
          fail([...path, "roles", r, "assumable"], "must be true or false");
      }
    }
    if (account.iam !== undefined) {
      const iam = object(account.iam, [...path, "iam"]);
      keys(iam, [...path, "iam"], ["users"]);
      const userNames = new Set<string>();
      for (const [u, rawUser] of list(iam.users ?? [], [...path, "iam", "users"]).entries()) {
        const userPath: Path = [...path, "iam", "users", u];
        const user = object(rawUser, userPath);
        keys(user, userPath, ["name", "id", "created", "path", "tags", "serviceSpecificCredentials"]);
        const name = string(user, "name", userPath, true)!;
        if (userNames.has(name)) fail([...userPath, "name"], `duplicate IAM user '${name}'`);
        userNames.add(name);
        timestamp(user, "created", userPath);
        tags(user, userPath);
        for (const [c, rawCredential] of list(user.serviceSpecificCredentials ?? [], [
          ...userPath,
          "serviceSpecificCredentials",
        ]).entries()) {
          const credentialPath: Path = [...userPath, "serviceSpecificCredentials", c];
          const credential = object(rawCredential, credentialPath);
          keys(credential, credentialPath, [
            "id",
            "service",
            "status",
            "created",
            "expires",
            "serviceUserName",
            "serviceCredentialAlias",
          ]);
          string(credential, "id", credentialPath, true);
          if (credential.status !== undefined && !["Active", "Inactive", "Expired"].includes(String(credential.status)))
            fail([...credentialPath, "status"], "must be Active, Inactive or Expired");
          timestamp(credential, "created", credentialPath);
          timestamp(credential, "expires", credentialPath);
        }
      }
    }
    if (account.regions !== undefined) {
      const regions = object(account.regions, [...path, "regions"]);
      for (const [region, rawRegion] of Object.entries(regions)) {
        const regionPath: Path = [...path, "regions", region];
        if (!REGION.test(region)) fail(regionPath, `'${region}' is not a region name`, "e.g. us-east-1");
        const services = object(rawRegion ?? {}, regionPath);
        keys(services, regionPath, REGION_SERVICES);
        for (const service of REGION_SERVICES) {
          if (services[service] === undefined) continue;
          const section = object(services[service], [...regionPath, service]);
          const lists = REGION_LISTS[service];
          keys(section, [...regionPath, service], Object.keys(lists));
          for (const [listName, nameField] of Object.entries(lists)) {
            const entries = section[listName];
            if (entries === undefined || entries === null) continue;
            if (service === "bedrock" && listName === "invocationLogging") {
              object(entries, [...regionPath, service, listName]);
              continue;
            }
            const seen = new Set<string>();
            for (const [e, rawEntry] of list(entries, [...regionPath, service, listName]).entries()) {
              const entryPath: Path = [...regionPath, service, listName, e];
              const entry = object(rawEntry, entryPath);
              tags(entry, entryPath);
              if (service === "cloudtrail") {
                string(entry, "eventName", entryPath, true);
                string(entry, "eventSource", entryPath, true);
                string(entry, "eventTime", entryPath, true);
                timestamp(entry, "eventTime", entryPath);
                continue;
              }
              if (nameField === undefined) continue;
              const name = string(entry, nameField, entryPath, true)!;
              // ECS families repeat across revisions; everything else is named uniquely within its region.
              const key = service === "ecs" ? `${name}:${String(entry.revision ?? 1)}` : name;
              if (seen.has(key)) fail([...entryPath, nameField], `duplicate ${listName} entry '${key}'`);
              seen.add(key);
              if (service === "ssm") {
                string(entry, "Value", entryPath, true);
                if (entry.Type !== undefined && !["String", "StringList", "SecureString"].includes(String(entry.Type)))
                  fail([...entryPath, "Type"], "must be String, StringList or SecureString");
              }
              if (service === "sagemaker" && listName === "endpoints")
                string(entry, "EndpointConfigName", entryPath, true);
              if (service === "bedrockAgent" && listName === "knowledgeBases" && entry.dataSources !== undefined) {
                for (const [d, rawSource] of list(entry.dataSources, [...entryPath, "dataSources"]).entries()) {
                  string(
                    object(rawSource, [...entryPath, "dataSources", d]),
                    "name",
                    [...entryPath, "dataSources", d],
                    true,
                  );
                }
              }
              if (service === "sagemaker" && listName === "inferenceComponents")
                string(entry, "EndpointName", entryPath, true);
            }
          }
        }
      }
    }
  }

  if (aws.organization !== undefined) {
    const mgmt = (aws.organization as Record<string, unknown>).managementAccountId as string;
    if (!accountIds.has(mgmt))
      fail(["aws", "organization", "managementAccountId"], `management account ${mgmt} is not in aws.accounts`);
  }
  if (aws.caller !== undefined) {
    const caller = object(aws.caller, ["aws", "caller"]);
    keys(caller, ["aws", "caller"], ["account", "arn"]);
    const account = string(caller, "account", ["aws", "caller"], true)!;
    if (!accountIds.has(account)) fail(["aws", "caller", "account"], `account ${account} is not in aws.accounts`);
    string(caller, "arn", ["aws", "caller"], false);
  }
}

function formatPath(path: Path): string {
  if (path.length === 0) return "(top level)";
  return path
    .map((p) => (typeof p === "number" ? `[${p}]` : `.${p}`))
    .join("")
    .replace(/^\./, "");
}
