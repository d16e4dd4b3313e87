import { Agent as HttpAgent } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import { AigovError } from "@aigov/core";
import { AWS_OPT_INS, AWS_SERVICES, type AwsService, catalogueEntryFor } from "./command-catalogue.ts";
import { ConcurrencyGate } from "./concurrency-gate.ts";
import { type NormalizedAwsConfig, rateLimitFor } from "./config.ts";
import { JitteredRetryStrategy } from "./retry-strategy.ts";
import { TokenBucket } from "./token-bucket.ts";

export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly expiration?: Date;
}
export type CredentialsProvider = () => Promise<AwsCredentials>;

/** Counters since the scanner was created. */
export interface AwsScanStats {
  apiCalls: number;
  retries: number;
  /** Attempts per `service:Operation`. */
  readonly byOperation: Record<string, number>;
  /** Most requests in flight at once. */
  peakInFlight: number;
  /** Sum of the time requests spent in flight (send to response), in seconds: with wall time and concurrency it says how busy the slots were. */
  requestSeconds: number;
}

// The subset of an SDK client's middleware stack the scanner uses.
type Handler = (args: { input: Record<string, unknown> }) => Promise<unknown>;
type MiddlewareContext = { clientName?: string; commandName?: string };
interface MiddlewareStackLike {
  add(
    middleware: (next: Handler, context: MiddlewareContext) => Handler,
    options: { step: string; name: string; priority?: string },
  ): void;
}
interface SdkClient {
  readonly middlewareStack: MiddlewareStackLike;
}
// biome-ignore lint/suspicious/noExplicitAny: SDK client constructors take service-specific config types
type ClientConstructor<C> = new (config: any) => C;

// Failures are reported as coverage gaps; the SDK must not also print them to the console. The SDK calls
// `logger?.info?.(…)` with every request's input and output run through its sensitive-data filter; a logger with no
// methods at all skips that work, where one with empty methods would not.
const SILENT_LOGGER = {} as unknown as { debug(): void; info(): void; warn(): void; error(): void };

/**
 * Builds SDK clients that can only send catalogued read operations, share one connection pool, retry with
 * jittered backoff, wait for the per account+region+service token bucket, and count through one concurrency gate.
 */
export class AwsClientFactory {
  readonly stats: AwsScanStats = { apiCalls: 0, retries: 0, byOperation: {}, peakInFlight: 0, requestSeconds: 0 };
  private readonly config: NormalizedAwsConfig;
  private readonly gate: ConcurrencyGate;
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly httpAgent: HttpAgent;
  private readonly httpsAgent: HttpsAgent;
  private readonly retryStrategy: JitteredRetryStrategy;

  constructor(config: NormalizedAwsConfig) {
    this.config = config;
    this.gate = new ConcurrencyGate(config.concurrency);
    // One pool for every client: thousands of account×region×service clients must not each open sockets.
    this.httpAgent = new HttpAgent({ keepAlive: true, maxSockets: config.concurrency });
    this.httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets: config.concurrency });
    this.retryStrategy = new JitteredRetryStrategy({
      maxAttempts: config.maxAttempts,
      baseDelayMs: config.retryBaseDelayMs,
      maxDelayMs: config.retryMaxDelayMs,
      onRetry: () => {
        this.stats.retries += 1;
      },
    });
  }

  create<C>(
    Client: ClientConstructor<C>,
    service: AwsService,
    scope: { account: string; region: string; credentials: CredentialsProvider },
  ): C {
    const client = new Client({
      region: scope.region,
      ...(this.config.endpoint === undefined ? {} : { endpoint: this.config.endpoint }),
      credentials: scope.credentials,
      maxAttempts: this.config.maxAttempts,
      // Given explicitly so thousands of client constructions do not each walk env and shared config for them.
      useFipsEndpoint: false,
      useDualstackEndpoint: false,
      userAgentAppId: "aigov",
      retryStrategy: this.retryStrategy,
      requestHandler: {
        httpAgent: this.httpAgent,
        httpsAgent: this.httpsAgent,
        requestTimeout: this.config.requestTimeoutMs,
        // Without this the SDK only logs a warning and waits on a hung connection forever.
        throwOnRequestTimeout: true,
        logger: SILENT_LOGGER,
        connectionTimeout: this.config.connectionTimeoutMs,
      },
      logger: SILENT_LOGGER,
    });
    const expectedClient = AWS_SERVICES[service].clientName;
    const stack = (client as unknown as SdkClient).middlewareStack;
    stack.add(
      (next, context) => async (args) => {
        const entry = catalogueEntryFor(context.clientName ?? expectedClient, context.commandName ?? "");
        if (entry === undefined) {
          throw new AigovError(
            "AWS_COMMAND_NOT_ALLOWED",
            `${context.clientName}.${context.commandName} is not in the scanner's read-only command catalogue`,
          );
        }
        if (entry.optIn !== undefined && !this.config[AWS_OPT_INS[entry.optIn].setting]) {
          throw new AigovError(
            "AWS_COMMAND_NOT_ALLOWED",
            `${entry.operation} is sent only with ${AWS_OPT_INS[entry.optIn].policyKey} on (targets.aws in aigov.yaml)`,
          );
        }
        for (const [field, value] of Object.entries(entry.requiredInput ?? {})) {
          if (args.input[field] !== value) {
            throw new AigovError(
              "AWS_COMMAND_NOT_ALLOWED",
              `${entry.operation} must be sent with ${field}=${JSON.stringify(value)}`,
            );
          }
        }
        return next(args);
      },
      { step: "initialize", name: "aigovReadOnlyGuard", priority: "high" },
    );
    // Per attempt (this step runs inside the retry loop): wait for the rate limit, then for a concurrency slot.
    stack.add(
      (next, context) => async (args) => {
        const operation = (context.commandName ?? "").replace(/Command$/, "");
        const bucket = this.bucket(service, operation, scope.account, scope.region);
        await bucket?.take();
        try {
          return await this.gate.run(async () => {
            this.stats.apiCalls += 1;
            const key = `${service}:${operation}`;
            this.stats.byOperation[key] = (this.stats.byOperation[key] ?? 0) + 1;
            this.stats.peakInFlight = this.gate.peakInFlight();
            const sent = performance.now();
            try {
              return await next(args);
            } finally {
              this.stats.requestSeconds += (performance.now() - sent) / 1000;
            }
          });
        } finally {
          bucket?.completed();
        }
      },
      { step: "deserialize", name: "aigovRateAndConcurrency", priority: "high" },
    );
    return client;
  }

  private bucket(service: AwsService, operation: string, account: string, region: string): TokenBucket | undefined {
    const limit = rateLimitFor(this.config, service, operation);
    if (limit === undefined) return undefined;
    const ownLimit = this.config.rateLimits[`${service}:${operation}`] !== undefined;
    const key = `${account}|${region}|${service}${ownLimit ? `:${operation}` : ""}`;
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      bucket = new TokenBucket(limit.ratePerSecond, limit.burst);
      this.buckets.set(key, bucket);
    }
    return bucket;
  }

  /** Closes pooled sockets; the factory is unusable afterwards. */
  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}
