import { AsyncLocalStorage } from "node:async_hooks";
import { Agent as HttpAgent } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import { RequestLimiter } from "@aigov/scanner-kit";
import { constructStack } from "@smithy/core/client";
import { getSchemaSerdePlugin } from "@smithy/core/schema";
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
type Middleware = (next: Handler, context: MiddlewareContext) => Handler;
interface MiddlewareStackLike {
  identify(): string[];
  use(plugin: { applyToStack(stack: never): void }): void;
  add(middleware: Middleware, options: { step: string; name: string; priority?: string }): void;
  addRelativeTo(middleware: Middleware, options: object): void;
  remove(toRemove: unknown): boolean;
  removeByTag(tag: string): boolean;
  concat(from: MiddlewareStackLike): MiddlewareStackLike;
  applyToStack(stack: Pick<MiddlewareStackLike, "add" | "addRelativeTo">): void;
  identifyOnResolve(toggle?: boolean): boolean;
  resolve(handler: Handler, context: MiddlewareContext): Handler;
}
// The SDK's auth scheme as its signer provider receives it (from the endpoint's properties).
type AuthScheme = { readonly name?: string; readonly signingName?: string; readonly signingRegion?: string };
interface SdkClient {
  readonly middlewareStack: MiddlewareStackLike;
  readonly config: { signer: (authScheme?: AuthScheme) => Promise<unknown> };
  send(command: unknown, ...options: unknown[]): Promise<unknown>;
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
 * Gives the client a copy of its resolved configuration, made of data properties only, for the steps of a request
 * that copy the configuration: `{ ...config }` in the endpoint step, `{ ...config, ...context }` in the serialize and
 * deserialize steps, three copies per request. The SDK redefines `config.credentials` as an accessor once the
 * configuration is built, which turns the object into a dictionary in V8, and an object with an accessor is copied
 * property by property: about 15 µs a copy across the sweep's clients, against 0.6 µs for the data-only copy. The
 * endpoint step reads `client.config` when a request is sent; the serializer and deserializer were given the
 * original when the client was built, so they are given again, over the copy (the SDK's plugin replaces its own
 * two middleware by name). The client's other middleware keeps the original, which it alone writes to (the
 * signer's clock offset); the copy holds the credentials provider the accessor returns, which nothing sets again.
 */
function withFastConfig(client: SdkClient): void {
  const config = { ...client.config };
  (client as { config: object }).config = config;
  const stack = client.middlewareStack;
  // Clients whose serializers are per command (not schema-based) take `client.config` per request already.
  if (stack.identify().some((entry) => entry.startsWith("serializerMiddleware ")))
    stack.use(getSchemaSerdePlugin(config as never));
}

/**
 * The order of a stack's middleware as the SDK's `resolve` wraps them, innermost first: the SDK's own ordering (by
 * step, priority and relations), run once over stand-ins that record which middleware each stands for.
 */
function resolvedOrder(stack: MiddlewareStackLike): Middleware[] {
  const order: Middleware[] = [];
  const probe = constructStack() as unknown as MiddlewareStackLike;
  const standIn =
    (middleware: Middleware): Middleware =>
    (next) => {
      order.push(middleware);
      return next;
    };
  // The SDK copies each entry whole, its `middleware` with it, which would win over the stand-in.
  const entry = (options: object) => {
    const { middleware: _, ...rest } = options as { middleware?: Middleware };
    return rest;
  };
  stack.applyToStack({
    add: (middleware, options) => probe.add(standIn(middleware), entry(options) as typeof options),
    addRelativeTo: (middleware, options) => probe.addRelativeTo(standIn(middleware), entry(options)),
  });
  probe.resolve((args) => Promise.resolve(args), {});
  return order;
}

/**
 * For every request the SDK copies the client's middleware stack, adds the command's, and orders the whole list
 * again (normalizing, sorting and expanding every entry): 3 % of a sweep's CPU, and its garbage. The order depends
 * only on the client's stack and the command's class (each command adds the same plugins, built from the client's
 * configuration and the class's endpoint parameters), so it is worked out once per command and kept here; each
 * request still gets a handler chain and a context of its own, built from the middleware as the SDK would (unlike
 * the SDK's `cacheMiddleware` option, which shares one context, and so one request's credentials, between
 * concurrent requests of a command). A change to the client's stack forgets the orders.
 */
function withMiddlewareOrderCache(client: SdkClient): void {
  const stack = client.middlewareStack;
  const orders = new Map<string, Middleware[]>();
  const changing =
    <A extends unknown[], R>(change: (...args: A) => R) =>
    (...args: A): R => {
      orders.clear();
      return change(...args);
    };
  const cached: MiddlewareStackLike = {
    ...stack,
    add: changing(stack.add),
    addRelativeTo: changing(stack.addRelativeTo),
    use: changing(stack.use),
    remove: changing(stack.remove),
    removeByTag: changing(stack.removeByTag),
    identifyOnResolve: changing(stack.identifyOnResolve),
    concat: (from) => {
      let whole: MiddlewareStackLike | undefined;
      const uncached = () => {
        whole ??= stack.concat(from);
        return whole;
      };
      // The SDK only resolves the concatenation; anything else is asked of the SDK's own, made when first needed.
      return {
        identify: () => uncached().identify(),
        use: (plugin) => uncached().use(plugin),
        add: (middleware, options) => uncached().add(middleware, options),
        addRelativeTo: (middleware, options) => uncached().addRelativeTo(middleware, options),
        remove: (toRemove) => uncached().remove(toRemove),
        removeByTag: (tag) => uncached().removeByTag(tag),
        concat: (other) => uncached().concat(other),
        applyToStack: (to) => uncached().applyToStack(to),
        identifyOnResolve: (toggle) => uncached().identifyOnResolve(toggle),
        resolve: (handler, context) => {
          const command = context.commandName;
          if (command === undefined || whole !== undefined || stack.identifyOnResolve())
            return uncached().resolve(handler, context);
          let order = orders.get(command);
          if (order === undefined) {
            order = resolvedOrder(uncached());
            orders.set(command, order);
          }
          let chain = handler;
          for (const middleware of order) chain = middleware(chain, context);
          return chain;
        },
      };
    },
  };
  (client as { middlewareStack: MiddlewareStackLike }).middlewareStack = cached;
}

/** Whom a request is sent for: the account it is counted and rate-limited under, and the keys it is signed with. */
interface Caller {
  readonly account: string;
  readonly credentials: CredentialsProvider;
}

/**
 * The caller of the request being sent, set around each `send` of a caller's view of a shared client (see `create`)
 * and carried by the SDK's promise chain into its middleware and signer, retries included.
 */
const currentCaller = new AsyncLocalStorage<Caller>();

/**
 * A shared client's credentials: the current caller's. Marked as memoized so that the SDK does not memoize it (it
 * would otherwise resolve it once per client and sign every account's requests with the first caller's keys); the
 * caller's own provider caches and renews. A request sent outside a caller's view has no keys and fails.
 */
const callerCredentials = Object.assign((): Promise<AwsCredentials> => requestCaller().credentials(), {
  memoized: true,
});

function requestCaller(): Caller {
  const caller = currentCaller.getStore();
  if (caller === undefined) throw new Error("aigov: an AWS request was sent outside an account's client view");
  return caller;
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
  private readonly sharedClients = new Map<string, SdkClient>();

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

  /**
   * The client of `service` in `scope.region` as `scope.account` sees it: a view whose `send` signs with the
   * account's credentials and counts under its account, over one SDK client per region and service shared by every
   * account. (Building a client per account, region and service cost a resolved configuration, a middleware stack
   * and caches each, about fifteen per target.)
   */
  create<C>(
    Client: ClientConstructor<C>,
    service: AwsService,
    scope: { account: string; region: string; credentials: CredentialsProvider },
  ): C {
    const shared = this.shared(Client, service, scope.region);
    const caller: Caller = { account: scope.account, credentials: scope.credentials };
    // The view inherits everything else (config, middleware stack, `instanceof` for the SDK's paginators).
    const view = Object.create(shared) as SdkClient;
    Object.defineProperty(view, "send", {
      value: (command: unknown, ...options: unknown[]) =>
        currentCaller.run(caller, () => shared.send(command, ...options)),
    });
    return view as C;
  }

  private shared(Client: ClientConstructor<unknown>, service: AwsService, region: string): SdkClient {
    const key = `${service}|${region}`;
    let client = this.sharedClients.get(key);
    if (client === undefined) {
      client = this.build(Client, service, region);
      this.sharedClients.set(key, client);
    }
    return client;
  }

  private build(Client: ClientConstructor<unknown>, service: AwsService, region: string): SdkClient {
    const client = new Client({
      region,
      ...(this.config.endpoint === undefined ? {} : { endpoint: this.config.endpoint }),
      // Behind an endpoint override (the simulator, a proxy) S3 buckets cannot be DNS names of it: name them in the path.
      ...(service === "s3" && this.config.endpoint !== undefined ? { forcePathStyle: true } : {}),
      credentials: callerCredentials,
      maxAttempts: this.config.maxAttempts,
      // Given explicitly so client constructions do not each walk env and shared config for them.
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
    const sdkClient = client as SdkClient;
    reuseSigners(sdkClient);
    withFastConfig(sdkClient);
    withMiddlewareOrderCache(sdkClient);
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
            account: requestCaller().account,
            region,
            service,
            operation: (context.commandName ?? "").replace(/Command$/, ""),
          },
          () => next(args),
        ),
      { step: "deserialize", name: "aigovRateAndConcurrency", priority: "high" },
    );
    return sdkClient;
  }

  /** Closes pooled sockets; the factory is unusable afterwards. */
  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}
