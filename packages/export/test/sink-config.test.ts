import { parsePolicy } from "@aigov/core";
import { describe, expect, it } from "vitest";
import { createSink, parseSinks } from "../src/index.ts";

function sinks(yaml: string) {
  return parseSinks(parsePolicy(`# policy\nsinks:\n${yaml}`, "/etc/aigov/aigov.yaml"));
}

function failure(yaml: string): { code: string; message: string; line?: number; column?: number; hint?: string } {
  try {
    sinks(yaml);
  } catch (error) {
    const typed = error as {
      code: string;
      message: string;
      position?: { line?: number; column?: number };
      hint?: string;
    };
    return {
      code: typed.code,
      message: typed.message,
      line: typed.position?.line,
      column: typed.position?.column,
      hint: typed.hint,
    };
  }
  throw new Error("expected the sinks section to be refused");
}

describe("sinks: section of the policy file", () => {
  it("reads every sink type with its defaults", () => {
    const parsed = sinks(
      [
        "  - { name: out, type: file, path: findings.ndjson }",
        "  - { name: splunk, type: splunk-hec, url: https://splunk:8088, token_env: HEC_TOKEN }",
        "  - { name: elastic, type: elastic, url: https://es:9200, api_key_env: ES_KEY }",
        "  - { name: sentinel, type: sentinel, endpoint: https://dce.ingest.monitor.azure.com, dcr_immutable_id: dcr-00ff, stream: Custom-AigovFindings_CL, tenant_id: t, client_id: c, client_secret_env: AZ }",
        '  - { name: hub, type: security-hub, region: us-east-1, account_id: "123456789012" }',
        "  - { name: siem, type: syslog, host: siem.example.com }",
        "  - { name: hook, type: webhook, url: https://hooks.example.com/aigov, secret_env: HOOK }",
      ].join("\n"),
    );
    expect(parsed.map((sink) => sink.type)).toEqual([
      "file",
      "splunk-hec",
      "elastic",
      "sentinel",
      "security-hub",
      "syslog",
      "webhook",
    ]);
    // Relative paths are relative to the policy file, like the store's.
    expect(parsed[0]).toMatchObject({
      path: "/etc/aigov/findings.ndjson",
      format: "ocsf",
      limits: { maxRecords: 10_000 },
    });
    expect(parsed[1]).toMatchObject({
      ack: false,
      sourcetype: "aigov:ocsf",
      limits: { maxRecords: 1000, maxBytes: 1024 * 1024 },
      retry: { attempts: 5 },
    });
    expect(parsed[2]).toMatchObject({ dataStream: "logs-aigov.findings-default", auth: { apiKeyEnv: "ES_KEY" } });
    expect(parsed[3]).toMatchObject({ tokenEndpoint: "https://login.microsoftonline.com/t/oauth2/v2.0/token" });
    expect(parsed[4]).toMatchObject({ partition: "aws", limits: { maxRecords: 100 } });
    expect(parsed[5]).toMatchObject({ protocol: "tls", port: 6514, format: "cef", facility: 13 });
    expect(parseSinks(parsePolicy("approved_regions: {}\n", "aigov.yaml"))).toEqual([]);
  });

  it("points at the line and column of each defect", () => {
    expect(failure("  - { name: s, type: kafka }")).toMatchObject({
      code: "EXPORT_SINK_CONFIG",
      line: 3,
      column: 22,
      message:
        'sinks[0].type: is "kafka", not one of: file, splunk-hec, elastic, sentinel, security-hub, syslog, webhook',
    });
    expect(
      failure("  - name: s\n    type: splunk-hec\n    url: https://x\n    token_env: T\n    indx: main"),
    ).toMatchObject({
      line: 7,
      column: 5,
      message: "sinks[0].indx: unknown key 'indx'",
      hint: expect.stringContaining("index"),
    });
    expect(failure("  - { name: s, type: splunk-hec, url: https://x }")).toMatchObject({
      line: 3,
      message: "sinks[0]: is missing the required key 'token_env'",
    });
    expect(failure("  - { name: s, type: syslog, host: h, port: 70000 }")).toMatchObject({
      column: 45,
      message: "sinks[0].port: must be an integer from 1 to 65535",
    });
    expect(failure("  - { name: s, type: webhook, url: ftp://x, secret_env: S }")).toMatchObject({
      message: "sinks[0].url: must be an http:// or https:// URL",
      hint: "e.g. https://hooks.example.com/aigov",
    });
    expect(
      failure(
        '  - { name: h, type: security-hub, region: us-east-1, account_id: "123456789012", batch: { max_records: 101 } }',
      ),
    ).toMatchObject({
      message: "sinks[0].batch.max_records: must be an integer from 1 to 100",
    });
    expect(failure("  - { name: a, type: file, path: x }\n  - { name: a, type: file, path: y }")).toMatchObject({
      line: 4,
      message: "sinks[1]: a sink named 'a' is already defined",
    });
    expect(failure("  - { name: s, type: webhook, url: https://x, secret_env: 'not a var' }")).toMatchObject({
      column: 59,
      message: "sinks[0].secret_env: must name an environment variable (letters, digits and _), not hold its value",
    });
    expect(failure("  - { name: s, type: elastic, url: https://x }")).toMatchObject({
      line: 3,
      message: "sinks[0]: needs api_key_env, or username and password_env",
    });
    expect(failure("  - { name: s, type: file, path: x, format: asff }")).toMatchObject({
      column: 45,
      message: expect.stringContaining("sinks[0].format: asff needs account_id and region"),
    });
    expect(failure("  - { name: s, type: file, path: x, retry: { tries: 3 } }")).toMatchObject({
      message: "sinks[0].retry.tries: unknown key 'tries'",
      hint: "allowed here: attempts, base_ms, max_ms, max_retry_after_ms",
    });
  });

  it("never takes a secret from the file: it asks for the name of an environment variable", () => {
    const refused = failure(
      "  - name: s\n    type: webhook\n    url: https://x\n    secret_env: S\n    secret: hunter2",
    );
    expect(refused).toMatchObject({
      line: 7,
      column: 13,
      message: "sinks[0].secret: secrets never go in the policy file",
      hint: expect.stringContaining("secret_env"),
    });
    expect(JSON.stringify(refused)).not.toContain("hunter2");
    // The secret in place of its variable's name: said to be a secret, not a missing token_env.
    for (const [type, rest] of [
      ["splunk-hec", "url: https://x, token: 9f1c-hec"],
      ["elastic", "url: https://x, username: u, password: 9f1c-pw"],
      [
        "sentinel",
        "endpoint: https://x, dcr_immutable_id: d, stream: s, tenant_id: t, client_id: c, client_secret: 9f1c-cs",
      ],
    ]) {
      const instead = failure(`  - { name: s, type: ${type}, ${rest} }`);
      expect(instead.message, type).toMatch(
        /^sinks\[0\]\.(token|password|client_secret): secrets never go in the policy file$/,
      );
      expect(JSON.stringify(instead)).not.toContain("9f1c");
    }
    // A token pasted where its variable's name belongs is refused without being repeated.
    const pasted = failure("  - { name: s, type: splunk-hec, url: https://x, token_env: 9f1c2e7a-55d4-4b7e-a1f0 }");
    expect(pasted).toMatchObject({
      line: 3,
      message: "sinks[0].token_env: must name an environment variable (letters, digits and _), not hold its value",
    });
    expect(JSON.stringify(pasted)).not.toContain("9f1c2e7a");
    const [config] = sinks("  - { name: s, type: splunk-hec, url: https://x, token_env: AIGOV_HEC }");
    expect(() => createSink(config!, {})).toThrow(/needs the environment variable AIGOV_HEC/);
    try {
      createSink(config!, {});
    } catch (error) {
      expect((error as { position?: { line?: number } }).position?.line).toBe(3);
    }
  });
});
