import type { Asset, ScanItem } from "@aigov/core";
import { unknown } from "@aigov/core";
import { asset } from "@aigov/scanner-kit";
import type { AwsCollectContext } from "./collect-context.ts";

const BEDROCK_TYPE = /^AWS::(Bedrock|BedrockAgentCore)::/;
const GUARDRAIL_TYPES = new Set(["AWS::Bedrock::Guardrail", "AWS::Bedrock::EnforcedGuardrailConfiguration"]);
// Always reported, whether anyone uses Bedrock in the region or not.
const NOT_USE = new Set(["AWS::Bedrock::ModelInvocationLoggingConfiguration", ...GUARDRAIL_TYPES]);

/**
 * Whether Bedrock is in use in a region target and whether the region has a guardrail, from what the target's
 * collectors found: Bedrock and AgentCore resources (guardrails and the logging configuration aside), accepted
 * model agreements, successful Bedrock model invocations in the CloudTrail window. A region nobody uses gets no
 * subject: there is nothing to guard.
 */
export class GuardrailCoverage {
  private resources = 0;
  private invocations = 0;
  private guardrails = 0;

  observe(item: ScanItem): void {
    if (item.type !== "subject") return;
    const subject = item.subject;
    if (subject.subject === "asset") {
      if (GUARDRAIL_TYPES.has(subject.type)) this.guardrails += 1;
      else if (BEDROCK_TYPE.test(subject.type) && !NOT_USE.has(subject.type)) this.resources += 1;
    } else if (subject.subject === "api-call") {
      if (subject.service === "bedrock" && subject.usage === true && subject.outcome === "success")
        this.invocations += 1;
    }
  }

  subject(ctx: AwsCollectContext): Asset | undefined {
    if (this.resources === 0 && this.invocations === 0) return undefined;
    return asset(ctx, {
      kind: "setting",
      type: "AWS::Bedrock::RegionGuardrailCoverage",
      id: `arn:aws:bedrock:${ctx.region}:${ctx.account}:guardrail-coverage`,
      name: `bedrock guardrails ${ctx.account} ${ctx.region}`,
      tags: {},
      // A guardrail listing that failed leaves it open, unless another listing found one.
      guardrail:
        this.guardrails > 0 ||
        (!ctx.hasGap("bedrock", "ListGuardrails") && !ctx.hasGap("bedrock", "ListEnforcedGuardrailsConfiguration"))
          ? this.guardrails > 0
          : unknown("the region's guardrails could not be listed"),
      native: {
        bedrockResources: this.resources,
        bedrockInvocations: this.invocations,
        guardrails: this.guardrails,
      },
    });
  }
}
