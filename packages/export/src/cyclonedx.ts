import { createHash, randomUUID } from "node:crypto";
import type { Asset, AssetKind, Provider, Subject } from "@aigov/core";
import { known } from "./known.ts";
import { PRODUCT } from "./product.ts";

export interface AiBomOptions {
  /** `urn:uuid:…`; default a new random one (each BOM is a new document). */
  readonly serialNumber?: string;
  /** ISO-8601; default now. */
  readonly timestamp?: string;
}

type Json = Record<string, unknown>;

const PROVIDER_NAMES: Record<Provider, string> = {
  aws: "Amazon Web Services",
  azure: "Microsoft Azure",
  gcp: "Google Cloud",
};

/** Kinds a client calls over the network: they are CycloneDX services; models are components; the rest platforms or data. */
const SERVICE_KINDS: ReadonlySet<AssetKind> = new Set<AssetKind>([
  "endpoint",
  "deployment",
  "ai-account",
  "agent",
  "knowledge-base",
  "inference-profile",
  "provisioned-throughput",
  "search",
  "enabled-api",
  "guardrail",
]);

/** Model families recognisable from a model id; the family is a model-card fact only when the id names it. */
const FAMILIES = [
  "claude",
  "gpt",
  "gemini",
  "llama",
  "titan",
  "mistral",
  "mixtral",
  "command",
  "jamba",
  "nova",
  "phi",
  "gemma",
  "deepseek",
  "o1",
  "o3",
];

function property(name: string, value: string | undefined): Json[] {
  return value === undefined || value === "" ? [] : [{ name, value }];
}

function cloudProperties(asset: Asset): Json[] {
  return [
    ...property("aigov:provider", asset.provider),
    ...property("aigov:account", known(asset.account)),
    ...property("aigov:region", known(asset.region)),
    ...property("aigov:kind", asset.kind),
    ...property("aigov:type", asset.type),
    ...property("aigov:id", asset.id),
    ...property("aigov:owner", known(asset.owner)),
  ];
}

function modelRef(provider: Provider, modelId: string): string {
  return `model:${provider}:${modelId}`;
}

function stringField(native: Readonly<Record<string, unknown>>, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = native[name];
    if (typeof value === "string" && value !== "") return value;
  }
  return undefined;
}

/** The model card, only with facts we actually know; undefined when we know none. */
function modelCard(modelId: string, native: Readonly<Record<string, unknown>>): Json | undefined {
  const lower = modelId.toLowerCase();
  const family = FAMILIES.find((name) => new RegExp(`(^|[./:-])${name}`).test(lower));
  const task = stringField(native, "task", "Task", "taskType", "inferenceType");
  const architecture = stringField(native, "modelArchitecture", "architecture");
  const parameters: Json = {
    ...(task === undefined ? {} : { task }),
    ...(family === undefined ? {} : { architectureFamily: family }),
    ...(architecture === undefined ? {} : { modelArchitecture: architecture }),
  };
  return Object.keys(parameters).length === 0 ? undefined : { modelParameters: parameters };
}

/** `anthropic.claude-3-haiku-…` → `anthropic`: Bedrock-style ids name their publisher first. */
function publisherOf(modelId: string): string | undefined {
  const match = /^([a-z][a-z0-9-]*)\.[a-z0-9]/.exec(modelId);
  return match?.[1];
}

function modelComponent(
  ref: string,
  name: string,
  provider: Provider,
  native: Readonly<Record<string, unknown>>,
  extra: Json[],
): Json {
  const card = modelCard(name, native);
  const publisher = publisherOf(name);
  return {
    type: "machine-learning-model",
    "bom-ref": ref,
    name,
    group: provider,
    ...(publisher === undefined ? {} : { publisher }),
    ...(card === undefined ? {} : { modelCard: card }),
    properties: extra,
  };
}

