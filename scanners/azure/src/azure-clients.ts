import { Agent } from "node:https";
import { createSecureContext, rootCertificates } from "node:tls";
import { CognitiveServicesManagementClient } from "@azure/arm-cognitiveservices";
import { AzureMachineLearningWorkspaces } from "@azure/arm-machinelearning";
import { ManagementGroupsAPI } from "@azure/arm-managementgroups";
import { MonitorClient } from "@azure/arm-monitor";
import { SubscriptionClient } from "@azure/arm-resources-subscriptions";
import { SearchManagementClient } from "@azure/arm-search";
import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/identity";
import {
  bearerTokenAuthenticationPolicyName,
  createDefaultHttpClient,
  type HttpClient,
  type Pipeline,
  type PipelinePolicy,
  type PipelineRequest,
  type PipelineResponse,
} from "@azure/core-rest-pipeline";
import { ClientSecretCredential, DefaultAzureCredential } from "@azure/identity";
import { AigovError } from "@aigov/core";
import { type BackoffOptions, backoffDelay, mayRetry, RequestLimiter } from "@aigov/scanner-kit";
import { AZURE_CATALOGUE, type AZURE_OPT_INS, type AzureCatalogueEntry, requestWireName } from "./catalogue.ts";
import type { NormalizedAzureConfig } from "./config.ts";

type OptIn = keyof typeof AZURE_OPT_INS;

/** The subscription a request is made in (`/subscriptions/{id}/…`), "" for tenant-wide calls. */
function subscriptionOf(path: string): string {
  return /^\/+subscriptions\/([^/]+)/i.exec(path)?.[1]?.toLowerCase() ?? "";
}

/** When the server asked to wait (Retry-After in seconds or as a date; ARM's `x-ms-retry-after-ms`). */
function retryAfter(response: PipelineResponse | undefined): Date | undefined {
  if (response === undefined) return undefined;
  const ms = response.headers.get("retry-after-ms") ?? response.headers.get("x-ms-retry-after-ms");
  if (ms !== undefined && Number.isFinite(Number(ms))) return new Date(Date.now() + Number(ms));
  const value = response.headers.get("retry-after");
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return new Date(Date.now() + seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : new Date(date);
}

/**
 * The HTTP answer a request got: returned, or carried by the error a track-2 client's deserializer throws for an
 * error status (it sits after the scanner's policy in the pipeline).
 */
function answerOf(response: PipelineResponse | undefined, error: unknown): PipelineResponse | undefined {
  return response ?? (error as { response?: PipelineResponse } | undefined)?.response;
}

/** Throttling, server errors and dropped connections go away when retried; nothing else does. */
function transient(answer: PipelineResponse | undefined, error: unknown): boolean {
  if (answer !== undefined) return answer.status === 429 || answer.status >= 500;
  const name = (error as { name?: string } | undefined)?.name;
  const code = (error as { code?: string } | undefined)?.code;
  return name === "AbortError" || code === "ECONNRESET" || code === "ETIMEDOUT" || code === "REQUEST_SEND_ERROR";
}

/** A token is renewed this long before it expires, so no request is sent with one about to lapse. */
const TOKEN_RENEWAL_MS = 5 * 60_000;

/**
 * One token per scope for the whole sweep: every ARM client's bearer policy asks the credential for one, and a
 * sweep starting on a hundred subscriptions at once would otherwise send Entra ID a hundred token requests before
 * the first answer is cached.
 */
class SharedToken implements TokenCredential {
  private readonly tokens = new Map<string, Promise<AccessToken | null>>();
  private readonly inner: TokenCredential;

  constructor(inner: TokenCredential) {
    this.inner = inner;
  }

  async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
    // A claims challenge (continuous access evaluation) needs a fresh token.
    if (options?.claims !== undefined) return this.inner.getToken(scopes, options);
    const key = [scopes].flat().join(" ");
    const cached = this.tokens.get(key);
    if (cached !== undefined) {
      const token = await cached.catch(() => null);
      if (token !== null && token.expiresOnTimestamp - Date.now() > TOKEN_RENEWAL_MS) return token;
      if (this.tokens.get(key) !== cached) return this.getToken(scopes, options);
    }
    const pending = this.inner.getToken(scopes, options);
    this.tokens.set(key, pending);
    // A failed request is not remembered: the next call asks again.
    pending.catch(() => this.tokens.delete(key));
    return pending;
  }
}

