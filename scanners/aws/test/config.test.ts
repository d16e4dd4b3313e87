import { describe, expect, it } from "vitest";
import { normalizeAwsConfig, roleArnFor } from "../src/config.ts";
import { JitteredRetryStrategy } from "../src/retry-strategy.ts";

describe("AwsScanConfig", () => {
  it("fills defaults: all enabled regions, 128 requests in flight, CloudTrail at 2 requests/second", () => {
    const config = normalizeAwsConfig({ accounts: [{ id: "123456789012" }] });
    expect(config).toMatchObject({
      regions: "all-enabled",
      concurrency: 128,
      roleName: "AigovReadOnly",
      sessionName: "aigov-sweep",
      readSsmParameterValues: false,
      cloudTrailLookbackHours: 24,
    });
    expect(config.rateLimits["cloudtrail:LookupEvents"]).toEqual({ ratePerSecond: 2, burst: 1 });
  });

  it("rejects a config with no targets, a malformed account id, region or collector, with a stable code", () => {
    expect(() => normalizeAwsConfig({})).toThrow(expect.objectContaining({ code: "AWS_CONFIG_INVALID" }));
    expect(() => normalizeAwsConfig({ accounts: [{ id: "12345" }] })).toThrow(/12-digit/);
    expect(() => normalizeAwsConfig({ accounts: [{ id: "123456789012" }], regions: ["mars-1"] })).toThrow(
      /not a region/,
    );
    expect(() => normalizeAwsConfig({ accounts: [{ id: "123456789012" }], regions: [] })).toThrow(/empty/);
    expect(() => normalizeAwsConfig({ accounts: [{ id: "123456789012" }], services: ["s3" as never] })).toThrow(
      /unknown collector/,
    );
    expect(() => normalizeAwsConfig({ accounts: [{ id: "123456789012" }], concurrency: 0 })).toThrow(
      /positive integer/,
    );
    expect(() => normalizeAwsConfig({ organization: true, roleName: "arn:aws:iam::123456789012:role/Fixed" })).toThrow(
      /\{account\}/,
    );
  });

  it("builds the role ARN from a name, an ARN template, or the account's own override", () => {
    const byName = normalizeAwsConfig({ organization: true, roleName: "AigovReadOnly" });
    expect(roleArnFor(byName, "111111111111")).toBe("arn:aws:iam::111111111111:role/AigovReadOnly");
    const template = normalizeAwsConfig({
      organization: true,
      roleName: "arn:aws-us-gov:iam::{account}:role/path/Aigov",
    });
    expect(roleArnFor(template, "222222222222")).toBe("arn:aws-us-gov:iam::222222222222:role/path/Aigov");
    expect(roleArnFor(byName, { id: "333333333333", roleArn: "arn:aws:iam::333333333333:role/Special" })).toBe(
      "arn:aws:iam::333333333333:role/Special",
    );
  });
});

describe("JitteredRetryStrategy", () => {
  it("retries throttling and server errors with capped exponential backoff, and stops at maxAttempts", async () => {
    let retries = 0;
    const strategy = new JitteredRetryStrategy({
      maxAttempts: 4,
      baseDelayMs: 100,
      maxDelayMs: 250,
      random: () => 0.999,
      onRetry: () => retries++,
    });
    let token = await strategy.acquireInitialRetryToken("");
    const delays: number[] = [];
    for (let i = 0; i < 3; i++) {
      token = await strategy.refreshRetryTokenForRetry(token, { errorType: i === 1 ? "SERVER_ERROR" : "THROTTLING" });
      delays.push(token.getRetryDelay());
    }
    expect(delays).toEqual([99, 199, 249]);
    await expect(strategy.refreshRetryTokenForRetry(token, { errorType: "THROTTLING" })).rejects.toThrow();
    expect(retries).toBe(3);
  });

  it("does not retry client errors such as AccessDenied", async () => {
    const strategy = new JitteredRetryStrategy({ maxAttempts: 8, baseDelayMs: 1, maxDelayMs: 1, onRetry: () => {} });
    await expect(
      strategy.refreshRetryTokenForRetry(await strategy.acquireInitialRetryToken(""), { errorType: "CLIENT_ERROR" }),
    ).rejects.toThrow();
  });
});
