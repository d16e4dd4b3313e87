import { describe, expect, it } from "vitest";
import { modelId } from "../src/index.ts";

describe("modelId: the provider's model id, as approved_models names models", () => {
  it.each([
    // Bedrock foundation models, in any partition, with or without a Region or account.
    [
      "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-5-sonnet-20240620-v1:0",
      "anthropic.claude-3-5-sonnet-20240620-v1:0",
    ],
    ["arn:aws-cn:bedrock:cn-north-1::foundation-model/amazon.titan-text-express-v1", "amazon.titan-text-express-v1"],
    [
      "arn:aws-us-gov:bedrock:us-gov-west-1:123456789012:foundation-model/meta.llama3-8b-instruct-v1:0",
      "meta.llama3-8b-instruct-v1:0",
    ],
    // System-defined (cross-Region) inference profiles: the profile id callers pass as modelId.
    [
      "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-5-haiku-20241022-v1:0",
      "us.anthropic.claude-3-5-haiku-20241022-v1:0",
    ],
    [
      "arn:aws:bedrock:eu-west-1:123456789012:inference-profile/global.anthropic.claude-sonnet-4-20250514-v1:0",
      "global.anthropic.claude-sonnet-4-20250514-v1:0",
    ],
    // Ids pass unchanged.
    ["anthropic.claude-3-haiku-20240307-v1:0", "anthropic.claude-3-haiku-20240307-v1:0"],
    ["us.meta.llama3-2-11b-instruct-v1:0", "us.meta.llama3-2-11b-instruct-v1:0"],
    ["gpt-4o", "gpt-4o"],
    // Google model names.
    ["publishers/google/models/gemini-2.0-flash", "gemini-2.0-flash"],
    ["projects/p/locations/us-central1/publishers/google/models/gemini-1.5-pro:generateContent", "gemini-1.5-pro"],
    ["models/gemini-2.0-flash", "gemini-2.0-flash"],
    ["projects/p/locations/us-central1/models/gemma-tuned", "gemma-tuned"],
    ["publishers/google/models/paligemma@paligemma-224-float32", "paligemma@paligemma-224-float32"],
  ])("%s → %s", (reference, id) => {
    expect(modelId(reference)).toBe(id);
  });

  it.each([
    // Resources of one account: the ARN is their only id (the part after the slash is generated).
    "arn:aws:bedrock:us-east-1:123456789012:custom-model/amazon.titan-text-express-v1:0:8k/ab12cd34ef56",
    "arn:aws:bedrock:us-east-1:123456789012:imported-model/k2j4h6g8f0d1",
    "arn:aws:bedrock:us-east-1:123456789012:provisioned-model/x1y2z3abcdef",
    "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3d4e5f6",
    "arn:aws:sagemaker:us-east-1:aws:hub-content/SageMakerPublicHub/Model/cohere-rerank/1",
    // Not model names, though they contain `models/`.
    "123456789012.dkr.ecr.us-east-1.amazonaws.com/models/llama:3",
    "s3://bucket/models/tuned/model.tar.gz",
    "projects/p/locations/us-central1/endpoints/123",
  ])("%s stays whole", (reference) => {
    expect(modelId(reference)).toBe(reference);
  });
});
