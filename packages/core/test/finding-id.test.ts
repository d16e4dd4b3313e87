import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { findingId, subjectRef } from "../src/finding.ts";
import { asset } from "./rule-fixture.ts";

const ref = subjectRef(asset({ id: "arn:aws:sagemaker:eu-west-1:111111111111:endpoint/e1" }));

describe("finding ids", () => {
  it("are the same in another process (and so on another machine: no time, host or randomness goes in)", () => {
    const script = `import { findingId } from "./packages/core/src/finding.ts";
process.stdout.write(findingId("ai-public-network-access", ${JSON.stringify(ref)}));`;
    const other = execFileSync(
      process.execPath.includes("node_modules") ? process.execPath : "node_modules/.bin/node",
      ["--input-type=module", "-e", script],
      { encoding: "utf8" },
    );
    expect(other).toBe(findingId("ai-public-network-access", ref));
    expect(other).toMatch(/^[0-9a-f]{32}$/);
  });

  it("depend on the rule and the subject identity only", () => {
    expect(findingId("r1", ref)).not.toBe(findingId("r2", ref));
    expect(findingId("r1", ref)).not.toBe(findingId("r1", { ...ref, id: `${ref.id}-2` }));
    expect(findingId("r1", ref)).toBe(findingId("r1", { ...ref, name: "renamed", region: "us-east-1" }));
  });

  // sha256("ai-public-network-access\nasset|aws|x"), computed with sha256sum: a change to the scheme breaks SIEM dedup.
  it("pin a known value so a change to the scheme is noticed (SIEMs deduplicate on it)", () => {
    expect(findingId("ai-public-network-access", { ...ref, type: "asset", provider: "aws", id: "x" })).toBe(
      "00268a6a5c171010a7170e3d8cce8e20",
    );
  });
});
