import type { ScanItem } from "@aigov/core";
import { DescribeTaskDefinitionCommand, ECSClient, paginateListTaskDefinitions } from "@aws-sdk/client-ecs";
import { LambdaClient, paginateListFunctions } from "@aws-sdk/client-lambda";
import { GetParametersCommand, paginateDescribeParameters, SSMClient } from "@aws-sdk/client-ssm";
import { eachItem, listing, subjects } from "@aigov/scanner-kit";
import { type AwsCollectContext, pageSize } from "../collect-context.ts";
import { keysElsewhere, keysInEnvironment, keysInValue } from "../config-keys.ts";

/** Third-party AI keys in Lambda environment variables (ListFunctions returns them inline). */
export async function* collectLambdaKeys(ctx: AwsCollectContext): AsyncGenerator<ScanItem> {
  const client = ctx.client(LambdaClient, "lambda");
  yield* listing(
    ctx,
    "lambda",
    "ListFunctions",
    paginateListFunctions({ client, pageSize: pageSize(ctx, 50) }, {}),
    async (page) => {
      const found: ScanItem[] = [];
      for (const fn of page.Functions ?? []) {
        const name = fn.FunctionName ?? "";
        const arn = fn.FunctionArn ?? `arn:aws:lambda:${ctx.region}:${ctx.account}:function:${name}`;
        // Variables encrypted with a key the scanner cannot use come back as an error instead of values.
        if (fn.Environment?.Error !== undefined) {
          ctx.addGap({
            provider: "aws",
            account: ctx.account,
            region: ctx.region,
            service: "lambda",
            operation: "ListFunctions",
            code: "Unreadable",
            message: `environment of ${name} not readable: ${fn.Environment.Error.ErrorCode ?? "error"}`,
          });
          continue;
        }
        const where = { resourceId: arn, resourceName: name, resourceType: "AWS::Lambda::Function" };
        found.push(
          ...subjects([
            ...keysInEnvironment(ctx, fn.Environment?.Variables, { ...where, source: "lambda" }),
            ...keysElsewhere(ctx, fn, where),
          ]),
        );
      }
      return found;
    },
  );
}

/** Third-party AI keys in ECS task definition container environments (the latest ACTIVE revision of each family). */
export async function* collectEcsKeys(ctx: AwsCollectContext): AsyncGenerator<ScanItem> {
  const client = ctx.client(ECSClient, "ecs");
  // Newest first, so the first ARN seen for a family is its latest revision; older revisions are not deployed by default.
  const seen = new Set<string>();
  yield* listing(
    ctx,
    "ecs",
    "ListTaskDefinitions",
    paginateListTaskDefinitions({ client, pageSize: pageSize(ctx, 100) }, { status: "ACTIVE", sort: "DESC" }),
    (page) => {
      const latest = (page.taskDefinitionArns ?? []).filter((arn) => {
        const family = arn.replace(/:\d+$/, "");
        if (seen.has(family)) return false;
        seen.add(family);
        return true;
      });
      return eachItem(latest, async (arn) => {
        const read = await ctx.attempt("ecs", "DescribeTaskDefinition", () =>
          client.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn })),
        );
        if (!read.ok) return [];
        const definition = read.value.taskDefinition;
        const name = `${definition?.family ?? arn}:${definition?.revision ?? ""}`;
        return subjects([
          ...(definition?.containerDefinitions ?? []).flatMap((container) =>
            keysInEnvironment(
              ctx,
              Object.fromEntries((container.environment ?? []).map((pair) => [pair.name ?? "", pair.value ?? ""])),
              {
                resourceId: `${arn}/container/${container.name ?? ""}`,
                resourceName: `${name}/${container.name ?? ""}`,
                source: "ecs",
                resourceType: "AWS::ECS::TaskDefinition",
              },
            ),
          ),
          ...keysElsewhere(ctx, definition, {
            resourceId: arn,
            resourceName: name,
            resourceType: "AWS::ECS::TaskDefinition",
          }),
        ]);
      });
    },
  );
}

/**
 * Third-party AI keys in SSM String/StringList parameters, when the user opted in to reading their values
 * (`readSsmParameterValues`); otherwise the parameters are listed by their metadata only and counted for the
 * sweep's coverage notice. SecureString values are never requested or decrypted.
 */
export async function* collectSsmKeys(ctx: AwsCollectContext): AsyncGenerator<ScanItem> {
  const client = ctx.client(SSMClient, "ssm");
  const filters = [{ Key: "Type", Option: "Equals", Values: ["String", "StringList"] }];
  yield* listing(
    ctx,
    "ssm",
    "DescribeParameters",
    paginateDescribeParameters({ client, pageSize: pageSize(ctx, 50) }, { ParameterFilters: filters }),
    async (page) => {
      // Filtered again here: the parameter type is what keeps SecureString values out, so it is checked twice.
      const listed = new Map(
        (page.Parameters ?? [])
          .filter((p) => p.Type === "String" || p.Type === "StringList")
          .map((p) => [p.Name ?? "", p]),
      );
      const names = [...listed.keys()];
      if (!ctx.config.readSsmParameterValues) {
        ctx.unreadSsmValues.add(ctx.account, ctx.region, names.length);
        // The metadata DescribeParameters listed (a description) is read all the same.
        return subjects(
          [...listed.values()].flatMap((parameter) => keysElsewhere(ctx, parameter, ssmWhere(ctx, parameter))),
        );
      }
      const batches: string[][] = [];
      for (let i = 0; i < names.length; i += 10) batches.push(names.slice(i, i + 10));
      return eachItem(batches, async (batch) => {
        const read = await ctx.attempt("ssm", "GetParameters", () =>
          client.send(new GetParametersCommand({ Names: batch, WithDecryption: false })),
        );
        if (!read.ok) return [];
        return subjects(
          (read.value.Parameters ?? [])
            .filter((p) => p.Type !== "SecureString")
            .flatMap(({ Value: value, ...parameter }) => {
              const where = ssmWhere(ctx, parameter);
              return [
                ...keysInValue(ctx, value ?? "", { ...where, source: "ssm", variable: "value" }),
                // The description and the other metadata DescribeParameters listed.
                ...keysElsewhere(ctx, { ...listed.get(parameter.Name ?? ""), ...parameter }, where),
              ];
            }),
        );
      });
    },
  );
}

/** Where an SSM parameter's keys are: its ARN (made from its name when the API leaves it out). */
function ssmWhere(ctx: AwsCollectContext, parameter: { readonly ARN?: string; readonly Name?: string }) {
  const name = parameter.Name ?? "";
  return {
    resourceId:
      parameter.ARN ?? `arn:aws:ssm:${ctx.region}:${ctx.account}:parameter${name.startsWith("/") ? "" : "/"}${name}`,
    resourceName: name,
    resourceType: "AWS::SSM::Parameter",
  };
}
