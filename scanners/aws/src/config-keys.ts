import { findAiKeys, type Key, keysInFields, unknown } from "@aigov/core";
import { type AwsCollectContext, plain } from "./collect-context.ts";

/** Where a configuration value was read: the resource and the variable/parameter name. */
export interface ConfigLocation {
  /** ARN of the resource holding the value (function, task definition, parameter, model). */
  readonly resourceId: string;
  readonly resourceName: string;
  /** `lambda`, `ecs`, `ssm`, `sagemaker-model` … */
  readonly source: string;
  /** Variable or parameter name. */
  readonly variable: string;
  readonly resourceType: string;
}

/**
 * Third-party AI keys in one configuration value, as Key subjects. The value is passed through `findAiKeys` and
 * dropped: only the redacted form and fingerprint survive, so a secret never reaches a result, a log or the store.
 */
export function keysInValue(ctx: AwsCollectContext, value: string, where: ConfigLocation): Key[] {
  return findAiKeys(value).map((match, index) => ({
    subject: "key",
    provider: "aws",
    account: ctx.account,
    region: ctx.region,
    kind: "key",
    type: "third-party-ai-key",
    vendor: match.vendor,
    id: `${where.resourceId}#${where.variable}${index === 0 ? "" : `#${index}`}`,
    name: `${where.resourceName}:${where.variable}`,
    redacted: match.redacted,
    fingerprint: match.fingerprint,
    location: `${where.source}:${where.resourceName}:${where.variable}`,
    tags: unknown("tags of the resource holding the key are not read"),
    native: {
      pattern: match.patternId,
      source: where.source,
      resourceId: where.resourceId,
      resourceType: where.resourceType,
      variable: where.variable,
    },
  }));
}

/** Keys in an environment map (Lambda, SageMaker containers and jobs). */
export function keysInEnvironment(
  ctx: AwsCollectContext,
  env: Readonly<Record<string, string>> | undefined,
  where: Omit<ConfigLocation, "variable">,
): Key[] {
  const keys: Key[] = [];
  for (const [variable, value] of Object.entries(env ?? {}))
    keys.push(...keysInValue(ctx, value, { ...where, variable: `env:${variable}` }));
  return keys;
}

/**
 * Keys anywhere else in a configuration the collector reads but does not emit (a Lambda description, an ECS
 * container command): the whole document passes the secret screen, environment values excepted (`plain` blanks
 * them; `keysInEnvironment` reports those).
 */
export function keysElsewhere(
  ctx: AwsCollectContext,
  configuration: unknown,
  where: Omit<ConfigLocation, "variable" | "source">,
): Key[] {
  return keysInFields(
    {
      provider: "aws",
      account: ctx.account,
      region: ctx.region,
      id: where.resourceId,
      name: where.resourceName,
      type: where.resourceType,
      tags: unknown("tags of the resource holding the key are not read"),
      foundIn: "resource-field",
    },
    plain(configuration),
  );
}
