import { Agent as HttpAgent } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import { RequestLimiter } from "@aigov/scanner-kit";
import {
  AWS_CATALOGUE,
  AWS_OPT_INS,
  AWS_SERVICES,
  type AwsOptIn,
  type AwsService,
  wireName,
} from "./command-catalogue.ts";
import type { NormalizedAwsConfig } from "./config.ts";
import { SweepRequestHandler } from "./request-handler.ts";
import { JitteredRetryStrategy } from "./retry-strategy.ts";
import { SweepSignatureV4 } from "./signing.ts";

export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly expiration?: Date;
}
export type CredentialsProvider = () => Promise<AwsCredentials>;

// The subset of an SDK client's middleware stack the scanner uses.
type Handler = (args: { input: Record<string, unknown> }) => Promise<unknown>;
type MiddlewareContext = { clientName?: string; commandName?: string };
interface MiddlewareStackLike {
  add(
    middleware: (next: Handler, context: MiddlewareContext) => Handler,
    options: { step: string; name: string; priority?: string },
  ): void;
}
// The SDK's auth scheme as its signer provider receives it (from the endpoint's properties).
type AuthScheme = { readonly name?: string; readonly signingName?: string; readonly signingRegion?: string };
interface SdkClient {
  readonly middlewareStack: MiddlewareStackLike;
  readonly config: { signer: (authScheme?: AuthScheme) => Promise<unknown> };
}
// biome-ignore lint/suspicious/noExplicitAny: SDK client constructors take service-specific config types
type ClientConstructor<C> = new (config: any) => C;

// Failures are reported as coverage gaps; the SDK must not also print them to the console. The SDK calls
// `logger?.info?.(…)` with every request's input and output run through its sensitive-data filter; a logger with no
// methods at all skips that work, where one with empty methods would not.
const SILENT_LOGGER = {} as unknown as { debug(): void; info(): void; warn(): void; error(): void };

function optInNames(): AwsOptIn[] {
  return Object.keys(AWS_OPT_INS).filter((name): name is AwsOptIn => Object.hasOwn(AWS_OPT_INS, name));
}

/**
 * The SDK builds a new signer for every request, copying the client's whole configuration into it; the signer keeps
 * no state between requests, so one per auth scheme, signing name and region serves every request of the client.
 */
function reuseSigners(client: SdkClient): void {
  const build = client.config.signer;
  const signers = new Map<string, Promise<unknown>>();
  client.config.signer = (authScheme) => {
    const key = `${authScheme?.name}|${authScheme?.signingName}|${authScheme?.signingRegion}`;
    let signer = signers.get(key);
    if (signer === undefined) {
      signer = build(authScheme);
      signers.set(key, signer);
      // A failed build is not kept: the next request builds again and reports its own failure.
      signer.catch(() => signers.delete(key));
    }
    return signer;
  };
}

/**
 * Builds SDK clients that can only send catalogued read operations, share one connection pool, retry with
 * jittered backoff, wait for the per account+region+service token bucket, and count through one concurrency gate.
 */
export class AwsClientFactory {
  readonly limiter: RequestLimiter;
  private readonly config: NormalizedAwsConfig;
  private readonly optInsOn: ReadonlySet<AwsOptIn>;
  private readonly httpAgent: HttpAgent;
  private readonly httpsAgent: HttpsAgent;
  private readonly requestHandler: SweepRequestHandler;
  private readonly retryStrategy: JitteredRetryStrategy;

  constructor(config: NormalizedAwsConfig) {
    this.config = config;
    this.limiter = new RequestLimiter(config);
    this.optInsOn = new Set(optInNames().filter((optIn) => config[AWS_OPT_INS[optIn].setting]));
    // One pool for every client: thousands of account×region×service clients must not each open sockets.
    this.httpAgent = new HttpAgent({ keepAlive: true, maxSockets: config.concurrency });
    this.httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets: config.concurrency });
    this.requestHandler = new SweepRequestHandler({
      httpAgent: this.httpAgent,
      httpsAgent: this.httpsAgent,
      requestTimeoutMs: config.requestTimeoutMs,
      connectionTimeoutMs: config.connectionTimeoutMs,
    });
    this.retryStrategy = new JitteredRetryStrategy({
      maxAttempts: config.maxAttempts,
      baseDelayMs: config.retryBaseDelayMs,
      maxDelayMs: config.retryMaxDelayMs,
      onRetry: () => this.limiter.countRetry(),
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
      // Behind an endpoint override (the simulator, a proxy) S3 buckets cannot be DNS names of it: name them in the path.
      ...(service === "s3" && this.config.endpoint !== undefined ? { forcePathStyle: true } : {}),
      credentials: scope.credentials,
      maxAttempts: this.config.maxAttempts,
      // Given explicitly so thousands of client constructions do not each walk env and shared config for them.
      useFipsEndpoint: false,
      useDualstackEndpoint: false,
      userAgentAppId: "aigov",
      retryStrategy: this.retryStrategy,
      // S3 keeps its own (multi-region) signer; every other client signs with keys cached for the whole sweep.
      ...(service === "s3" ? {} : { signerConstructor: SweepSignatureV4 }),
      // HTTP/1.1 for every client, in the shared pool: clients of services with streaming operations (Q Business
      // Chat) default to HTTP/2, which the read operations the scanner sends do not need.
      requestHandler: this.requestHandler,
      logger: SILENT_LOGGER,
    });
    const expectedClient = AWS_SERVICES[service].clientName;
    const sdkClient = client as unknown as SdkClient;
    reuseSigners(sdkClient);
    const stack = sdkClient.middlewareStack;
    stack.add(
      (next, context) => async (args) => {
        AWS_CATALOGUE.guard(
          wireName(context.clientName ?? expectedClient, context.commandName ?? ""),
          args.input,
          this.optInsOn,
        );
        return next(args);
      },
      { step: "initialize", name: "aigovReadOnlyGuard", priority: "high" },
    );
    // Per attempt (this step runs inside the retry loop): wait for the rate limit, then for a concurrency slot.
    stack.add(
      (next, context) => (args) =>
        this.limiter.send(
          {
            account: scope.account,
            region: scope.region,
            service,
            operation: (context.commandName ?? "").replace(/Command$/, ""),
          },
          () => next(args),
        ),
      { step: "deserialize", name: "aigovRateAndConcurrency", priority: "high" },
    );
    return client;
  }

  /** Closes pooled sockets; the factory is unusable afterwards. */
  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}
