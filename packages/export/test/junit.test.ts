import { describe, expect, it } from "vitest";
import { toJunit } from "../src/index.ts";
import { findingFor, notebook, openaiAccount, vertexEndpoint } from "./finding-fixtures.ts";

describe("JUnit XML", () => {
  const blocking = findingFor(notebook, { severity: "high", message: 'nb <"root"> & more' });
  const warning = findingFor(vertexEndpoint, { severity: "low" });
  const waived = {
    ...findingFor(openaiAccount, { status: "waived" }),
    waiver: { reason: "pilot", approver: "ciso", expires: "2027-01-31", expired: false },
  };
  const xml = toJunit([blocking, warning, waived], { suite: "aigov gate plan.json", blocking: new Set([blocking.id]) });

  it("counts tests, failures and skipped the way CI reads them", () => {
    expect(xml).toContain('<testsuites name="aigov" tests="3" failures="1" errors="0" skipped="1">');
    expect(xml).toContain('<testsuite name="aigov gate plan.json" tests="3" failures="1" errors="0" skipped="1">');
  });

  it("a blocking finding is a failure with escaped text; a waiver is skipped with its reason", () => {
    expect(xml).toContain('<failure type="high" message="nb &lt;&quot;root&quot;&gt; &amp; more">');
    expect(xml).toContain('<skipped message="waived: pilot (approver ciso, expires 2027-01-31)"/>');
    expect(xml).toContain(
      `<testcase classname="aws-sagemaker-notebook-root-access" name="${vertexEndpoint.id}" file="">`,
    );
  });

  it("a run without findings is one passing testcase", () => {
    expect(toJunit([], { suite: "s" })).toContain('<testcase classname="aigov" name="no findings"/>');
  });

  it("drops control characters XML 1.0 cannot carry", () => {
    expect(toJunit([findingFor(notebook, { message: "bad\u0001char" })], { suite: "s" })).toContain(
      'message="badchar"',
    );
  });
});
