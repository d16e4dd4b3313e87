import { createHmac, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import type { ErrorFaultKind } from "../../core/faults.ts";
import type { Reply } from "../../core/frontend.ts";
import { type AzureWorldIndex, guidFrom, type IndexedPrincipal } from "./world-index.ts";

/** Who a token was issued to: what ARM reads from the claims of a bearer token. */
export interface TokenClaims {
  readonly tid: string;
  readonly oid: string;
  readonly appid: string;
  readonly aud: string;
  readonly exp: number;
}

/** An OAuth 2.0 error as Entra ID answers it (`AADSTS…` in the description). */
export class EntraError extends Error {
  readonly error: string;
  readonly aadsts: number;
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    error: string,
    aadsts: number,
    message: string,
    status: number,
    headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = "EntraError";
    this.error = error;
    this.aadsts = aadsts;
    this.status = status;
    this.headers = headers;
  }
}

const TOKEN_LIFETIME_SECONDS = 3599;

/**
 * The simulated Entra ID: an OpenID configuration and a v2.0 token endpoint for the client-credentials grant (a
 * client secret, or a client assertion as workload identity sends), issuing JWTs that ARM checks. Tokens are
 * HMAC-signed with a key that lives in this process only, so a token the simulator did not issue is refused.
 */
export class Entra {
  readonly #key = randomBytes(32);

  openIdConfiguration(base: string, tenant: string): unknown {
    return {
      token_endpoint: `${base}/${tenant}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
      jwks_uri: `${base}/${tenant}/discovery/v2.0/keys`,
      response_modes_supported: ["query", "fragment", "form_post"],
      subject_types_supported: ["pairwise"],
      id_token_signing_alg_values_supported: ["RS256"],
      response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
      scopes_supported: ["openid", "profile", "email", "offline_access"],
      issuer: `${base}/${tenant}/v2.0`,
      request_uri_parameter_supported: false,
      authorization_endpoint: `${base}/${tenant}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${base}/${tenant}/oauth2/v2.0/devicecode`,
      end_session_endpoint: `${base}/${tenant}/oauth2/v2.0/logout`,
      tenant_region_scope: "NA",
      cloud_instance_name: "microsoftonline.com",
    };
  }

  instanceDiscovery(host: string): unknown {
    return {
      tenant_discovery_endpoint: `https://${host}/{tenant}/v2.0/.well-known/openid-configuration`,
      "api-version": "1.1",
      metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
    };
  }

  /** The client-credentials grant: a token for the principal, or the error Entra answers. */
  token(world: AzureWorldIndex, tenantName: string, form: URLSearchParams): unknown {
    const tenant = tenantOf(world, tenantName);
    if (form.get("grant_type") !== "client_credentials")
      throw new EntraError(
        "unsupported_grant_type",
        70003,
        `The app requested an unsupported grant type '${form.get("grant_type") ?? ""}'.`,
        400,
      );
    const clientId = (form.get("client_id") ?? "").toLowerCase();
    const principal = principalOf(world, tenant, clientId);
    const secret = form.get("client_secret");
    const assertion = form.get("client_assertion");
    if (secret !== null) {
      if (principal.clientSecret !== undefined && principal.clientSecret !== secret)
        throw new EntraError(
          "invalid_client",
          7000215,
          "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.",
          401,
        );
      if (principal.clientSecret === undefined && world.principals !== undefined)
        throw new EntraError("invalid_client", 7000215, "Invalid client secret provided.", 401);
    } else if (assertion !== null) {
      if (world.principals !== undefined && !principal.federated)
        throw new EntraError(
          "invalid_client",
          70021,
          "No matching federated identity record found for presented assertion.",
          400,
        );
    } else {
      throw new EntraError(
        "invalid_client",
        7000218,
        "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
        401,
      );
    }
    const scope = form.get("scope") ?? "";
    const audience = scope.split(" ")[0]!.replace(/\/?\.default$/, "/");
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      aud: audience,
      iss: `https://sts.windows.net/${tenant}/`,
      iat: now,
      nbf: now,
      exp: now + TOKEN_LIFETIME_SECONDS,
      appid: principal.clientId,
      appidacr: secret !== null ? "1" : "2",
      idtyp: "app",
      oid: principal.objectId,
      sub: principal.objectId,
      tid: tenant,
      ver: "1.0",
    };
    return {
      token_type: "Bearer",
      expires_in: TOKEN_LIFETIME_SECONDS,
      ext_expires_in: TOKEN_LIFETIME_SECONDS,
      access_token: this.#sign(claims),
    };
  }

  /** The claims of a bearer token this simulator issued and that has not expired; undefined otherwise. */
  verify(token: string): TokenClaims | undefined {
    const parts = token.split(".");
    if (parts.length !== 3) return undefined;
    const expected = this.#signature(`${parts[0]}.${parts[1]}`);
    const given = Buffer.from(parts[2]!, "base64url");
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    try {
      const claims = JSON.parse(Buffer.from(parts[1]!, "base64url").toString("utf8")) as TokenClaims;
      return claims.exp * 1000 > Date.now() ? claims : undefined;
    } catch {
      return undefined;
    }
  }

  #sign(claims: object): string {
    const header = Buffer.from(JSON.stringify({ typ: "JWT", alg: "HS256" })).toString("base64url");
    const payload = Buffer.from(JSON.stringify(claims)).toString("base64url");
    return `${header}.${payload}.${this.#signature(`${header}.${payload}`).toString("base64url")}`;
  }

  #signature(text: string): Buffer {
    return createHmac("sha256", this.#key).update(text).digest();
  }
}

