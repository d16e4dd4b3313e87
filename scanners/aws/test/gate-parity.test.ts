import { startCloudSim, type World } from "@aigov/cloud-sim";
import { createEngine, defaultPolicy, type Engine, loadRules, type Subject } from "@aigov/core";
import { readGateText, readPlanDocument } from "@aigov/iac";
import { beforeAll, describe, expect, it } from "vitest";
import { plan, resourceChange } from "../../../packages/iac/test/plan-fixture.ts";
import { createAwsScanner } from "../src/index.ts";
import { FAKE_CREDENTIALS, runSweep } from "./run-sweep.ts";

/**
 * The same SageMaker endpoints and endpoint configurations planned in terraform, written as a CloudFormation
 * template, and swept live: where they have the same facts, the same rules find the same violations. The plan uses
 * the aws provider's attribute names, the template CloudFormation's property names, the world the SageMaker API's;
 * all pass through the facts written once in @aigov/normalize.
 */
const ACCOUNT = "123456789012";
const REGION = "us-east-1";
const KMS = `arn:aws:kms:${REGION}:${ACCOUNT}:key/endpoint`;
const VARIANT = {
  VariantName: "primary",
  ModelName: "chat-model",
  InitialInstanceCount: 1,
  InstanceType: "ml.g5.xlarge",
};
const CAPTURE = {
  EnableCapture: true,
  InitialSamplingPercentage: 100,
  DestinationS3Uri: "s3://captures/chat",
  CaptureOptions: [{ CaptureMode: "Input" }],
};

const world: World = {
  version: 1,
  aws: {
    accounts: [
      {
        id: ACCOUNT,
        name: "ml",
        regions: {
          [REGION]: {
            sagemaker: {
              endpoints: [
                { EndpointName: "open", EndpointConfigName: "open-cfg" },
                { EndpointName: "owned", EndpointConfigName: "locked-cfg", tags: { owner: "ml-team" } },
              ],
              endpointConfigs: [
                { EndpointConfigName: "open-cfg", ProductionVariants: [VARIANT] },
                {
                  EndpointConfigName: "locked-cfg",
                  ProductionVariants: [VARIANT],
                  KmsKeyId: KMS,
                  DataCaptureConfig: CAPTURE,
                  tags: { owner: "ml-team" },
                },
              ],
            },
          },
        },
      },
    ],
  },
};

const variant = {
  variant_name: "primary",
  model_name: "chat-model",
  initial_instance_count: 1,
  instance_type: "ml.g5.xlarge",
};
const planned = plan(
  [
    resourceChange("aws_sagemaker_endpoint.open", "aws_sagemaker_endpoint", ["create"], {
      name: "open",
      endpoint_config_name: "open-cfg",
      tags: null,
      tags_all: {},
    }),
    resourceChange("aws_sagemaker_endpoint.owned", "aws_sagemaker_endpoint", ["create"], {
      name: "owned",
      endpoint_config_name: "locked-cfg",
      tags: { owner: "ml-team" },
      tags_all: { owner: "ml-team" },
    }),
    resourceChange("aws_sagemaker_endpoint_configuration.open", "aws_sagemaker_endpoint_configuration", ["create"], {
      name: "open-cfg",
      production_variants: [variant],
      kms_key_arn: null,
      data_capture_config: [],
      tags: null,
      tags_all: {},
    }),
    resourceChange("aws_sagemaker_endpoint_configuration.locked", "aws_sagemaker_endpoint_configuration", ["create"], {
      name: "locked-cfg",
      production_variants: [variant],
      kms_key_arn: KMS,
      data_capture_config: [
        {
          enable_capture: true,
          initial_sampling_percentage: 100,
          destination_s3_uri: "s3://captures/chat",
          capture_options: [{ capture_mode: "Input" }],
        },
      ],
      tags: { owner: "ml-team" },
      tags_all: { owner: "ml-team" },
    }),
  ],
  {
    configuration: {
      provider_config: { aws: { name: "aws", expressions: { region: { constant_value: REGION } } } },
      root_module: { resources: [] },
    },
  },
);

