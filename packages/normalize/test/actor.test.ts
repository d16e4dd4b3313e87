import { describe, expect, it } from "vitest";
import { azureActor, gcpActor } from "../src/index.ts";

describe("who made a GCP call (authenticationInfo)", () => {
  it("a service agent is Google's own service; service accounts and federated identities are workloads; people are human", () => {
    const actor = (principalEmail: string) => gcpActor({ principalEmail });
    expect(actor("service-123456789012@gcp-sa-aiplatform.iam.gserviceaccount.com")).toBe("cloud-service");
    expect(actor("service-123456789012@gcp-sa-aiplatform-cc.iam.gserviceaccount.com")).toBe("cloud-service");
    expect(actor("service-123456789012@compute-system.iam.gserviceaccount.com")).toBe("cloud-service");
    expect(actor("123456789012@cloudservices.gserviceaccount.com")).toBe("cloud-service");
    expect(actor("rag-indexer@acme-ml-prod.iam.gserviceaccount.com")).toBe("workload");
    expect(actor("123456789012-compute@developer.gserviceaccount.com")).toBe("workload");
    expect(actor("acme-ml-prod@appspot.gserviceaccount.com")).toBe("workload");
    expect(actor("alice@acme.example")).toBe("human");
    expect(
      gcpActor({
        principalSubject:
          "principal://iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/github/subject/repo:acme/app",
      }),
    ).toBe("workload");
    expect(gcpActor({})).toBe("unidentified");
  });
});

describe("who made an Azure call (Entra claims)", () => {
  it("a user token is human; a Microsoft first-party app is a cloud service; other apps and managed identities are workloads", () => {
    expect(
      azureActor({
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn": "mallory@contoso.example",
        "http://schemas.microsoft.com/identity/claims/objectidentifier": "0a1b2c3d-0000-4000-8000-00000000abcd",
      }),
    ).toBe("human");
    expect(
      azureActor({
        appid: "0f0e0d0c-0000-4000-8000-000000000001",
        idtyp: "app",
        "http://schemas.microsoft.com/identity/claims/identityprovider":
          "https://sts.windows.net/f8cdef31-a31e-4b4a-93e4-5f571e91255a/",
      }),
    ).toBe("cloud-service");
    expect(
      azureActor({
        appid: "5b6c7d8e-0000-4000-8000-000000000002",
        idtyp: "app",
        "http://schemas.microsoft.com/identity/claims/identityprovider":
          "https://sts.windows.net/72f988bf-0000-4000-8000-000000000000/",
      }),
    ).toBe("workload");
    expect(
      azureActor({
        xms_mirid:
          "/subscriptions/8c1a5f2e-1d2b-4c3d-9e4f-5a6b7c8d9e0f/resourcegroups/rg-ai/providers/Microsoft.ManagedIdentity/userAssignedIdentities/chat-app",
      }),
    ).toBe("workload");
    expect(azureActor(undefined)).toBe("unidentified");
  });
});
