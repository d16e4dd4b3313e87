import { defineScanner } from "@aigov/scanner-kit";
import { describe, expect, it } from "vitest";
import { createAwsScanner } from "../../../scanners/aws/src/index.ts";
import { targetsAtOnce } from "../src/sweep/sweep-execution.ts";

// A scanner that leaves the request bound to the sweep (no `concurrency`), as a plugin may.
const unbounded = defineScanner({
  provider: "azure",
  targets: async function* () {},
  collect: async function* () {},
  stats: () => ({ apiCalls: 0, retries: 0 }),
});

describe("targets an `aigov sweep` sweeps at once without --concurrency", () => {
  it("is half the requests the AWS scanner keeps in flight, so its request slots stay busy, up to 32 targets", () => {
    const aws = createAwsScanner();
    expect(targetsAtOnce([{ scanner: aws, config: { organization: true } }])).toBe(
      Math.min(32, aws.concurrency({ organization: true }) / 2),
    );
    // More requests in flight do not hold more targets (memory follows targets): each target keeps more requests busy.
    expect(targetsAtOnce([{ scanner: aws, config: { organization: true, concurrency: 128 } }])).toBe(32);
    expect(targetsAtOnce([{ scanner: aws, config: { organization: true, concurrency: 48 } }])).toBe(24);
    expect(
      targetsAtOnce([
        { scanner: aws, config: { organization: true } },
        { scanner: unbounded, config: { organization: true } },
      ]),
    ).toBe(32);
    aws.close();
  });

  it("is 16 when no scanner keeps more than 32 requests in flight", () => {
    const aws = createAwsScanner();
    expect(targetsAtOnce([{ scanner: aws, config: { organization: true, concurrency: 8 } }])).toBe(16);
    expect(targetsAtOnce([{ scanner: unbounded, config: { organization: true } }])).toBe(16);
    aws.close();
  });

  it("is what a scanner asks for when it says (targetsInFlight), else half its requests in flight", () => {
    const asks = { ...unbounded, concurrency: () => 200, targetsInFlight: () => 20 };
    const requestsOnly = { ...unbounded, concurrency: () => 60 };
    expect(targetsAtOnce([{ scanner: asks, config: {} }])).toBe(20);
    expect(targetsAtOnce([{ scanner: requestsOnly, config: {} }])).toBe(30);
    expect(
      targetsAtOnce([
        { scanner: asks, config: {} },
        { scanner: requestsOnly, config: {} },
      ]),
    ).toBe(30);
  });
});
