import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ROLE_FILE, roleFileText } from "../scripts/write-permissions.ts";
import { GCP_CATALOGUE_ENTRIES } from "../src/catalogue.ts";

describe("docs/permissions/gcp-role.yaml: the custom role, generated from the catalogue", () => {
  const committed = readFileSync(ROLE_FILE, "utf8");
  const role = parse(committed) as { title: string; stage: string; includedPermissions: string[] };

  it("is committed exactly as the script writes it", () => {
    expect(committed, "run node scanners/gcp/scripts/write-permissions.ts").toBe(roleFileText());
  });

  it("grants gets, lists, searches and IAM policy reads only, and never a key string", () => {
    expect(role.stage).toBe("GA");
    expect(role.includedPermissions.filter((p) => !/^[a-z]+\.[a-zA-Z]+\.(get|list|getIamPolicy)$/.test(p))).toEqual([]);
    expect(role.includedPermissions).not.toContain("apikeys.keys.getKeyString");
    // Data Access audit entries are private logs: reading them needs their own permission.
    expect(role.includedPermissions).toContain("logging.privateLogEntries.list");
    expect(role.includedPermissions).toEqual([...new Set(GCP_CATALOGUE_ENTRIES.flatMap((e) => e.permissions))].sort());
  });
});
