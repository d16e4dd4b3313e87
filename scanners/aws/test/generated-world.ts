import type { World } from "@aigov/cloud-sim";

/** Account ids 100000000001, 100000000002 … */
export function accountId(index: number): string {
  return String(100000000000 + index + 1);
}

/**
 * An organization of `accounts` member accounts (plus the management account) with `regions` enabled regions each,
 * every region holding a small, fixed set of AI resources: enough for every collector to have work, and cheap
 * enough to generate hundreds of accounts for the benchmark.
 */
export function generatedWorld(accounts: number, regions: readonly string[]): World {
  const management = "999999999999";
  return {
    version: 1,
    aws: {
      organization: {
        managementAccountId: management,
        ous: [{ name: "Workloads", ous: [{ name: "Prod" }, { name: "Dev" }] }],
      },
      accounts: [
        { id: management, name: "management", regions: Object.fromEntries(regions.map((r) => [r, {}])) },
        ...Array.from({ length: accounts }, (_, i) => {
          const id = accountId(i);
          return {
            id,
            name: `acct-${i}`,
            ou: i % 2 === 0 ? "Workloads/Prod" : "Workloads/Dev",
            tags: { owner: `team-${i % 7}` },
            iam: {
              users: [
                {
                  name: `dev-${i}`,
                  serviceSpecificCredentials: [{ id: `ACCA${id}KEY1`, created: "2025-06-01T00:00:00Z", expires: null }],
                },
              ],
            },
            regions: Object.fromEntries(
              regions.map((region) => [
                region,
                {
                  sagemaker: {
                    endpoints: [{ EndpointName: `ep-${i}`, EndpointConfigName: `ep-${i}-cfg`, tags: { owner: "ml" } }],
                    endpointConfigs: [
                      {
                        EndpointConfigName: `ep-${i}-cfg`,
                        ProductionVariants: [
                          {
                            VariantName: "v1",
                            ModelName: `m-${i}`,
                            InstanceType: "ml.g5.xlarge",
                            InitialInstanceCount: 1,
                          },
                        ],
                      },
                    ],
                    models: [
                      {
                        ModelName: `m-${i}`,
                        PrimaryContainer: { Image: "763104351884.dkr.ecr.us-east-1.amazonaws.com/tgi:2" },
                      },
                    ],
                    notebookInstances: [
                      {
                        NotebookInstanceName: `nb-${i}`,
                        DirectInternetAccess: "Enabled" as const,
                        RootAccess: "Enabled" as const,
                      },
                    ],
                  },
                  // The bucket every third region's invocation logs go to (default encryption, SSE-S3).
                  s3: { buckets: i % 3 === 0 ? [{ Name: "logs" }] : [] },
                  bedrock: {
                    guardrails: [{ name: `g-${i}` }],
                    invocationLogging:
                      i % 3 === 0 ? { textDataDeliveryEnabled: true, s3Config: { bucketName: "logs" } } : null,
                  },
                  bedrockAgent: {
                    agents: [{ agentName: `agent-${i}`, foundationModel: "anthropic.claude-3-haiku-20240307-v1:0" }],
                  },
                  lambda: {
                    functions: [
                      {
                        FunctionName: `fn-${i}`,
                        Environment: {
                          Variables: {
                            OPENAI_API_KEY: `sk-proj-${"a".repeat(40)}T3BlbkFJ${String(i).padStart(40, "b")}`,
                          },
                        },
                      },
                    ],
                  },
                  cloudtrail: {
                    events: [
                      {
                        eventName: "InvokeModel",
                        eventSource: "bedrock.amazonaws.com",
                        eventTime: "2026-11-21T10:00:00Z",
                        userIdentity: { type: "IAMUser", userName: "dev", arn: `arn:aws:iam::${id}:user/dev` },
                        requestParameters: { modelId: "anthropic.claude-3-haiku-20240307-v1:0" },
                      },
                    ],
                  },
                },
              ]),
            ),
          };
        }),
      ],
    },
  };
}
