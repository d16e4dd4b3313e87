import type { Actor } from "@aigov/core";
import { type JsonObject, stringAt } from "./record-fields.ts";

/**
 * GCP service agents: Google-managed service accounts through which Google's own services act in a project
 * (`service-<project number>@gcp-sa-aiplatform.iam.gserviceaccount.com`, `…@compute-system.iam.gserviceaccount.com`),
 * and the Google APIs service agent (`<project number>@cloudservices.gserviceaccount.com`).
 */
const GCP_SERVICE_AGENT =
  /^(service-\d+@[a-z0-9-]+\.iam\.gserviceaccount\.com|\d+@cloudservices\.gserviceaccount\.com)$/;
/** Service accounts the project owns: user-managed, the Compute Engine and App Engine defaults. */
const GCP_SERVICE_ACCOUNT =
  /@([a-z0-9-]+\.iam\.gserviceaccount\.com|developer\.gserviceaccount\.com|appspot\.gserviceaccount\.com)$/;

/**
 * Who made a Google audit-logged call, from `authenticationInfo`: a service agent is Google's own service
 * (`cloud-service`), a service account or a workload identity federation principal a `workload`, any other
 * identity (a Google account or Workspace user) a `human`.
 */
export function gcpActor(authentication: JsonObject | undefined): Actor {
  const email = stringAt(authentication, "principalEmail");
  if (email !== undefined) {
    if (GCP_SERVICE_AGENT.test(email)) return "cloud-service";
    if (GCP_SERVICE_ACCOUNT.test(email)) return "workload";
    return email.includes("@") ? "human" : "unidentified";
  }
  const subject = stringAt(authentication, "principalSubject");
  if (
    subject?.startsWith("principal://iam.googleapis.com/") === true ||
    subject?.startsWith("principalSet://") === true
  )
    return "workload";
  // No principal: an API key or a redacted caller.
  return "unidentified";
}

const CLAIM = {
  upn: "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn",
  name: "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name",
  identityProvider: "http://schemas.microsoft.com/identity/claims/identityprovider",
} as const;

/**
 * Tenants that issue the tokens of Microsoft's own first-party services (Microsoft Services, and AME for Azure's
 * infrastructure): an app-only caller from one of them is Azure acting for the subscription.
 */
const MICROSOFT_FIRST_PARTY_TENANTS = ["f8cdef31-a31e-4b4a-93e4-5f571e91255a", "33e01921-4d64-4f8c-a055-5bdaffd5e33d"];

/**
 * Who made an Azure call, from the Entra token claims an Activity Log record keeps: a user token (`upn`, `idtyp:
 * user`) is a `human`; an app-only token of a Microsoft first-party application is a `cloud-service`; any other
 * app-only token (a service principal, a managed identity, `xms_mirid`) is a `workload`.
 */
export function azureActor(claims: JsonObject | undefined): Actor {
  // No claims: key auth, or a resource log that names no caller.
  if (claims === undefined) return "unidentified";
  const idtyp = stringAt(claims, "idtyp");
  if (stringAt(claims, CLAIM.upn) !== undefined || stringAt(claims, "upn") !== undefined || idtyp === "user")
    return "human";
  const appId = stringAt(claims, "appid") ?? stringAt(claims, "azp");
  if (appId === undefined && idtyp !== "app" && stringAt(claims, "xms_mirid") === undefined) return "unidentified";
  const provider = (stringAt(claims, CLAIM.identityProvider) ?? stringAt(claims, "idp") ?? "").toLowerCase();
  if (MICROSOFT_FIRST_PARTY_TENANTS.some((tenant) => provider.includes(tenant))) return "cloud-service";
  return "workload";
}
