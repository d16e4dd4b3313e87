import type { Maybe, ScanItem, ToolReach } from "@aigov/core";
import { CollectContext } from "@aigov/scanner-kit";
import type { AwsClientFactory, CredentialsProvider } from "./aws-clients.ts";
import { AWS_ERRORS } from "./aws-error.ts";
import type { AwsService } from "./command-catalogue.ts";
import type { NormalizedAwsConfig } from "./config.ts";

// biome-ignore lint/suspicious/noExplicitAny: SDK client constructors take service-specific config types
type ClientConstructor<C> = new (config: any) => C;

/** SSM parameters whose values a sweep left unread (readSsmParameterValues off), counted for its coverage notice. */
export class UnreadSsmValues {
  parameters = 0;
  readonly places = new Set<string>();

  add(account: string, region: string, parameters: number): void {
    if (parameters === 0) return;
    this.parameters += parameters;
    this.places.add(`${account}:${region}`);
  }
}

/**
 * Reads about an account that every target of the account needs (who holds an IAM policy): sent once per account
 * and sweep, whichever target asks first; a failure is reported by that target.
 */
export class AccountReads {
  private readonly reads = new Map<string, Promise<unknown>>();

  once<T>(account: string, key: string, read: () => Promise<T>): Promise<T> {
    const id = `${account}|${key}`;
    let pending = this.reads.get(id) as Promise<T> | undefined;
    if (pending === undefined) {
      pending = read();
      this.reads.set(id, pending);
    }
    return pending;
  }
}

/** The kit's collect context with what AWS collectors add: SDK clients that carry the target's credentials. */
export class AwsCollectContext extends CollectContext {
  readonly config: NormalizedAwsConfig;
  readonly unreadSsmValues: UnreadSsmValues;
  private readonly accountReads: AccountReads;
  private readonly factory: AwsClientFactory;
  private readonly credentials: CredentialsProvider;
  private readonly clients = new Map<string, unknown>();
  private readonly shared = new Map<string, Promise<unknown>>();

  constructor(init: {
    account: string;
    region: string;
    config: NormalizedAwsConfig;
    factory: AwsClientFactory;
    credentials: CredentialsProvider;
    now: Date;
    unreadSsmValues?: UnreadSsmValues;
    accountReads?: AccountReads;
  }) {
    super({ errors: AWS_ERRORS, account: init.account, region: init.region, now: init.now });
    this.config = init.config;
    this.factory = init.factory;
    this.credentials = init.credentials;
    this.unreadSsmValues = init.unreadSsmValues ?? new UnreadSsmValues();
    this.accountReads = init.accountReads ?? new AccountReads();
  }

  /** A read about the whole account (IAM), sent once per account and sweep. */
  onceForAccount<T>(key: string, read: () => Promise<T>): Promise<T> {
    return this.accountReads.once(this.account, key, read);
  }

  /** A read several collectors of this target need (e.g. the region's enforced guardrails), sent once. */
  once<T>(key: string, read: () => Promise<T>): Promise<T> {
    let pending = this.shared.get(key) as Promise<T> | undefined;
    if (pending === undefined) {
      pending = read();
      this.shared.set(key, pending);
    }
    return pending;
  }

  client<C>(Client: ClientConstructor<C>, service: AwsService): C {
    let client = this.clients.get(service) as C | undefined;
    if (client === undefined) {
      client = this.factory.create(Client, service, {
        account: this.account,
        region: this.region,
        credentials: this.credentials,
      });
      this.clients.set(service, client);
    }
    return client;
  }
}

// Environment maps (SageMaker containers and jobs, AgentCore runtimes) routinely hold secrets: keys are scanned by config-keys.ts,
// and `native` keeps only the variable names.
const ENVIRONMENT_FIELDS = new Set(["Environment", "environment", "environmentVariables"]);
export const REDACTED_VALUE = "[redacted]";

function redactEnvironment(value: unknown): unknown {
  if (Array.isArray(value))
    return value.map((pair) =>
      pair !== null && typeof pair === "object" && "value" in pair
        ? { ...pair, value: REDACTED_VALUE }
        : REDACTED_VALUE,
    );
  if (value !== null && typeof value === "object")
    return Object.fromEntries(Object.keys(value).map((name) => [name, REDACTED_VALUE]));
  return REDACTED_VALUE;
}

/** Converts SDK output to plain JSON data: Dates become ISO strings, `$metadata` is dropped, environment values are redacted. */
export function plain(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (key === "$metadata" || item === undefined) continue;
      out[key] = ENVIRONMENT_FIELDS.has(key) ? redactEnvironment(item) : plain(item);
    }
    return out;
  }
  return value;
}

export function nativeOf(...parts: unknown[]): Record<string, unknown> {
  return Object.assign({}, ...parts.map((part) => plain(part) ?? {})) as Record<string, unknown>;
}

export function iso(value: Date | string | undefined): Maybe<string> | undefined {
  if (value === undefined) return undefined;
  return value instanceof Date ? value.toISOString() : new Date(value).toISOString();
}

/** Where a tool that runs a Lambda function reaches: the sweep's account, or another (from the function's ARN). */
export function lambdaReach(functionArn: string, account: string): ToolReach {
  const owner = /^arn:aws[\w-]*:lambda:[^:]*:(\d{12}):/.exec(functionArn)?.[1];
  return owner === undefined || owner === account ? "account" : "other-account";
}

/** Everything a nested listing yields (a resource's parts, read while the resource itself is normalized). */
export async function collected(items: AsyncIterable<ScanItem>): Promise<ScanItem[]> {
  const found: ScanItem[] = [];
  for await (const item of items) found.push(item);
  return found;
}

/** The page size for an API whose maximum is `max`. */
export function pageSize(ctx: AwsCollectContext, max: number): number {
  return Math.min(ctx.config.pageSize, max);
}
