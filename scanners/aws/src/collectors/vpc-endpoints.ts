import { EC2Client, paginateDescribeVpcEndpoints, type VpcEndpoint } from "@aws-sdk/client-ec2";
import type { Attempt } from "@aigov/scanner-kit";
import { type AwsCollectContext, pageSize } from "../collect-context.ts";

// DescribeVpcEndpoints takes MaxResults between 5 and 1000.
const MIN_PAGE = 5;
const MAX_PAGE = 1000;

/** The PrivateLink service name of the Bedrock runtime (model invocation) in a region. */
export function bedrockRuntimeService(region: string): string {
  return `com.amazonaws.${region}.bedrock-runtime`;
}

/** The region's interface VPC endpoints for the Bedrock runtime, in any state, read once per target. */
export function bedrockRuntimeEndpoints(ctx: AwsCollectContext): Promise<Attempt<VpcEndpoint[]>> {
  return ctx.once("ec2:bedrock-runtime-endpoints", () =>
    ctx.attempt("ec2", "DescribeVpcEndpoints", async () => {
      const client = ctx.client(EC2Client, "ec2");
      const endpoints: VpcEndpoint[] = [];
      const pages = paginateDescribeVpcEndpoints(
        { client, pageSize: Math.max(MIN_PAGE, pageSize(ctx, MAX_PAGE)) },
        {
          Filters: [
            { Name: "service-name", Values: [bedrockRuntimeService(ctx.region)] },
            { Name: "vpc-endpoint-type", Values: ["Interface"] },
          ],
        },
      );
      for await (const page of pages) endpoints.push(...(page.VpcEndpoints ?? []));
      return endpoints;
    }),
  );
}
