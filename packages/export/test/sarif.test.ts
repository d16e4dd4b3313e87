import { describe, expect, it } from "vitest";
import type { Finding } from "@aigov/core";
import { toSarif } from "../src/index.ts";
import { findingFor, notebook, openaiAccount } from "./finding-fixtures.ts";

describe("SARIF 2.1.0 for GitHub code scanning", () => {
  const open = {
    ...findingFor(notebook, { severity: "high" }),
    source: { file: "plans\\plan.json", line: 12, path: "aws_sagemaker_notebook_instance.nb" },
  };
  const waived = {
    ...findingFor(openaiAccount, {
      ruleId: "ai-key-auth-enabled",
      title: "AI service accepts static API keys",
      severity: "medium",
      status: "waived",
    }),
    waiver: { reason: "migration in Q1", approver: "ciso@example.com", expires: "2027-03-31", expired: false },
  };
  const log = toSarif([open, waived], { defaultUri: "plan.json" });
  const [run] = log.runs;

  it("declares the version and the tool, with one rule entry per rule used", () => {
    expect(log.version).toBe("2.1.0");
    expect(run?.tool.driver.name).toBe("aigov");
    expect(run?.tool.driver.rules?.map((rule) => rule.id)).toEqual([
      "ai-key-auth-enabled",
      "aws-sagemaker-notebook-root-access",
    ]);
  });

  it("gives each rule what code scanning shows: descriptions, help with the terraform fix, security-severity, tags", () => {
    const rule = run?.tool.driver.rules?.find((entry) => entry.id === "aws-sagemaker-notebook-root-access");
    expect(rule?.shortDescription?.text).toBe("SageMaker notebook gives users root access");
    expect(rule?.help?.markdown).toContain('root_access = "Disabled"');
    expect(rule?.properties?.["security-severity"]).toBe("8.0");
    expect(rule?.properties?.tags).toContain("nist-ai-rmf/MANAGE-2.2");
    expect(rule?.defaultConfiguration?.level).toBe("error");
  });

  it("locates results in the plan file with forward slashes, names the resource, and fingerprints them by finding id", () => {
    const result = run?.results?.find((entry) => entry.ruleId === "aws-sagemaker-notebook-root-access");
    expect(result?.locations?.[0]?.physicalLocation?.artifactLocation?.uri).toBe("plans/plan.json");
    expect(result?.locations?.[0]?.physicalLocation?.region?.startLine).toBe(12);
    expect(result?.locations?.[0]?.logicalLocations?.[0]?.fullyQualifiedName).toBe(
      "aws_sagemaker_notebook_instance.nb",
    );
    expect(result?.partialFingerprints?.["aigovFindingId/v1"]).toBe(open.id);
    expect(run?.tool.driver.rules?.[result!.ruleIndex!]?.id).toBe(result?.ruleId);
  });

  it("a waived finding is a suppression with its justification; a finding without a file points at the default uri", () => {
    const result = run?.results?.find((entry) => entry.ruleId === "ai-key-auth-enabled");
    expect(result?.suppressions).toEqual([
      {
        kind: "external",
        status: "accepted",
        justification: "migration in Q1 (approved by ciso@example.com, expires 2027-03-31)",
      },
    ]);
    expect(result?.level).toBe("warning");
    expect(result?.locations?.[0]?.physicalLocation?.artifactLocation?.uri).toBe("plan.json");
  });

  it("a plan read from stdin or a path with spaces is a valid uri-reference", () => {
    const fromStdin = toSarif([
      { ...open, source: { file: "<stdin>" } },
      { ...open, id: "x", source: { file: "my plans/plan.json" } },
    ]);
    expect(
      fromStdin.runs[0]?.results?.map((result) => result.locations?.[0]?.physicalLocation?.artifactLocation?.uri),
    ).toEqual(["%3Cstdin%3E", "my%20plans/plan.json"]);
  });

  it("an absolute path is named relative to the base directory, or as a file: URI outside it; a cloud id is a path", () => {
    const uris = (findings: Finding[]) =>
      toSarif(findings, { baseDir: "/repo" }).runs[0]?.results?.map(
        (result) => result.locations?.[0]?.physicalLocation?.artifactLocation?.uri,
      );
    expect(
      uris([
        { ...open, source: { file: "/repo/infra/plan.json" } },
        { ...open, id: "y", source: { file: "/tmp/plan.json" } },
      ]),
    ).toEqual(["infra/plan.json", "file:///tmp/plan.json"]);
    const arn = "arn:aws:lambda:us-west-2:100000000004:function:writer#env:OPENAI_API_KEY";
    const { source: _none, ...live } = open;
    expect(
      uris([
        { ...live, subject: { ...live.subject, id: arn } },
        { ...live, id: "z", subject: { ...live.subject, id: "/subscriptions/s/resourceGroups/rg" } },
      ]),
    ).toEqual([
      "arn%3Aaws%3Alambda%3Aus-west-2%3A100000000004%3Afunction%3Awriter%23env%3AOPENAI_API_KEY",
      "subscriptions/s/resourceGroups/rg",
    ]);
  });

  it("an empty run is still a valid log with no results", () => {
    const empty = toSarif([]);
    expect(empty.runs[0]?.results).toEqual([]);
    expect(empty.runs[0]?.tool.driver.rules).toEqual([]);
  });
});
