import { type IndexedWorld, stableId } from "./world-index.ts";

/** What the SigV4 Authorization header says about the caller (sigv4.ts checks the signature of issued sessions). */
export interface SigningScope {
  readonly accessKeyId: string;
  readonly region: string;
  readonly service: string;
}

const CREDENTIAL = /Credential=([^/,\s]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/;

export function parseSigningScope(authorization: string | undefined): SigningScope | undefined {
  if (authorization === undefined) return undefined;
  const match = CREDENTIAL.exec(authorization);
  if (match === null) return undefined;
  return { accessKeyId: match[1]!, region: match[2]!, service: match[3]! };
}

/** Who is calling, as resolved from the access key id. */
export interface Caller {
  readonly account: string;
  readonly arn: string;
  readonly accessKeyId: string;
  /** The user id STS GetCallerIdentity reports (`AIDA…` for users, `AROA…:session` for roles). */
  readonly userId: string;
}

/** Credentials STS AssumeRole issued. */
export interface IssuedSession {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiration: string;
  readonly roleId: string;
  readonly arn: string;
}

interface Session {
  readonly account: string;
  readonly arn: string;
  /** What the session's requests are signed with and carry (X-Amz-Security-Token). */
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly userId: string;
}

/**
 * Callers by access key id:
 * - a key issued by the simulated STS AssumeRole belongs to the role's account (an assumed-role session);
 * - a key whose characters 5–16 are one of the world's account ids (`AKIA111111111111FAKE`) acts as that account;
 * - any other key is the world's caller (`aws.caller`).
 */
export class AwsIdentities {
  #world: IndexedWorld;
  readonly #sessions = new Map<string, Session>();
  // Resolving a caller hashes ids, and a sweep sends thousands of requests with the same few keys.
  #callers = new Map<string, Caller | undefined>();
  #issued = 0;

  constructor(world: IndexedWorld) {
    this.#world = world;
  }

  /** A new world: callers are resolved again; sessions already issued stay valid. */
  serve(world: IndexedWorld): void {
    this.#world = world;
    this.#callers = new Map();
  }

  callerOf(accessKeyId: string): Caller | undefined {
    if (this.#callers.has(accessKeyId)) return this.#callers.get(accessKeyId);
    const caller = this.#identify(accessKeyId);
    if (this.#callers.size > 100_000) this.#callers = new Map();
    this.#callers.set(accessKeyId, caller);
    return caller;
  }

  /** A session in `account` as role `roleName`, for `durationSeconds`. */
  issue(account: string, roleName: string, sessionName: string, durationSeconds: number): IssuedSession {
    this.#issued += 1;
    const accessKeyId = `ASIA${account}${(this.#issued % 36 ** 4).toString(36).toUpperCase().padStart(4, "0")}`;
    const roleId = `AROA${stableId(`${account}/${roleName}`, 17).toUpperCase()}`;
    const arn = `arn:aws:sts::${account}:assumed-role/${roleName}/${sessionName}`;
    const secretAccessKey = stableId(accessKeyId, 40);
    const sessionToken = `FwoGZXIvYXdzEPT//////////simsession${this.#issued}`;
    this.#sessions.set(accessKeyId, {
      account,
      arn,
      userId: `${roleId}:${sessionName}`,
      secretAccessKey,
      sessionToken,
    });
    return {
      accessKeyId,
      secretAccessKey,
      sessionToken,
      expiration: new Date(Date.now() + durationSeconds * 1000).toISOString(),
      roleId,
      arn,
    };
  }

  /**
   * The keys of a session this STS issued: the simulator knows their secret, so it checks their requests' signatures
   * and tokens as AWS does. Other keys (the world's callers) are taken at their word: their secret is the user's.
   */
  issuedKeys(accessKeyId: string): { readonly secretAccessKey: string; readonly sessionToken: string } | undefined {
    return this.#sessions.get(accessKeyId);
  }

  #identify(accessKeyId: string): Caller | undefined {
    const session = this.#sessions.get(accessKeyId);
    if (session !== undefined)
      return { account: session.account, arn: session.arn, accessKeyId, userId: session.userId };
    const embedded = accessKeyId.slice(4, 16);
    if (/^\d{12}$/.test(embedded) && this.#world.accounts.has(embedded)) {
      return {
        account: embedded,
        arn: `arn:aws:iam::${embedded}:user/aigov-sim`,
        accessKeyId,
        userId: `AIDA${stableId(embedded, 16).toUpperCase()}`,
      };
    }
    const caller = this.#world.caller;
    if (caller === undefined) return undefined;
    return {
      account: caller.account,
      arn: caller.arn,
      accessKeyId,
      userId: `AIDA${stableId(caller.arn, 16).toUpperCase()}`,
    };
  }
}
