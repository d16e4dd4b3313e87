// The gate bench's generated plan: 10,000 resources (about 5% AI) with the attribute volume of small resources, the
// same document on every call (a seeded generator). gate.bench.ts times the gate on it; gate-side-by-side.ts too.

export const RESOURCES = 10_000;

/** Deterministic pseudo-random numbers, so every run benchmarks the same plan. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

interface Planned {
  readonly type: string;
  readonly provider: string;
  readonly after: Record<string, unknown>;
  readonly afterUnknown: Record<string, unknown>;
}

let next = random(20261122);
const tags = (index: number): Record<string, string> =>
  next() < 0.7 ? { owner: `team-${index % 40}`, env: "prod", "cost-center": `cc-${index % 97}` } : { env: "dev" };

// Ordinary infrastructure, with the attribute volume real plans carry.
function ordinary(index: number): Planned {
  const pick = index % 4;
  if (pick === 0) {
    return {
      type: "aws_s3_bucket",
      provider: "aws",
      after: {
        bucket: `acme-data-${index}`,
        force_destroy: false,
        tags: tags(index),
        tags_all: tags(index),
        timeouts: null,
        object_lock_enabled: false,
      },
      afterUnknown: {
        arn: true,
        id: true,
        bucket_domain_name: true,
        hosted_zone_id: true,
        region: true,
        acceleration_status: true,
        grant: true,
        lifecycle_rule: true,
        policy: true,
      },
    };
  }
  if (pick === 1) {
    return {
      type: "aws_instance",
      provider: "aws",
      after: {
        ami: "ami-0c55b159cbfafe1f0",
        instance_type: "m5.large",
        monitoring: true,
        ebs_block_device: [],
        root_block_device: [
          { delete_on_termination: true, volume_size: 50, volume_type: "gp3", encrypted: true, tags: null },
        ],
        metadata_options: [{ http_endpoint: "enabled", http_tokens: "required", http_put_response_hop_limit: 1 }],
        tags: tags(index),
        user_data: "IyEvYmluL2Jhc2gKZWNobyBoZWxsbw==",
        vpc_security_group_ids: [`sg-${(index * 7919).toString(16).padStart(8, "0")}`],
      },
      afterUnknown: {
        arn: true,
        id: true,
        private_ip: true,
        public_ip: true,
        private_dns: true,
        root_block_device: [{ device_name: true, iops: true, kms_key_id: true, throughput: true, volume_id: true }],
      },
    };
  }
  if (pick === 2) {
    return {
      type: "azurerm_storage_account",
      provider: "azurerm",
      after: {
        name: `acmesa${index}`,
        location: "westeurope",
        resource_group_name: "rg-data",
        account_tier: "Standard",
        account_replication_type: "GRS",
        min_tls_version: "TLS1_2",
        tags: tags(index),
        network_rules: [],
      },
      afterUnknown: {
        id: true,
        primary_access_key: true,
        primary_blob_endpoint: true,
        secondary_access_key: true,
        identity: [],
      },
    };
  }
  return {
    type: "google_storage_bucket",
    provider: "google",
    after: {
      name: `acme-gcs-${index}`,
      location: "EU",
      project: "acme-data",
      storage_class: "STANDARD",
      uniform_bucket_level_access: true,
      labels: tags(index),
      versioning: [{ enabled: true }],
    },
    afterUnknown: { id: true, self_link: true, url: true, effective_labels: true, terraform_labels: true },
  };
}

// AI resources across the three clouds, some governed, some not.
function ai(index: number): Planned {
  const pick = index % 5;
  if (pick === 0) {
    return {
      type: "azurerm_cognitive_account",
      provider: "azurerm",
      after: {
        name: `oai-${index}`,
        kind: "OpenAI",
        sku_name: "S0",
        location: "swedencentral",
        public_network_access_enabled: next() < 0.5,
        local_auth_enabled: next() < 0.5,
        tags: tags(index),
        custom_subdomain_name: `oai-${index}`,
        network_acls: [],
        customer_managed_key: [],
      },
      afterUnknown: { id: true, endpoint: true, primary_access_key: true, secondary_access_key: true, identity: [] },
    };
  }
  if (pick === 1) {
    return {
      type: "azurerm_cognitive_deployment",
      provider: "azurerm",
      after: {
        name: `chat-${index}`,
        model: [{ format: "OpenAI", name: next() < 0.5 ? "gpt-4o" : "gpt-4o-mini", version: "2024-08-06" }],
        sku: [{ name: "GlobalStandard", capacity: 50 }],
      },
      afterUnknown: { id: true, cognitive_account_id: true },
    };
  }
  if (pick === 2) {
    return {
      type: "aws_sagemaker_notebook_instance",
      provider: "aws",
      after: {
        name: `nb-${index}`,
        instance_type: "ml.t3.medium",
        direct_internet_access: next() < 0.5 ? "Enabled" : "Disabled",
        root_access: "Disabled",
        tags: tags(index),
        tags_all: tags(index),
      },
      afterUnknown: { arn: true, id: true, url: true, role_arn: true, network_interface_id: true },
    };
  }
  if (pick === 3) {
    return {
      type: "google_vertex_ai_endpoint",
      provider: "google",
      after: {
        name: `${index}`,
        display_name: `endpoint-${index}`,
        location: "europe-west4",
        project: "acme-genai",
        labels: tags(index),
        encryption_spec: [],
      },
      afterUnknown: { id: true, create_time: true, deployed_models: true, effective_labels: true, etag: true },
    };
  }
  return {
    type: "aws_bedrockagent_agent",
    provider: "aws",
    after: {
      agent_name: `agent-${index}`,
      foundation_model: "anthropic.claude-3-haiku-20240307-v1:0",
      idle_session_ttl_in_seconds: 600,
      tags: tags(index),
      guardrail_configuration: [],
    },
    afterUnknown: { agent_arn: true, agent_id: true, agent_resource_role_arn: true, id: true, tags_all: true },
  };
}

export function generatePlan(): string {
  next = random(20261122);
  const changes: unknown[] = [];
  const planned: unknown[] = [];
  const configured: unknown[] = [];
  for (let index = 0; index < RESOURCES; index++) {
    const resource = index % 20 === 7 ? ai(index) : ordinary(index);
    const module = index % 3 === 0 ? `module.svc_${index % 50}.` : "";
    const address = `${module}${resource.type}.r[${index}]`;
    const actions = next() < 0.8 ? ["create"] : next() < 0.5 ? ["no-op"] : ["update"];
    const before = actions[0] === "create" ? null : resource.after;
    changes.push({
      address,
      ...(module === "" ? {} : { module_address: module.slice(0, -1) }),
      mode: "managed",
      type: resource.type,
      name: "r",
      index,
      provider_name: `registry.terraform.io/hashicorp/${resource.provider}`,
      change: {
        actions,
        before,
        after: resource.after,
        after_unknown: resource.afterUnknown,
        before_sensitive: before === null ? false : {},
        after_sensitive: {},
      },
    });
    planned.push({
      address,
      mode: "managed",
      type: resource.type,
      name: "r",
      index,
      provider_name: `registry.terraform.io/hashicorp/${resource.provider}`,
      schema_version: 0,
      values: resource.after,
      sensitive_values: {},
    });
    configured.push({
      address: `${resource.type}.r`,
      mode: "managed",
      type: resource.type,
      name: "r",
      provider_config_key: resource.provider,
      expressions: { name: { constant_value: `r${index}` } },
      schema_version: 0,
    });
  }
  return JSON.stringify({
    format_version: "1.2",
    terraform_version: "1.9.8",
    planned_values: { root_module: { resources: planned } },
    resource_changes: changes,
    configuration: {
      provider_config: {
        aws: {
          name: "aws",
          full_name: "registry.terraform.io/hashicorp/aws",
          expressions: { region: { constant_value: "eu-west-1" } },
        },
      },
      root_module: { resources: configured.slice(0, 2000) },
    },
  });
}
