import { type CatalogueEntry, header, type Reply, type SimRequest } from "../../core/frontend.ts";
import { errorReply, GoogleApiError, jsonReply } from "./protocol.ts";

/**
 * Who is calling. Google APIs take a Bearer credential: an access token, or (what the Node clients send for
 * service-account keys) a JWT the service account signed itself, whose `sub`/`iss` is its email. Signatures are
 * not verified. Tokens the simulator issues carry their principal, so they survive a world being replaced; any
 * other opaque token belongs to the world's caller. undefined: no Bearer credential at all.
 */
export function principalOf(authorization: string | undefined, caller: string): string | undefined {
  if (authorization === undefined || !/^Bearer \S+$/i.test(authorization)) return undefined;
  const token = authorization.slice(7);
  const issued = /^ya29\.sim\.([A-Za-z0-9_-]+)\./.exec(token);
  if (issued !== null) return Buffer.from(issued[1]!, "base64url").toString("utf8");
  if (token.split(".").length === 3) return jwtClaims(token)?.subject;
  return caller;
}

/** The claims a JWT carries that name its holder; undefined when it is not a readable JWT. */
function jwtClaims(jwt: string): { subject: string; claims: Record<string, unknown> } | undefined {
  try {
    const claims = JSON.parse(Buffer.from(jwt.split(".")[1] ?? "", "base64url").toString("utf8")) as Record<
      string,
      unknown
    >;
    const subject = claims.sub ?? claims.iss;
    return typeof subject === "string" && subject !== "" ? { subject, claims } : undefined;
  } catch {
    return undefined;
  }
}

let issuedTokens = 0;

function accessToken(principal: string): string {
  issuedTokens += 1;
  return `ya29.sim.${Buffer.from(principal).toString("base64url")}.${issuedTokens}`;
}

/** A credential endpoint: it issues credentials, so none of them is a read. */
export const CREDENTIAL_ENTRIES = {
  token: { service: "oauth2", operation: "Token", read: false, returnsSecret: false },
  exchange: { service: "sts", operation: "ExchangeToken", read: false, returnsSecret: false },
  impersonate: { service: "iamcredentials", operation: "GenerateAccessToken", read: false, returnsSecret: false },
} as const satisfies Record<string, CatalogueEntry>;

/** What a credential request asks for, and the answer when nothing goes wrong. */
export interface CredentialExchange {
  readonly entry: CatalogueEntry;
  /** Who asks (the principal the credential will be for, when the request names it). */
  readonly principal: string;
  readonly reply: Reply;
  /** The request was refused (a bad grant or assertion). */
  readonly refused: boolean;
}

const IMPERSONATION = /^\/v1\/projects\/-\/serviceAccounts\/([^/:]+):generateAccessToken$/;

/** Whether a request is for one of the credential endpoints. */
export function isCredentialRequest(request: SimRequest): boolean {
  return (
    request.method === "POST" &&
    (request.path === "/token" || request.path === "/v1/token" || IMPERSONATION.test(request.path))
  );
}

/**
 * The credential endpoints google-auth-library calls:
 * - the OAuth 2.0 token endpoint (`oauth2.googleapis.com/token`): a service account's signed JWT assertion
 *   (`urn:ietf:params:oauth:grant-type:jwt-bearer`) or a user's refresh token for an access token;
 * - Security Token Service `sts.googleapis.com/v1/token` (RFC 8693 token exchange): Workload Identity
 *   Federation's external credential (a CI system's OIDC token) for a federated access token; an
 *   `external_account` credential file names it in `token_url`;
 * - IAM Credentials `…/serviceAccounts/{email}:generateAccessToken`: the federated identity impersonates a
 *   service account (the file's `service_account_impersonation_url`).
 * OAuth and STS errors have OAuth's shape (`{"error","error_description"}`); IAM Credentials answers Google's.
 */
export function credentialExchange(request: SimRequest, caller: string): CredentialExchange {
  const form = formOf(request);
  if (request.path === "/token") {
    const grant = form.get("grant_type");
    const principal =
      grant === "urn:ietf:params:oauth:grant-type:jwt-bearer"
        ? jwtClaims(form.get("assertion") ?? "")?.subject
        : grant === "refresh_token" && (form.get("refresh_token") ?? "") !== ""
          ? caller
          : undefined;
    return granted(CREDENTIAL_ENTRIES.token, principal, grant, () => ({
      access_token: accessToken(principal!),
      expires_in: 3599,
      token_type: "Bearer",
    }));
  }
  if (request.path === "/v1/token") {
    const grant = form.get("grant_type");
    const subject =
      grant === "urn:ietf:params:oauth:grant-type:token-exchange"
        ? jwtClaims(form.get("subject_token") ?? "")?.subject
        : undefined;
    // A federated principal: the workload identity pool (from the audience) and the external token's subject.
    const pool = /\/(projects\/\d+\/locations\/global\/workloadIdentityPools\/[^/]+)\//.exec(
      form.get("audience") ?? "",
    );
    const principal =
      subject === undefined
        ? undefined
        : pool === null
          ? subject
          : `principal://iam.googleapis.com/${pool[1]}/subject/${subject}`;
    return granted(CREDENTIAL_ENTRIES.exchange, principal, grant, () => ({
      access_token: accessToken(principal!),
      issued_token_type: "urn:ietf:params:oauth:token-type:access_token",
      token_type: "Bearer",
      expires_in: 3600,
    }));
  }
  const email = decodeURIComponent(IMPERSONATION.exec(request.path)?.[1] ?? "");
  const caller_ = principalOf(header(request, "authorization"), caller);
  if (caller_ === undefined)
    return {
      entry: CREDENTIAL_ENTRIES.impersonate,
      principal: "",
      refused: true,
      reply: errorReply(
        new GoogleApiError("UNAUTHENTICATED", "Request is missing required authentication credential."),
      ),
    };
  return {
    entry: CREDENTIAL_ENTRIES.impersonate,
    principal: caller_,
    refused: false,
    reply: jsonReply({ accessToken: accessToken(email), expireTime: new Date(Date.now() + 3_600_000).toISOString() }),
  };
}

function granted(
  entry: CatalogueEntry,
  principal: string | undefined,
  grant: string | null,
  body: () => Record<string, unknown>,
): CredentialExchange {
  if (principal === undefined) {
    const known = [
      "urn:ietf:params:oauth:grant-type:jwt-bearer",
      "refresh_token",
      "urn:ietf:params:oauth:grant-type:token-exchange",
    ].includes(grant ?? "");
    return {
      entry,
      principal: "",
      refused: true,
      reply: known
        ? oauthError(400, "invalid_grant", "The credential could not be read.")
        : oauthError(400, "unsupported_grant_type", `Invalid grant_type: ${grant ?? "(none)"}`),
    };
  }
  return { entry, principal, refused: false, reply: jsonReply(body()) };
}

export function oauthError(status: number, error: string, description: string): Reply {
  return { ...jsonReply({ error, error_description: description }, status), errorCode: error };
}

/** The request's parameters: a form (OAuth, STS) or a JSON object (IAM Credentials). */
function formOf(request: SimRequest): URLSearchParams {
  if (!(header(request, "content-type") ?? "").includes("json")) return new URLSearchParams(request.body);
  try {
    const parsed: unknown = JSON.parse(request.body);
    if (parsed === null || typeof parsed !== "object") return new URLSearchParams();
    return new URLSearchParams(Object.entries(parsed).map(([key, value]): [string, string] => [key, String(value)]));
  } catch {
    return new URLSearchParams();
  }
}
