import { describe, expect, it } from "vitest";
import { renderTable } from "../src/table.ts";
import { PLAIN, type Terminal } from "../src/terminal.ts";

const terminal = (width: number): Terminal => ({ ...PLAIN, width });

const HEADER = ["STATUS", "ADDRESS", "RULE", "SEVERITY", "WHY", "FIX"];
const FIX =
  "Delete the key and use short-term Bedrock API keys or IAM roles; if a long-term key is unavoidable, create it with an expiry.";
const ROWS = [
  [
    "block",
    "aws_iam_service_specific_credential.bedrock_key",
    "bedrock-api-key-never-expires",
    "high",
    'status = "active", expiresAt = null',
    FIX,
  ],
  ["warn", "aws_bedrockagent_agent.helpdesk", "ai-agent-no-guardrail", "medium", "guardrail = absent", "Attach one."],
];
const FOLD = { fold: ["FIX", "WHY", "RULE"] };

describe("renderTable", () => {
  it("keeps one line per row where there is no width (a pipe, a file: grep finds a finding on one line)", () => {
    const lines = renderTable(HEADER, ROWS, PLAIN, FOLD).split("\n");
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/^block +aws_iam_service_specific_credential\.bedrock_key +bedrock-api-key-never-expires/);
    expect(lines[1]!.endsWith(FIX)).toBe(true);
  });

  it("at 80 columns moves the fix, the why and the rule under their row, whole, and cuts nothing", () => {
    const text = renderTable(HEADER, ROWS, terminal(80), FOLD);
    const lines = text.split("\n");
    expect(lines[0]).toMatch(/^STATUS +ADDRESS +SEVERITY$/);
    expect(lines[1]).toMatch(/^block +aws_iam_service_specific_credential\.bedrock_key +high$/);
    // Short cells share a line; the fix is prose, on its own lines, continued under its text.
    expect(lines.slice(2, 6)).toEqual([
      "    rule: bedrock-api-key-never-expires",
      '    why: status = "active", expiresAt = null',
      "    fix: Delete the key and use short-term Bedrock API keys or IAM roles; if a",
      "         long-term key is unavoidable, create it with an expiry.",
    ]);
    expect(lines.slice(6)).toEqual([
      expect.stringMatching(/^warn +aws_bedrockagent_agent\.helpdesk +medium$/),
      "    rule: ai-agent-no-guardrail  why: guardrail = absent  fix: Attach one.",
    ]);
    expect(text).not.toContain("…");
    expect(Math.max(...lines.map((line) => line.length))).toBeLessThanOrEqual(80);
  });

  it("at 120 columns folds the why before it would cut the address, and keeps the rule on the row", () => {
    const lines = renderTable(HEADER, ROWS, terminal(120), FOLD).split("\n");
    expect(lines[0]).toMatch(/^STATUS +ADDRESS +RULE +SEVERITY$/);
    expect(lines[1]).toMatch(
      /^block +aws_iam_service_specific_credential\.bedrock_key +bedrock-api-key-never-expires +high$/,
    );
    expect(lines.slice(2)).toEqual([
      '    why: status = "active", expiresAt = null',
      "    fix: Delete the key and use short-term Bedrock API keys or IAM roles; if a long-term key is unavoidable, create it",
      "         with an expiry.",
      expect.stringMatching(/^warn +aws_bedrockagent_agent\.helpdesk +ai-agent-no-guardrail +medium$/),
      "    why: guardrail = absent  fix: Attach one.",
    ]);
  });

  it("folds nothing when the whole table fits", () => {
    const short = [["pass", "a.b", "r", "low", "x", "y"]];
    expect(renderTable(HEADER, short, terminal(80), FOLD).split("\n")).toEqual([
      "STATUS  ADDRESS  RULE  SEVERITY  WHY  FIX",
      "pass    a.b      r     low       x    y",
    ]);
  });

  it("without columns to fold, narrows the widest cells with … to fit", () => {
    const lines = renderTable(HEADER, ROWS, terminal(80)).split("\n");
    expect(Math.max(...lines.map((line) => line.length))).toBeLessThanOrEqual(80);
    expect(lines[1]).toContain("…");
  });
});
