import type { YamlPath } from "@aigov/core";
import { checkUnique, type NamedTree, treeNames, type WorldSection } from "../../core/world-loader.ts";
import type { AwsOrganizationalUnit, AwsRegion, AwsWorld } from "./world.ts";
import schema from "./world.schema.json" with { type: "json" };

/** The field that names the entries of each list of a region, unique within the region. */
const ENTRY_NAMES: { readonly [Service in keyof AwsRegion]-?: Readonly<Record<string, string>> } = {
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
    clusters: "ClusterName",
    monitoringSchedules: "MonitoringScheduleName",
  },
  bedrock: {
    customModels: "modelName",
    importedModels: "modelName",
    provisionedThroughputs: "provisionedModelName",
    guardrails: "name",
    inferenceProfiles: "inferenceProfileName",
    marketplaceEndpoints: "modelSourceIdentifier",
    foundationModels: "modelId",
  },
  bedrockAgent: { agents: "agentName", knowledgeBases: "name", flows: "name", prompts: "name" },
  bedrockAgentCore: {
    agentRuntimes: "agentRuntimeName",
    gateways: "name",
    memories: "name",
    browsers: "name",
    codeInterpreters: "name",
    apiKeyCredentialProviders: "name",
    oauth2CredentialProviders: "name",
  },
  qbusiness: { applications: "displayName" },
  lambda: { functions: "FunctionName" },
  // ECS families repeat across revisions: a task definition is named by family and revision.
  ecs: { taskDefinitions: "family" },
  ssm: { parameters: "Name" },
  cloudtrail: {},
  // Several endpoints may reach one service (one per VPC); an id, when given, is EC2's to keep unique.
  ec2: {},
  logs: { logGroups: "logGroupName" },
  s3: { buckets: "Name" },
};

const OU_TREE: NamedTree<AwsOrganizationalUnit> = { nameField: "name", childrenField: "ous", what: "OU" };

/** The world file's `aws:` section: its schema, and the references between its entries. */
export const awsWorldSection: WorldSection<AwsWorld> = {
  key: "aws",
  schema,
  checkReferences(aws, fail) {
    const accountIds = new Set<string>();
    const ous =
      aws.organization === undefined
        ? undefined
        : treeNames(aws.organization.ous ?? [], OU_TREE, ["organization", "ous"], fail);
    for (const [a, account] of (aws.accounts ?? []).entries()) {
      const path: YamlPath = ["accounts", a];
      if (accountIds.has(account.id)) fail([...path, "id"], `duplicate account id ${account.id}`);
      accountIds.add(account.id);
      if (account.ou !== undefined) {
        if (ous === undefined) fail([...path, "ou"], "an OU needs an organization section");
        else if (!ous.has(account.ou))
          fail(
            [...path, "ou"],
            `no OU '${account.ou}' in the organization`,
            "give an OU path of names (Workloads/Prod) or an OU id declared in organization.ous",
          );
      }
      checkUnique(
        account.iam?.users ?? [],
        (user) => user.name,
        { path: [...path, "iam", "users"], nameField: "name", what: "IAM user" },
        fail,
      );
      for (const [region, contents] of Object.entries(account.regions ?? {})) {
        for (const [service, lists] of Object.entries(ENTRY_NAMES)) {
          const section = (contents as Record<string, Record<string, unknown> | undefined> | null)?.[service];
          for (const [list, nameField] of Object.entries(lists)) {
            const entries = section?.[list];
            if (!Array.isArray(entries)) continue;
            checkUnique(
              entries as Record<string, unknown>[],
              (entry) =>
                service === "ecs"
                  ? `${String(entry[nameField])}:${String(entry.revision ?? 1)}`
                  : String(entry[nameField]),
              { path: [...path, "regions", region, service, list], nameField, what: `${list} entry` },
              fail,
            );
          }
        }
      }
    }
    if (aws.organization !== undefined && !accountIds.has(aws.organization.managementAccountId)) {
      fail(
        ["organization", "managementAccountId"],
        `management account ${aws.organization.managementAccountId} is not in aws.accounts`,
      );
    }
    if (aws.caller !== undefined && !accountIds.has(aws.caller.account))
      fail(["caller", "account"], `account ${aws.caller.account} is not in aws.accounts`);
  },
};
