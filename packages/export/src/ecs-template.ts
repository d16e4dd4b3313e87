/**
 * The Elasticsearch mappings of aigov's ECS documents, so no field of a finding is left to dynamic mapping (where
 * the first document's type wins and a later one is refused). Install both before the first export into a data
 * stream (`PUT _component_template/aigov-findings@mappings`, `PUT _index_template/logs-aigov.findings`), or let
 * the Elastic sink do it (`install_template: true`). ECS fields carry their ECS types (checked against
 * `ecs_flat.yml` in the tests); `aigov.*` is mapped explicitly and takes no dynamic fields.
 */

const keyword = { type: "keyword", ignore_above: 1024 } as const;
const date = { type: "date" } as const;

const ECS_MAPPINGS = {
  "@timestamp": date,
  message: { type: "match_only_text" },
  ecs: { properties: { version: keyword } },
  event: {
    properties: {
      id: keyword,
      kind: keyword,
      category: keyword,
      type: keyword,
      outcome: keyword,
      severity: { type: "long" },
      dataset: keyword,
      module: keyword,
      created: date,
    },
  },
  rule: {
    properties: {
      id: keyword,
      name: keyword,
      description: keyword,
      ruleset: keyword,
      category: keyword,
      reference: keyword,
      version: keyword,
    },
  },
  cloud: {
    properties: {
      provider: keyword,
      region: keyword,
      account: { properties: { id: keyword, name: keyword } },
    },
  },
  observer: { properties: { vendor: keyword, product: keyword, version: keyword, type: keyword } },
} as const;

/** Elastic's cloud-posture fields (not ECS), mapped as Elastic's own posture findings map them. */
const POSTURE_MAPPINGS = {
  resource: { properties: { id: keyword, name: keyword, type: keyword, sub_type: keyword } },
  result: { properties: { evaluation: keyword } },
} as const;

const AIGOV_MAPPINGS = {
  aigov: {
    dynamic: false,
    properties: {
      finding: {
        properties: {
          id: keyword,
          status: keyword,
          severity: keyword,
          change: keyword,
          first_seen: date,
          // Framework names are keys (`owasp-llm-2025: [LLM06]`): one flattened field, not a field per framework.
          frameworks: { type: "flattened" },
          evidence: {
            properties: {
              field: keyword,
              value: { type: "keyword", ignore_above: 8191 },
              value_type: keyword,
              expected: keyword,
            },
          },
          remediation: { properties: { text: { type: "match_only_text" }, terraform: keyword, cli: keyword } },
          waiver: {
            properties: {
              reason: { type: "match_only_text" },
              approver: keyword,
              expires: date,
              expired: { type: "boolean" },
            },
          },
        },
      },
      subject: { properties: { type: keyword, kind: keyword } },
    },
  },
} as const;

/** The component template: every field an aigov ECS document has. */
export const ECS_COMPONENT_TEMPLATE = {
  template: { mappings: { dynamic: false, properties: { ...ECS_MAPPINGS, ...POSTURE_MAPPINGS, ...AIGOV_MAPPINGS } } },
  _meta: { description: "aigov findings (ECS 8.17 / 9.x, Elastic posture fields, aigov.*)" },
} as const;

export const ECS_COMPONENT_TEMPLATE_NAME = "aigov-findings@mappings";

/**
 * The index template of the default data stream `logs-aigov.findings-*`: above the built-in `logs` template
 * (priority 100), composed of the built-in logs settings when present and aigov's mappings.
 */
export function ecsIndexTemplate(dataStream = "logs-aigov.findings-default"): Record<string, unknown> {
  return {
    index_patterns: [`${ecsIndexTemplateName(dataStream)}-*`],
    data_stream: {},
    priority: 200,
    composed_of: ["logs@settings", ECS_COMPONENT_TEMPLATE_NAME],
    ignore_missing_component_templates: ["logs@settings"],
    _meta: { description: "aigov findings data stream" },
  };
}

/** The index template's name: the data stream without its namespace (`logs-aigov.findings`). */
export function ecsIndexTemplateName(dataStream: string): string {
  return dataStream.replace(/-[^-]*$/, "");
}
