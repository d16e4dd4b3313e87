// Bedrock ARNs whose last part is the provider's model id: a foundation model, or a system-defined (cross-Region)
// inference profile, whose id is the model id with a geography prefix (`us.anthropic.claude-3-5-sonnet-…`). Any
// partition (aws, aws-cn, aws-us-gov), any Region, with or without an account.
const BEDROCK_MODEL_ARN = /^arn:aws[a-z-]*:bedrock:[^:]*:[^:]*:(?:foundation-model|inference-profile)\/(.+)$/;

// Google model resource names: `publishers/google/models/gemini-2.0-flash`, the same under
// `projects/p/locations/l/`, `projects/p/locations/l/models/tuned`, or the Gemini API's `models/gemini-2.0-flash`,
// each perhaps followed by the method (`:generateContent`).
const GOOGLE_MODEL_NAME =
  /^(?:projects\/[^/]+\/locations\/[^/]+\/)?(?:publishers\/[^/]+\/)?models\/([^/:]+)(?::[^/]*)?$/;

/**
 * The model id a reference names, as the provider spells it and as `approved_models` globs name models.
 * - A Bedrock foundation-model ARN → its model id (`anthropic.claude-3-5-sonnet-20240620-v1:0`); a system-defined
 *   inference profile ARN → the profile id (`us.anthropic.claude-3-5-sonnet-20240620-v1:0`).
 * - Any other ARN stays whole: a custom, imported or provisioned model, or an application inference profile, is a
 *   resource of one account whose ARN is its only id (the part after the slash is a generated id).
 * - A Google model resource name → the segment after `models/`.
 * - Anything else (an id already, an Azure OpenAI model name, a container image) is returned unchanged.
 */
export function modelId(reference: string): string {
  if (reference.startsWith("arn:")) return BEDROCK_MODEL_ARN.exec(reference)?.[1] ?? reference;
  return GOOGLE_MODEL_NAME.exec(reference)?.[1] ?? reference;
}
