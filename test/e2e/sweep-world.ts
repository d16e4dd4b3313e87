// Builds simulated organizations for the sweep tests and the sweep benchmark: N accounts × regions, each region
// with the same small mix of governed and shadow AI, so expected findings can be counted.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AwsAccount, AwsRegion, World } from "../../packages/cloud-sim/src/index.ts";

export const OPENAI_KEY = "sk-proj-TESTnotArealKeyTEST0001T3BlbkFJTESTnotArealKeyTEST0001";

export function accountId(index: number): string {
  return String(300000000000 + index);
}

/** One region's AI: an owned endpoint on an approved model, a notebook with root access, a Lambda holding an OpenAI key. */
export function shadowRegion(account: string, region: string): AwsRegion {
  const suffix = `${account.slice(-4)}-${region}`;
  return {
    sagemaker: {
      endpoints: [{ EndpointName: `chat-${suffix}`, EndpointConfigName: `chat-cfg-${suffix}`, tags: { owner: "ml" } }],
      endpointConfigs: [
        {
          EndpointConfigName: `chat-cfg-${suffix}`,
          KmsKeyId: `arn:aws:kms:${region}:${account}:key/test`,
          ProductionVariants: [
            {
              VariantName: "v1",
              ModelName: `chat-model-${suffix}`,
              InstanceType: "ml.g5.xlarge",
              InitialInstanceCount: 2,
            },
          ],
          DataCaptureConfig: {
            EnableCapture: true,
            InitialSamplingPercentage: 10,
            DestinationS3Uri: "s3://capture/chat",
            KmsKeyId: `arn:aws:kms:${region}:${account}:key/test`,
            CaptureOptions: [{ CaptureMode: "Input" }],
          },
          tags: { owner: "ml" },
        },
      ],
      notebookInstances: [
        {
          NotebookInstanceName: `nb-${suffix}`,
          DirectInternetAccess: "Disabled",
          RootAccess: "Enabled",
          SubnetId: "subnet-1",
          tags: { owner: "ds" },
        },
      ],
    },
    lambda: {
      functions: [
        {
          FunctionName: `bot-${suffix}`,
          Runtime: "nodejs20.x",
          Environment: { Variables: { OPENAI_API_KEY: OPENAI_KEY } },
          tags: { owner: "app" },
        },
      ],
    },
  };
}

/** An organization of `accounts` accounts (the first is the management account), each with `regions` enabled. */
export function orgWorld(
  accounts: number,
  regions: readonly string[],
  region: (account: string, region: string) => AwsRegion = shadowRegion,
): World {
  const list: AwsAccount[] = [];
  for (let i = 0; i < accounts; i += 1) {
    const id = accountId(i);
    list.push({ id, name: `acct-${i}`, regions: Object.fromEntries(regions.map((r) => [r, region(id, r)])) });
  }
  return { version: 1, aws: { organization: { managementAccountId: accountId(0) }, accounts: list } };
}

/** A policy file sweeping the whole organization in `regions` with the collectors the generated worlds use. */
export function writeSweepPolicy(dir: string, regions: readonly string[], extra = ""): string {
  const path = join(dir, "aigov.yaml");
  writeFileSync(
    path,
    `approved_models: { aws: ["chat-model-*"] }
approved_regions: [${regions.join(", ")}]
targets:
  aws:
    organization: true
    role: AigovReadOnly
    regions: [${regions.join(", ")}]
    services: [sagemaker, lambda]
${extra}`,
  );
  return path;
}

/** Environment for a sweep process against the simulator: static keys, and no shared config or instance metadata. */
export function simEnv(dir: string = mkdtempSync(join(tmpdir(), "aigov-sim-env-"))): NodeJS.ProcessEnv {
  return {
    AWS_ACCESS_KEY_ID: "AKIAAIGOVTESTCALLER0",
    AWS_SECRET_ACCESS_KEY: "test-not-a-secret",
    AWS_SESSION_TOKEN: "",
    AWS_PROFILE: "",
    AWS_CONFIG_FILE: join(dir, "no-config"),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, "no-credentials"),
    AWS_EC2_METADATA_DISABLED: "true",
    AIGOV_STORE: "",
  };
}
