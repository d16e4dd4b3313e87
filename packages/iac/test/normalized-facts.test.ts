import { createEngine, defaultPolicy, type Engine, loadRules, type Subject } from "@aigov/core";
import { beforeAll, describe, expect, it } from "vitest";
import { normalizeResource } from "../src/index.ts";

// Each rule below once listed a fact in two native shapes (terraform snake_case next to the live API's names, or two
// types' blocks); it now reads one normalized fact. These cases are the shapes: every provider that declares the
// resource (aws and its awscc twin, azurerm, azapi with the ARM body a live resource has, google), each read to the
// fact and judged by the one rule.
interface Case {
  readonly type: string;
  readonly values: Record<string, unknown>;
  readonly unknownPaths?: Record<string, unknown>;
  readonly expect: "violation" | "pass" | "unknown";
}

const azapi = (armType: string, body: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  type: "azapi_resource",
  values: { type: armType, body, ...extra },
});

const CASES: Readonly<Record<string, readonly (Case & { readonly name: string })[]>> = {
  "aws-sagemaker-notebook-imdsv1": [
    { name: "aws, no block (version 1)", type: "aws_sagemaker_notebook_instance", values: {}, expect: "violation" },
    {
      name: "aws, version 2",
      type: "aws_sagemaker_notebook_instance",
      values: { instance_metadata_service_configuration: [{ minimum_instance_metadata_service_version: "2" }] },
      expect: "pass",
    },
    {
      name: "awscc twin, version 2 (a nested object)",
      type: "awscc_sagemaker_notebook_instance",
      values: { instance_metadata_service_configuration: { minimum_instance_metadata_service_version: "2" } },
      expect: "pass",
    },
    { name: "awscc twin, no block", type: "awscc_sagemaker_notebook_instance", values: {}, expect: "violation" },
    {
      name: "aws, version known after apply",
      type: "aws_sagemaker_notebook_instance",
      values: {},
      unknownPaths: { instance_metadata_service_configuration: true },
      expect: "unknown",
    },
  ],
  "aws-sagemaker-notebook-platform-deprecated": [
    {
      name: "aws, Amazon Linux 2",
      type: "aws_sagemaker_notebook_instance",
      values: { platform_identifier: "notebook-al2-v3" },
      expect: "violation",
    },
    {
      name: "aws, AL2023",
      type: "aws_sagemaker_notebook_instance",
      values: { platform_identifier: "notebook-al2023-v1" },
      expect: "pass",
    },
    { name: "aws, AWS picks the platform", type: "aws_sagemaker_notebook_instance", values: {}, expect: "unknown" },
  ],
  "aws-sagemaker-domain-iam-auth": [
    { name: "aws, IAM", type: "aws_sagemaker_domain", values: { auth_mode: "IAM" }, expect: "violation" },
    { name: "awscc twin, SSO", type: "awscc_sagemaker_domain", values: { auth_mode: "SSO" }, expect: "pass" },
  ],
  "aws-sagemaker-model-network-isolation-disabled": [
    { name: "aws, default", type: "aws_sagemaker_model", values: {}, expect: "violation" },
    { name: "aws, isolated", type: "aws_sagemaker_model", values: { enable_network_isolation: true }, expect: "pass" },
    {
      name: "awscc twin, isolated",
      type: "awscc_sagemaker_model",
      values: { enable_network_isolation: true },
      expect: "pass",
    },
  ],
  "azure-ai-outbound-network-not-restricted": [
    {
      name: "azurerm, restricted",
      type: "azurerm_cognitive_account",
      values: { outbound_network_access_restricted: true },
      expect: "pass",
    },
    { name: "azurerm AI services, default", type: "azurerm_ai_services", values: {}, expect: "violation" },
    {
      ...azapi("Microsoft.CognitiveServices/accounts@2024-10-01", {
        properties: { restrictOutboundNetworkAccess: true },
      }),
      name: "ARM body, restricted",
      expect: "pass",
    },
    {
      ...azapi("Microsoft.CognitiveServices/accounts@2024-10-01", { properties: {} }),
      name: "ARM body",
      expect: "violation",
    },
  ],
  "azure-ai-account-no-custom-subdomain": [
    {
      name: "azurerm, subdomain",
      type: "azurerm_cognitive_account",
      values: { custom_subdomain_name: "contoso-oai" },
      expect: "pass",
    },
    { name: "azurerm, none", type: "azurerm_cognitive_account", values: {}, expect: "violation" },
    {
      ...azapi("Microsoft.CognitiveServices/accounts@2024-10-01", { properties: { customSubDomainName: "contoso" } }),
      name: "ARM body, subdomain",
      expect: "pass",
    },
  ],
  "azure-ai-account-no-managed-identity": [
    {
      name: "azurerm, system-assigned",
      type: "azurerm_cognitive_account",
      values: { identity: [{ type: "SystemAssigned" }] },
      expect: "pass",
    },
    { name: "azurerm, none", type: "azurerm_ai_services", values: { identity: [] }, expect: "violation" },
    {
      ...azapi("Microsoft.CognitiveServices/accounts@2024-10-01", {}, { identity: [{ type: "SystemAssigned" }] }),
      name: "azapi identity attribute",
      expect: "pass",
    },
    {
      ...azapi("Microsoft.CognitiveServices/accounts@2024-10-01", { identity: { type: "None" } }),
      name: "ARM body, identity None",
      expect: "violation",
    },
  ],
  "azure-ai-foundry-outbound-not-isolated": [
    {
      name: "azurerm hub, approved outbound only",
      type: "azurerm_ai_foundry",
      values: { managed_network: [{ isolation_mode: "AllowOnlyApprovedOutbound" }] },
      expect: "pass",
    },
    {
      name: "azurerm workspace, no managed network",
      type: "azurerm_machine_learning_workspace",
      values: {},
      expect: "violation",
    },
    {
      ...azapi("Microsoft.MachineLearningServices/workspaces@2025-01-01-preview", {
        kind: "Hub",
        properties: { managedNetwork: { isolationMode: "AllowInternetOutbound" } },
      }),
      name: "ARM body, hub with internet outbound",
      expect: "violation",
    },
    {
      ...azapi("Microsoft.MachineLearningServices/workspaces@2025-01-01-preview", { kind: "Project", properties: {} }),
      name: "ARM body, a project (its hub is judged)",
      expect: "pass",
    },
  ],
  "azure-ml-compute-ssh-public-access": [
    {
      name: "azurerm cluster, public SSH",
      type: "azurerm_machine_learning_compute_cluster",
      values: { ssh_public_access_enabled: true },
      expect: "violation",
    },
    { name: "azurerm cluster, default", type: "azurerm_machine_learning_compute_cluster", values: {}, expect: "pass" },
    {
      name: "azurerm instance with an ssh block",
      type: "azurerm_machine_learning_compute_instance",
      values: { ssh: [{ public_key: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample" }] },
      expect: "violation",
    },
    { name: "azurerm instance without", type: "azurerm_machine_learning_compute_instance", values: {}, expect: "pass" },
    {
      ...azapi("Microsoft.MachineLearningServices/workspaces/computes@2025-01-01-preview", {
        properties: { computeType: "AmlCompute", properties: { remoteLoginPortPublicAccess: "NotSpecified" } },
      }),
      name: "ARM body, cluster NotSpecified outside a VNet",
      expect: "violation",
    },
    {
      ...azapi("Microsoft.MachineLearningServices/workspaces/computes@2025-01-01-preview", {
        properties: {
          computeType: "AmlCompute",
          properties: { remoteLoginPortPublicAccess: "NotSpecified", subnet: { id: "/subscriptions/s/x/subnets/ml" } },
        },
      }),
      name: "ARM body, cluster NotSpecified in a VNet",
      expect: "pass",
    },
    {
      ...azapi("Microsoft.MachineLearningServices/workspaces/computes@2025-01-01-preview", {
        properties: { computeType: "ComputeInstance", properties: { sshSettings: { sshPublicAccess: "Enabled" } } },
      }),
      name: "ARM body, instance with SSH enabled",
      expect: "violation",
    },
  ],
  "azure-openai-deployment-capacity-above-limit": [
    {
      name: "azurerm, above",
      type: "azurerm_cognitive_deployment",
      values: { sku: [{ name: "GlobalStandard", capacity: 5000 }] },
      expect: "violation",
    },
    {
      name: "azurerm, default capacity",
      type: "azurerm_cognitive_deployment",
      values: { sku: [{ name: "Standard" }] },
      expect: "pass",
    },
    {
      ...azapi("Microsoft.CognitiveServices/accounts/deployments@2024-10-01", {
        sku: { name: "Standard", capacity: 2000 },
      }),
      name: "ARM body, above",
      expect: "violation",
    },
  ],
  "gcp-notebook-secure-boot-disabled": [
    { name: "notebooks instance, default", type: "google_notebooks_instance", values: {}, expect: "violation" },
    {
      name: "notebooks instance, secure boot",
      type: "google_notebooks_instance",
      values: { shielded_instance_config: [{ enable_secure_boot: true }] },
      expect: "pass",
    },
    {
      name: "Workbench instance, secure boot",
      type: "google_workbench_instance",
      values: { gce_setup: [{ shielded_instance_config: [{ enable_secure_boot: true }] }] },
      expect: "pass",
    },
    {
      name: "Workbench instance, default",
      type: "google_workbench_instance",
      values: { gce_setup: [{}] },
      expect: "violation",
    },
  ],
  "gcp-workbench-default-compute-service-account": [
    { name: "no account named", type: "google_workbench_instance", values: { gce_setup: [{}] }, expect: "violation" },
    {
      name: "the default compute account",
      type: "google_workbench_instance",
      values: { gce_setup: [{ service_accounts: [{ email: "123-compute@developer.gserviceaccount.com" }] }] },
      expect: "violation",
    },
    {
      name: "its own account",
      type: "google_workbench_instance",
      values: { gce_setup: [{ service_accounts: [{ email: "nb@p.iam.gserviceaccount.com" }] }] },
      expect: "pass",
    },
    {
      name: "an account known after apply",
      type: "google_workbench_instance",
      values: { gce_setup: [{ service_accounts: [{}] }] },
      unknownPaths: { gce_setup: [{ service_accounts: [{ email: true }] }] },
      expect: "unknown",
    },
  ],
  "gcp-workbench-terminal-enabled": [
    { name: "default metadata", type: "google_workbench_instance", values: { gce_setup: [{}] }, expect: "violation" },
    {
      name: "terminal off",
      type: "google_workbench_instance",
      values: { gce_setup: [{ metadata: { "notebook-disable-terminal": "true" } }] },
      expect: "pass",
    },
  ],
  "gcp-workbench-file-downloads-enabled": [
    { name: "default metadata", type: "google_workbench_instance", values: { gce_setup: [{}] }, expect: "violation" },
    {
      name: "downloads off",
      type: "google_workbench_instance",
      values: { gce_setup: [{ metadata: { "notebook-disable-downloads": "TRUE" } }] },
      expect: "pass",
    },
  ],
  "gcp-workbench-shielded-vm-monitoring-disabled": [
    { name: "the defaults", type: "google_workbench_instance", values: { gce_setup: [{}] }, expect: "pass" },
    {
      name: "vTPM off",
      type: "google_workbench_instance",
      values: { gce_setup: [{ shielded_instance_config: [{ enable_vtpm: false }] }] },
      expect: "violation",
    },
  ],
  "gcp-colab-runtime-internet-access": [
    {
      name: "internet access",
      type: "google_colab_runtime_template",
      values: { network_spec: [{ enable_internet_access: true }] },
      expect: "violation",
    },
    { name: "no network spec", type: "google_colab_runtime_template", values: {}, expect: "pass" },
  ],
};

let engine: Engine;
beforeAll(async () => {
  const policy = defaultPolicy();
  engine = createEngine(await loadRules({ policy }), policy);
});

describe("a fact several shapes share is read once, whichever provider declares the resource", () => {
  for (const [ruleId, cases] of Object.entries(CASES)) {
    it.each(cases)(`${ruleId}: $name → $expect`, (each) => {
      const subject = normalizeResource({
        type: each.type,
        address: `${each.type}.x`,
        values: each.values,
        ...(each.unknownPaths === undefined ? {} : { unknownPaths: each.unknownPaths }),
      });
      expect(subject).toBeDefined();
      const judgement = engine.judge(subject as Subject).find((one) => one.rule.id === ruleId);
      expect(judgement?.outcome).toBe(each.expect);
    });
  }
});
