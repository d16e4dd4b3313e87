import { describe, expect, it } from "vitest";
import { type CatalogueEntry, createCatalogue } from "../src/catalogue.ts";

const read = (operation: string, extra: Partial<CatalogueEntry> = {}): CatalogueEntry => ({
  service: "compute",
  operation,
  kind: "read",
  returnsSecret: false,
  permissions: [`compute.${operation}`],
  holder: "reader",
  ...extra,
});

const catalogue = createCatalogue(
  "gcp",
  [
    read("instances.list"),
    read("instances.get"),
    read("metadata.get", { optIn: "metadata-values", requiredInput: { redacted: true } }),
    read("projects.get", { holder: "organization-reader" }),
  ],
  {
    wireName: (entry) => `GET ${entry.operation}`,
    optIns: { "metadata-values": { policyKey: "read_metadata", flag: "--gcp-read-metadata" } },
  },
);

describe("createCatalogue", () => {
  it("lets a catalogued call through, and refuses any other before it is sent, with the cloud's code", () => {
    expect(catalogue.guard("GET instances.list", {}, new Set()).operation).toBe("instances.list");
    expect(() => catalogue.guard("DELETE instances", {}, new Set())).toThrow(
      expect.objectContaining({
        code: "GCP_COMMAND_NOT_ALLOWED",
        message: expect.stringContaining("DELETE instances"),
      }),
    );
  });

  it("sends an opt-in call only with its opt-in on, and only with its required input", () => {
    expect(() => catalogue.guard("GET metadata.get", { redacted: true }, new Set())).toThrow(
      /sent only with read_metadata on \(targets\.gcp in aigov\.yaml\)/,
    );
    expect(() => catalogue.guard("GET metadata.get", { redacted: false }, new Set(["metadata-values"]))).toThrow(
      /must be sent with redacted=true/,
    );
    expect(catalogue.guard("GET metadata.get", { redacted: true }, new Set(["metadata-values"])).optIn).toBe(
      "metadata-values",
    );
  });

  it("lists each identity's permissions sorted, the opt-in's apart from the default set", () => {
    expect(catalogue.permissions("reader")).toEqual(["compute.instances.get", "compute.instances.list"]);
    expect(catalogue.permissions("reader", "metadata-values")).toEqual(["compute.metadata.get"]);
    expect(catalogue.permissions("organization-reader")).toEqual(["compute.projects.get"]);
  });
});
