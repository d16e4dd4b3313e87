import { describe, expect, it } from "vitest";
import { canonicalAzureLocation } from "../src/azure-location.ts";
import { asset, outcomeOf, policyFrom } from "./rule-fixture.ts";

const regionApproved = { not: { field: "region", glob: "$policy.approved_regions" } };

describe("Azure locations", () => {
  it("are one region however ARM, the portal or terraform spell them", () => {
    expect(new Set(["East US", "EastUS", "eastus", " east us ", "EAST\tUS"].map(canonicalAzureLocation))).toEqual(
      new Set(["eastus"]),
    );
  });

  it("a policy approving 'East US' or 'West*' approves Azure assets in eastus and westeurope, and nothing else", () => {
    const policy = policyFrom("approved_regions:\n  azure: [East US, West*]\n  aws: [EU-*]\n");
    const azure = (region: string) => asset({ provider: "azure", region });
    expect(outcomeOf(regionApproved, azure("eastus"), policy)).toBe("pass");
    expect(outcomeOf(regionApproved, azure("westeurope"), policy)).toBe("pass");
    expect(outcomeOf(regionApproved, azure("northeurope"), policy)).toBe("violation");
    // Other clouds' regions are not rewritten: AWS region names are case-sensitive identifiers.
    expect(outcomeOf(regionApproved, asset({ region: "eu-west-1" }), policy)).toBe("violation");
  });
});
