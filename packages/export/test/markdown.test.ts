import { describe, expect, it } from "vitest";
import { toMarkdown } from "../src/index.ts";
import { findingFor, notebook, openaiAccount, vertexEndpoint } from "./finding-fixtures.ts";

describe("markdown summary for PR comments and $GITHUB_STEP_SUMMARY", () => {
  const blocking = findingFor(notebook, { severity: "high" });
  const other = findingFor(vertexEndpoint, { severity: "low", message: "a | pipe" });
  const waived = {
    ...findingFor(openaiAccount, { status: "waived" }),
    waiver: { reason: "pilot", approver: "ciso@example.com", expires: "2027-01-31", expired: false },
  };

  it("says blocked, lists blocking findings in a table with the fix, folds the rest", () => {
    const text = toMarkdown([blocking, other, waived], {
      title: "aigov gate plan.json",
      blocking: new Set([blocking.id]),
      notes: ["threshold: high"],
    });
    expect(text.startsWith("## ❌ aigov gate plan.json\n\n**Blocked**: 1 finding must be fixed or waived.")).toBe(true);
    expect(text).toContain("- threshold: high");
    expect(text).toContain(
      `| \`${notebook.id}\` | SageMaker notebook gives users root access (\`aws-sagemaker-notebook-root-access\`) | high | \`rootAccess\` = true | Disable root access on the notebook instance. |`,
    );
    expect(text).toContain("<details><summary>Not blocking (1)</summary>");
    expect(text).toContain(
      `| \`${openaiAccount.id}\` | \`aws-sagemaker-notebook-root-access\` | pilot | ciso@example.com | 2027-01-31 |`,
    );
  });

  it("says passed when nothing blocks", () => {
    expect(toMarkdown([other], { title: "gate", blocking: new Set() })).toContain(
      "## ✅ gate\n\n**Passed**: nothing blocks.",
    );
  });

  it("caps long tables", () => {
    const many = Array.from({ length: 5 }, (_, index) => findingFor({ ...notebook, id: `nb-${index}` }));
    const text = toMarkdown(many, { title: "gate", maxRows: 2 });
    expect(text).toContain("| … | 3 more | | | |");
  });
});
