import { describe, expect, it } from "vitest";
import { loadRules } from "../src/rule.ts";
import type { Rule } from "../src/rule.ts";
import { nativeShapeReasons } from "./native-shapes.ts";

const rule = (appliesTo: Rule["appliesTo"], condition: unknown) => ({ appliesTo, condition }) as unknown as Rule;

describe("normalized facts in the default rule pack", () => {
  it("no rule reads one fact in two native shapes: a fact two shapes share is a normalized fact", async () => {
    const offenders = (await loadRules()).flatMap((each) =>
      nativeShapeReasons(each).map((reason) => `${each.id}: ${reason}`),
    );
    expect(offenders).toEqual([]);
  });

  it("the check sees both ways of doing it", () => {
    const planned = { subject: "asset", type: ["aws_sagemaker_model", "AWS::SageMaker::Model"] } as const;
    expect(
      nativeShapeReasons(
        rule(planned, {
          any: [
            { field: "native.enable_network_isolation", eq: true },
            { field: "native.EnableNetworkIsolation", eq: true },
          ],
        }),
      ),
    ).toHaveLength(2);
    expect(
      nativeShapeReasons(
        rule(
          { subject: "asset", type: ["google_notebooks_instance", "google_workbench_instance"] },
          {
            not: {
              any: [
                { field: "native.shielded_instance_config.0.enable_secure_boot", eq: true },
                { field: "native.gce_setup.0.shielded_instance_config.0.enable_secure_boot", eq: true },
              ],
            },
          },
        ),
      ),
    ).toEqual([
      "tests native.shielded_instance_config.0.enable_secure_boot and native.gce_setup.0.shielded_instance_config.0.enable_secure_boot alike",
    ]);
    // One shape, read precisely: what native is for.
    expect(
      nativeShapeReasons(
        rule(
          { subject: "asset", type: ["AWS::SageMaker::TrainingJob", "AWS::SageMaker::ProcessingJob"] },
          {
            field: "native.EnableNetworkIsolation",
            eq: false,
          },
        ),
      ),
    ).toEqual([]);
  });
});
