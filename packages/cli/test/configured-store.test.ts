import { parsePolicy } from "@aigov/core";
import { describe, expect, it } from "vitest";
import { storeSettings } from "../src/configured-store.ts";

const env = { HOME: "/home/u" };

describe("where a command's store is", () => {
  it("a policy's store: path, in either form, is relative to the policy file's directory", () => {
    for (const yaml of ["store: ./history/aigov.db\n", "store:\n  path: ./history/aigov.db\n"]) {
      expect(storeSettings(parsePolicy(yaml, "/etc/aigov/aigov.yaml"), {}, env, "/work").path).toBe(
        "/etc/aigov/history/aigov.db",
      );
    }
  });

  it("a policy file named relative to the working directory still anchors its store: path", () => {
    const policy = parsePolicy("store: { path: x.db }\n", "conf/aigov.yaml");
    expect(storeSettings(policy, {}, env, "/srv/run").path).toBe("/srv/run/conf/x.db");
  });

  it("--store and AIGOV_STORE are relative to the working directory", () => {
    const policy = parsePolicy("store: { path: x.db }\n", "/etc/aigov/aigov.yaml");
    expect(storeSettings(policy, { store: "y.db" }, env, "/srv/run").path).toBe("/srv/run/y.db");
    expect(storeSettings(policy, {}, { ...env, AIGOV_STORE: "z.db" }, "/srv/run").path).toBe("/srv/run/z.db");
  });
});
