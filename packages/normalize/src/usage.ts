import type { Provider } from "@aigov/core";

/**
 * Operations that run a model on AWS (as opposed to managing one or reading what exists): the calls that have a
 * model and tokens behind them. Bedrock runtime and agents runtime, the OpenAI-compatible bedrock-mantle endpoint and
 * SageMaker endpoints.
 */
export const AWS_INVOCATION_OPERATIONS: ReadonlySet<string> = new Set([
  "InvokeModel",
  "InvokeModelWithResponseStream",
  "InvokeModelWithBidirectionalStream",
  "Converse",
  "ConverseStream",
  "StartAsyncInvoke",
  "InvokeAgent",
  "InvokeInlineAgent",
  "RetrieveAndGenerate",
  "RetrieveAndGenerateStream",
  "InvokeEndpoint",
  "InvokeEndpointAsync",
  "InvokeEndpointWithResponseStream",
  "CreateChatCompletion",
  "CreateCompletion",
  "CreateResponse",
  "CreateEmbedding",
]);

/**
 * Azure OpenAI / AI Services data-plane operations that run a model, as the diagnostic logs (`RequestResponse`,
 * `AzureOpenAIRequestUsage`) name them in `operationName`. The Activity Log's `Microsoft.CognitiveServices/…/action`
 * operations are control-plane calls.
 */
export const AZURE_INFERENCE_OPERATIONS: ReadonlySet<string> = new Set(
  [
    "ChatCompletions_Create",
    "Completions_Create",
    "Embeddings_Create",
    "ImageGenerations_Create",
    "Responses_Create",
    "AudioTranscriptions_Create",
    "AudioTranslations_Create",
    "AudioSpeech_Create",
    "ChatCompletions",
    "Completions",
    "Embeddings",
  ].map((operation) => operation.toLowerCase()),
);

/** Vertex AI and Gemini API methods (the last part of `methodName`) that run a model. */
export const GCP_INFERENCE_OPERATIONS: ReadonlySet<string> = new Set([
  "GenerateContent",
  "StreamGenerateContent",
  // The Live API: one audited call per bidirectional session (LlmBidiService on Vertex, GenerativeService on Gemini).
  "BidiGenerateContent",
  "Predict",
  "RawPredict",
  "StreamRawPredict",
  "ServerStreamingPredict",
  "StreamingPredict",
  "DirectPredict",
  "DirectRawPredict",
  "Explain",
  "EmbedContent",
  "BatchEmbedContents",
  "GenerateAnswer",
  "GenerateText",
  "GenerateMessage",
  "EmbedText",
  "BatchEmbedText",
  "ChatCompletions",
]);

/**
 * Whether a call runs a model: usage, which summaries and usage rules count apart from discovery reads
 * (ListFoundationModels, GetFoundationModelAvailability …) and control-plane calls.
 */
export function isInference(provider: Provider, operation: string): boolean {
  switch (provider) {
    case "aws":
      return AWS_INVOCATION_OPERATIONS.has(operation);
    case "azure":
      return AZURE_INFERENCE_OPERATIONS.has(operation.toLowerCase());
    case "gcp":
      return GCP_INFERENCE_OPERATIONS.has(operation);
  }
}
