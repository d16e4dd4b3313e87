import type { Asset, ScanItem } from "@aigov/core";
import { unknown } from "@aigov/core";
import { asset } from "@aigov/scanner-kit";
import type { AwsCollectContext } from "./collect-context.ts";
import { bedrockRuntimeEndpoints, bedrockRuntimeService } from "./collectors/vpc-endpoints.ts";

const BEDROCK_TYPE = /^AWS::(Bedrock|BedrockAgentCore)::/;
const GUARDRAIL_TYPES = new Set(["AWS::Bedrock::Guardrail", "AWS::Bedrock::EnforcedGuardrailConfiguration"]);
// Always reported, whether anyone uses Bedrock in the region or not.
const NOT_USE = new Set(["AWS::Bedrock::ModelInvocationLoggingConfiguration", ...GUARDRAIL_TYPES]);

/**
 * Whether Bedrock is in use in a region target, from what the target's collectors found: Bedrock and AgentCore
 * resources (guardrails and the logging configuration aside), accepted model agreements, successful Bedrock model
 * invocations in the CloudTrail window; and, where it is, the region's summaries: whether it has a guardrail, and
 * whether Bedrock is reachable privately. A region nobody uses gets no summary: there is nothing to guard.
 */
export class BedrockRegionUse {
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

  private get inUse(): boolean {
    return this.resources > 0 || this.invocations > 0;
  }

  private get use(): Record<string, number> {
    return { bedrockResources: this.resources, bedrockInvocations: this.invocations };
  }

  guardrailCoverage(ctx: AwsCollectContext): Asset | undefined {
    if (!this.inUse) return undefined;
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
      native: { ...this.use, guardrails: this.guardrails },
    });
  }

  /**
   * Whether the region has an available interface VPC endpoint for the Bedrock runtime (`privateNetwork`), so
   * applications in its VPCs can call models without a route to the internet. Read only where Bedrock is in use.
   */
  async privateAccess(ctx: AwsCollectContext): Promise<Asset | undefined> {
    if (!this.inUse) return undefined;
    const read = await bedrockRuntimeEndpoints(ctx);
    const available = read.ok ? read.value.filter((endpoint) => endpoint.State?.toLowerCase() === "available") : [];
    return asset(ctx, {
      kind: "setting",
      type: "AWS::Bedrock::RegionPrivateAccess",
      id: `arn:aws:bedrock:${ctx.region}:${ctx.account}:private-access`,
      name: `bedrock private access ${ctx.account} ${ctx.region}`,
      tags: {},
      privateNetwork: read.ok ? available.length > 0 : unknown(read.reason),
      native: {
        ...this.use,
        serviceName: bedrockRuntimeService(ctx.region),
        vpcEndpoints: read.ok
          ? read.value.map((endpoint) => ({
              id: endpoint.VpcEndpointId ?? "",
              vpcId: endpoint.VpcId ?? "",
              state: endpoint.State ?? "",
              privateDnsEnabled: endpoint.PrivateDnsEnabled ?? false,
            }))
          : unknown(read.reason),
      },
    });
  }
}