function tenantOf(world: AzureWorldIndex, name: string): string {
  const lower = name.toLowerCase();
  if (world.tenants.has(lower)) return lower;
  for (const tenant of world.tenants.values()) if (tenant.domain.toLowerCase() === lower) return tenant.id;
  throw new EntraError(
    "invalid_request",
    90002,
    `Tenant '${name}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
    400,
  );
}

function principalOf(world: AzureWorldIndex, tenant: string, clientId: string): IndexedPrincipal {
  if (world.principals === undefined)
    return {
      clientId,
      federated: true,
      tenant,
      objectId: guidFrom(`sp:${clientId}`),
      name: `app-${clientId.slice(0, 8)}`,
    };
  const principal = world.principals.get(clientId);
  if (principal === undefined || principal.tenant !== tenant) throw applicationNotFound(clientId, tenant);
  return principal;
}

function applicationNotFound(clientId: string, tenant: string): EntraError {
  return new EntraError(
    "unauthorized_client",
    700016,
    `Application with identifier '${clientId}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`,
    400,
  );
}

export function entraReply(body: unknown): Reply {
  return {
    status: 200,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store, no-cache" },
    body: JSON.stringify(body),
  };
}

export function entraErrorReply(error: EntraError): Reply {
  const traceId = randomUUID();
  return {
    status: error.status,
    headers: { "content-type": "application/json; charset=utf-8", ...error.headers },
    body: JSON.stringify({
      error: error.error,
      error_description: `AADSTS${error.aadsts}: ${error.message} Trace ID: ${traceId} Correlation ID: ${traceId} Timestamp: ${new Date().toISOString()}`,
      error_codes: [error.aadsts],
      timestamp: new Date().toISOString(),
      trace_id: traceId,
      correlation_id: traceId,
    }),
    errorCode: error.error,
  };
}

/** A generic fault as Entra ID answers it. */
export function entraFault(kind: ErrorFaultKind, clientId: string, tenant: string): EntraError {
  switch (kind) {
    case "throttle":
      return new EntraError(
        "temporarily_unavailable",
        50196,
        "The server is temporarily unable to handle the request.",
        429,
        {
          "retry-after": "1",
        },
      );
    case "error500":
      return new EntraError("server_error", 90033, "A transient error has occurred. Please try again.", 500);
    case "error503":
      return new EntraError("temporarily_unavailable", 90033, "The service is temporarily unavailable.", 503);
    case "access-denied":
      return new EntraError("invalid_grant", 53003, "Access has been blocked by Conditional Access policies.", 400);
    case "target-unreachable":
      return applicationNotFound(clientId, tenant);
    case "region-disabled":
    case "service-disabled":
      return new EntraError("server_error", 90033, `cloud-sim: a ${kind} fault does not apply to Entra ID.`, 500);
  }
}
