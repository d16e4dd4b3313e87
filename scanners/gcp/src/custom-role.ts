import { GCP_CATALOGUE } from "./catalogue.ts";

/** The custom role's id as `gcloud iam roles create` takes it. */
export const CUSTOM_ROLE_ID = "aigovReader";

/**
 * The IAM custom role the GCP scanner needs, in the file shape `gcloud iam roles create --file` reads: exactly the
 * permissions of the read-only catalogue, every one a get, list, search or getIamPolicy. Nothing that returns a
 * secret: no `apikeys.keys.getKeyString`, no service-account token or key permission.
 */
export function customRole() {
  return {
    title: "aigov reader",
    description:
      "Read-only access for the aigov GCP scanner: projects and folders, enabled services, Vertex AI, Workbench, API key metadata (never key strings), IAM audit configuration and the AI audit logs",
    stage: "GA",
    includedPermissions: GCP_CATALOGUE.permissions("scanner"),
  };
}