const template = `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Open:
    Type: AWS::SageMaker::Endpoint
    Properties:
      EndpointName: open
      EndpointConfigName: open-cfg
  Owned:
    Type: AWS::SageMaker::Endpoint
    Properties:
      EndpointName: owned
      EndpointConfigName: locked-cfg
      Tags:
        - { Key: owner, Value: ml-team }
  OpenCfg:
    Type: AWS::SageMaker::EndpointConfig
    Properties:
      EndpointConfigName: open-cfg
      ProductionVariants:
        - { VariantName: primary, ModelName: chat-model, InitialInstanceCount: 1, InstanceType: ml.g5.xlarge }
  LockedCfg:
    Type: AWS::SageMaker::EndpointConfig
    Properties:
      EndpointConfigName: locked-cfg
      KmsKeyId: ${KMS}
      ProductionVariants:
        - { VariantName: primary, ModelName: chat-model, InitialInstanceCount: 1, InstanceType: ml.g5.xlarge }
      DataCaptureConfig:
        EnableCapture: true
        InitialSamplingPercentage: 100
        DestinationS3Uri: s3://captures/chat
        CaptureOptions:
          - { CaptureMode: Input }
      Tags:
        - { Key: owner, Value: ml-team }
`;

let engine: Engine;
let live: Subject[];

beforeAll(async () => {
  const policy = defaultPolicy();
  engine = createEngine(await loadRules({ policy }), policy, { now: new Date("2026-11-21T00:00:00Z") });
  const sim = await startCloudSim({ world });
  try {
    const scanner = createAwsScanner({ credentials: FAKE_CREDENTIALS, now: () => new Date("2026-11-21T00:00:00Z") });
    const result = await runSweep(scanner, { accounts: [{ id: ACCOUNT }], regions: [REGION], endpoint: sim.url });
    scanner.close();
    expect(result.gaps).toEqual([]);
    live = [...result.assets];
  } finally {
    await sim.close();
  }
});

/**
 * The rules a subject violates, of the rules that judge every shape: a rule scoped to the live API's type
 * (`AWS::SageMaker::EndpointConfig`, reading the API's own fields) judges only what a sweep reads.
 */
const violations = (subject: Subject) =>
  engine
    .judge(subject)
    .filter((judgement) => judgement.outcome === "violation" && judgement.rule.appliesTo.type === undefined)
    .map((judgement) => judgement.rule.id)
    .sort();

/**
 * A live endpoint carries its configuration's key and data capture (the scanner describes the configuration it
 * runs); a planned endpoint leaves them to the configuration resource, which the gate judges on its own.
 */
const FROM_ITS_CONFIGURATION = new Set(["ai-invocation-logging-disabled", "ai-no-customer-managed-key"]);

describe("gate parity: a SageMaker endpoint planned, in a CloudFormation template, and swept live", () => {
  const plannedSubjects = readPlanDocument(planned, "plan.json").subjects;
  const templateSubjects = readGateText(template, "template.yaml").subjects;
  // plan address, template logical id, live name
  const triples: [string, string, string][] = [
    ["aws_sagemaker_endpoint.open", "Open", "open"],
    ["aws_sagemaker_endpoint.owned", "Owned", "owned"],
    ["aws_sagemaker_endpoint_configuration.open", "OpenCfg", "open-cfg"],
    ["aws_sagemaker_endpoint_configuration.locked", "LockedCfg", "locked-cfg"],
  ];

  it.each(triples)("%s, the template's %s and the live %s are judged alike", (address, logicalId, name) => {
    const plannedSubject = plannedSubjects.find((subject) => subject.id === address);
    const templateSubject = templateSubjects.find((subject) => subject.id === logicalId);
    const liveSubject = live.find((subject) => "name" in subject && subject.name === name);
    expect(plannedSubject).toBeDefined();
    expect(templateSubject).toBeDefined();
    expect(liveSubject).toBeDefined();
    const liveOwn = address.startsWith("aws_sagemaker_endpoint.")
      ? violations(liveSubject!).filter((rule) => !FROM_ITS_CONFIGURATION.has(rule))
      : violations(liveSubject!);
    expect(liveOwn).toEqual(violations(plannedSubject!));
    expect(violations(templateSubject!)).toEqual(violations(plannedSubject!));
  });

  it("and the facts that decide it are the ones all three read", () => {
    const verdicts = Object.fromEntries(
      triples.map(([address]) => [address, violations(plannedSubjects.find((s) => s.id === address)!)]),
    );
    expect(verdicts).toEqual({
      "aws_sagemaker_endpoint.open": ["ai-resource-ungoverned"],
      "aws_sagemaker_endpoint.owned": [],
      "aws_sagemaker_endpoint_configuration.open": [
        "ai-invocation-logging-disabled",
        "ai-no-customer-managed-key",
        "ai-resource-ungoverned",
      ],
      "aws_sagemaker_endpoint_configuration.locked": [],
    });
    // The live open endpoint shows its configuration's missing key and capture; the locked one's are in place.
    const liveOpen = live.find((subject) => "name" in subject && subject.name === "open")!;
    expect(violations(liveOpen).filter((rule) => FROM_ITS_CONFIGURATION.has(rule))).toEqual([
      ...FROM_ITS_CONFIGURATION,
    ]);
  });
});