/**
 * An HTTPS agent trusting `ca` besides the system's CAs, or undefined when no CA is given. The CAs go in a secure
 * context made once: given as the agent's `ca` option, Node would join the ~150 certificates into the agent's
 * socket pool key on every request (a third of a sweep's CPU).
 */
function trustingAgent(ca: string | undefined, maxSockets: number): Agent | undefined {
  if (ca === undefined) return undefined;
  return new Agent({
    keepAlive: true,
    maxSockets,
    secureContext: createSecureContext({ ca: [...rootCertificates, ca] }),
  });
}

/** Sends every request of a client (ARM, or a credential's to Entra ID) through `agent`. */
function trustPolicy(agent: Agent | undefined): PipelinePolicy {
  return {
    name: "aigovTrustedCa",
    sendRequest: (request, next) => {
      if (agent !== undefined) request.agent = agent;
      return next(request);
    },
  };
}

/**
 * A client-secret credential for an authority aigov is told about (the demo's simulated tenant, a sovereign cloud):
 * trusted as given, without instance discovery, through `caCertificate` when one is given.
 */
export function applicationCredential(application: {
  readonly tenantId: string;
  readonly clientId: string;
  readonly secret: string;
  readonly authorityHost: string;
  readonly caCertificate?: string;
}): TokenCredential {
  return new ClientSecretCredential(application.tenantId, application.clientId, application.secret, {
    authorityHost: application.authorityHost,
    disableInstanceDiscovery: true,
    additionalPolicies: [{ policy: trustPolicy(trustingAgent(application.caCertificate, 4)), position: "perCall" }],
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Builds the official ARM clients so that they can only send catalogued reads, share one connection pool, retry
 * throttling and 5xx with jittered backoff (honouring Retry-After), and pass each attempt through the sweep's
 * token bucket (per subscription and service) and concurrency bound. The SDKs' own retries are off: one retry
 * loop, whose attempts are all counted and rate-limited.
 */
export class AzureClientFactory {
  readonly limiter: RequestLimiter;
  readonly credential: TokenCredential;
  private readonly config: NormalizedAzureConfig;
  private readonly httpClient: HttpClient = createDefaultHttpClient();
  private readonly agent: Agent | undefined;
  private readonly optInsOn: ReadonlySet<OptIn>;
  private readonly backoff: BackoffOptions;
  private readonly guarded: PipelinePolicy;
  private readonly trust: PipelinePolicy;

  constructor(config: NormalizedAzureConfig, credential?: TokenCredential) {
    this.config = config;
    this.limiter = new RequestLimiter(config);
    this.optInsOn = new Set<OptIn>(config.readAppSettings ? ["app-settings"] : []);
    this.backoff = {
      maxAttempts: config.maxAttempts,
      baseDelayMs: config.retryBaseDelayMs,
      maxDelayMs: config.retryMaxDelayMs,
    };
    // A CA to trust besides the system's (a TLS-inspecting proxy, Azure Stack, the simulator): for ARM and Entra ID.
    this.agent = trustingAgent(config.caCertificate, config.concurrency);
    this.trust = trustPolicy(this.agent);
    this.guarded = {
      name: "aigovReadOnlyLimitedRetry",
      sendRequest: (request, next) => this.send(request, next),
    };
    this.credential = new SharedToken(
      credential ??
        new DefaultAzureCredential({
          ...(config.tenantId === undefined ? {} : { tenantId: config.tenantId }),
          // An authority other than the public cloud's (a sovereign cloud, Azure Stack, the simulator) is trusted as
          // given: MSAL would otherwise ask login.microsoftonline.com whether it knows it.
          ...(config.authorityHost === undefined
            ? {}
            : { authorityHost: config.authorityHost, disableInstanceDiscovery: true }),
          additionalPolicies: [{ policy: this.trust, position: "perCall" }],
        }),
    );
  }

  /** One catalogued request: refused unless catalogued, then sent and retried under the sweep's limits. */
  private async send(
    request: PipelineRequest,
    next: (request: PipelineRequest) => Promise<PipelineResponse>,
  ): Promise<PipelineResponse> {
    const url = new URL(request.url);
    const entry = this.entryFor(request.method, url.pathname);
    request.timeout = this.config.requestTimeoutMs;
    const scope = {
      account: subscriptionOf(url.pathname),
      region: "",
      service: entry.service,
      operation: entry.operation,
    };
    for (let attempts = 1; ; attempts += 1) {
      let response: PipelineResponse | undefined;
      let error: unknown;
      try {
        response = await this.limiter.send(scope, () => next(request));
      } catch (thrown) {
        error = thrown;
      }
      const answer = answerOf(response, error);
      if (!transient(answer, error) || !mayRetry(this.backoff, attempts)) {
        if (response === undefined) throw error;
        return response;
      }
      this.limiter.countRetry();
      await sleep(backoffDelay(this.backoff, attempts - 1, retryAfter(answer)));
    }
  }

  private entryFor(method: string, path: string): AzureCatalogueEntry {
    const name = requestWireName(method, path);
    if (name === undefined)
      throw new AigovError(
        "AZURE_COMMAND_NOT_ALLOWED",
        `${method} ${path} is not in the Azure scanner's read-only catalogue`,
      );
    return AZURE_CATALOGUE.guard(name, {}, this.optInsOn);
  }

  /** Options every ARM client takes: the endpoint, ARM's audience, the shared pool, the policies, no SDK retries. */
  private options() {
    return {
      endpoint: this.config.armEndpoint,
      // track-2 clients build request URLs from $host and ask tokens for `${endpoint}/.default` unless told.
      $host: this.config.armEndpoint,
      credentialScopes: [this.config.armAudience],
      credentials: { scopes: [this.config.armAudience] },
      httpClient: this.httpClient,
      retryOptions: { maxRetries: 0 },
      userAgentOptions: { userAgentPrefix: "aigov" },
    };
  }

  /**
   * The scanner's policies go before the client's bearer token policy, in track-2 and TypeSpec-generated clients
   * alike (the latter add `additionalPolicies` after it): a request the catalogue refuses never even gets a token.
   */
  private wired<C extends { readonly pipeline: Pipeline }>(client: C): C {
    for (const policy of [this.guarded, this.trust])
      client.pipeline.addPolicy(policy, { beforePolicies: [bearerTokenAuthenticationPolicyName] });
    return client;
  }

  subscriptions(): SubscriptionClient {
    return this.wired(new SubscriptionClient(this.credential, this.options()));
  }

  managementGroups(): ManagementGroupsAPI {
    return this.wired(new ManagementGroupsAPI(this.credential, this.options()));
  }

  cognitive(subscription: string): CognitiveServicesManagementClient {
    return this.wired(new CognitiveServicesManagementClient(this.credential, subscription, this.options()));
  }

  machineLearning(subscription: string): AzureMachineLearningWorkspaces {
    return this.wired(new AzureMachineLearningWorkspaces(this.credential, subscription, this.options()));
  }

  search(subscription: string): SearchManagementClient {
    return this.wired(new SearchManagementClient(this.credential, subscription, this.options()));
  }

  monitor(subscription: string): MonitorClient {
    return this.wired(new MonitorClient(this.credential, subscription, this.options()));
  }

  /** App Service's client is large and read only with the app-settings opt-in: it loads then. */
  async web(subscription: string) {
    const { WebSiteManagementClient } = await import("@azure/arm-appservice");
    return this.wired(new WebSiteManagementClient(this.credential, subscription, this.options()));
  }

  /** Closes pooled sockets; the factory is unusable afterwards. */
  close(): void {
    this.agent?.destroy();
  }
}