/**
 * A CycloneDX 1.6 AI-BOM of an inventory: models as `machine-learning-model` components (with a model card when
 * facts are known), AI services (endpoints, deployments, AI accounts, agents …) as `services` that depend on the
 * models they serve, and the rest (notebooks, training jobs, datasets …) as platform or data components.
 * Keys are not part of a BOM and are left out.
 */
export function cyclonedxAiBom(subjects: Iterable<Subject>, options: AiBomOptions = {}): Json {
  const components = new Map<string, Json>();
  const services = new Map<string, Json>();
  const dependencies = new Map<string, Set<string>>();
  const assets = [...subjects].filter((subject): subject is Asset => subject.subject === "asset");
  assets.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

  for (const asset of assets) {
    if (asset.kind === "model") {
      components.set(
        asset.id,
        modelComponent(asset.id, asset.name, asset.provider, asset.native, cloudProperties(asset)),
      );
    }
  }
  for (const asset of assets) {
    const models = known(asset.models) ?? [];
    const served: string[] = [];
    for (const modelId of models) {
      const existing = [...components.values()].find(
        (component) => component.name === modelId && component.group === asset.provider,
      );
      if (existing !== undefined) {
        served.push(String(existing["bom-ref"]));
        continue;
      }
      const ref = modelRef(asset.provider, modelId);
      if (!components.has(ref)) {
        components.set(
          ref,
          modelComponent(ref, modelId, asset.provider, {}, [...property("aigov:provider", asset.provider)]),
        );
      }
      served.push(ref);
    }
    if (asset.kind === "model") continue;
    if (SERVICE_KINDS.has(asset.kind)) {
      const endpoint = stringField(asset.native, "endpoint", "Endpoint", "endpointUrl", "EndpointUrl");
      const isPublic = asset.public === undefined ? undefined : known(asset.public);
      const keyAuth = asset.keyAuth === undefined ? undefined : known(asset.keyAuth);
      services.set(asset.id, {
        "bom-ref": asset.id,
        provider: { name: PROVIDER_NAMES[asset.provider] },
        group: asset.provider,
        name: asset.name,
        ...(endpoint === undefined ? {} : { endpoints: [endpoint] }),
        // Cloud AI services always authenticate callers; key auth only adds a weaker way to do it.
        authenticated: true,
        ...(isPublic === undefined ? {} : { "x-trust-boundary": isPublic, trustZone: isPublic ? "public" : "private" }),
        properties: [
          ...cloudProperties(asset),
          ...property("aigov:key-auth", keyAuth === undefined ? undefined : String(keyAuth)),
        ],
      });
    } else {
      const isData = asset.kind === "dataset" || asset.kind === "feature-store" || asset.kind === "index";
      components.set(asset.id, {
        type: isData ? "data" : "platform",
        "bom-ref": asset.id,
        name: asset.name,
        group: asset.provider,
        ...(isData ? { data: [{ type: "dataset", name: asset.name }] } : {}),
        properties: cloudProperties(asset),
      });
    }
    if (served.length > 0) dependencies.set(asset.id, new Set(served));
  }

  const inventoryHash = createHash("sha256")
    .update(assets.map((asset) => asset.id).join("\n"))
    .digest("hex");
  return {
    bomFormat: "CycloneDX",
    specVersion: "1.6",
    serialNumber: options.serialNumber ?? `urn:uuid:${randomUUID()}`,
    version: 1,
    metadata: {
      timestamp: options.timestamp ?? new Date().toISOString(),
      tools: {
        components: [{ type: "application", name: PRODUCT.name, version: PRODUCT.version, group: PRODUCT.vendor }],
      },
      properties: [{ name: "aigov:inventory-sha256", value: inventoryHash }],
    },
    components: [...components.values()],
    services: [...services.values()],
    dependencies: [...dependencies.entries()].map(([ref, dependsOn]) => ({ ref, dependsOn: [...dependsOn].sort() })),
  };
}
