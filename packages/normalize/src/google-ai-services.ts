/**
 * Google APIs whose use is AI: a project that enables one runs AI (an enabled Gemini API in a project nobody
 * registered is shadow AI), and an API key allowed to call one is an AI credential. The hosts Service Usage names.
 */
export const GOOGLE_AI_APIS: readonly string[] = [
  "aiplatform.googleapis.com",
  "generativelanguage.googleapis.com",
  "notebooks.googleapis.com",
  "ml.googleapis.com",
  "dialogflow.googleapis.com",
  "documentai.googleapis.com",
  "discoveryengine.googleapis.com",
  "modelarmor.googleapis.com",
  "ces.googleapis.com",
  "agentregistry.googleapis.com",
  "vectorsearch.googleapis.com",
  "firebasevertexai.googleapis.com",
  "agentidentity.googleapis.com",
  "cloudaicompanion.googleapis.com",
  "automl.googleapis.com",
  "language.googleapis.com",
  "vision.googleapis.com",
  "speech.googleapis.com",
  "texttospeech.googleapis.com",
  "translate.googleapis.com",
  "videointelligence.googleapis.com",
  "retail.googleapis.com",
  "contactcenteraiplatform.googleapis.com",
];

const AI_APIS = new Set(GOOGLE_AI_APIS);

export function isGoogleAiApi(service: string): boolean {
  return AI_APIS.has(service);
}

/** The AI APIs whose Cloud Audit Logs aigov reads, and the ApiCall service each becomes. */
export const GOOGLE_AUDITED_AI_SERVICES: Readonly<Record<string, string>> = {
  "aiplatform.googleapis.com": "vertex-ai",
  "generativelanguage.googleapis.com": "gemini",
};
