import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { fromNodeProviderChain } from "@aws-sdk/credential-providers";
import type { AwsClientFactory, AwsCredentials, CredentialsProvider } from "./aws-clients.ts";
import type { NormalizedAwsConfig } from "./config.ts";

// Renew assumed-role credentials this long before they expire, so a long sweep never sends an expired token.
const RENEW_BEFORE_MS = 5 * 60_000;
const SESSION_SECONDS = 3600;

/** The standard chain: env, shared config/SSO profile, web identity, container and instance metadata. */
export function defaultCredentials(): CredentialsProvider {
  return fromNodeProviderChain() as CredentialsProvider;
}

/** The scanner's own identity and, per account, credentials for the role it assumes there (never stored in targets). */
export class AccountCredentials {
  private readonly config: NormalizedAwsConfig;
  private readonly base: CredentialsProvider;
  private readonly sts: STSClient;
  private readonly cache = new Map<string, Promise<AwsCredentials>>();
  private caller: Promise<{ account: string; arn: string }> | undefined;

  constructor(config: NormalizedAwsConfig, clients: AwsClientFactory, base: CredentialsProvider) {
    this.config = config;
    this.base = base;
    this.sts = clients.create(STSClient, "sts", { account: "self", region: config.homeRegion, credentials: base });
  }

  /** Who the scanner runs as (STS GetCallerIdentity; needs no permission). */
  callerIdentity(): Promise<{ account: string; arn: string }> {
    this.caller ??= this.sts
      .send(new GetCallerIdentityCommand({}))
      .then((out) => ({ account: out.Account ?? "", arn: out.Arn ?? "" }));
    return this.caller;
  }

  /** The base credentials, for calls the scanner makes as itself (Organizations). */
  own(): CredentialsProvider {
    return this.base;
  }

  /** Assumes `roleArn` now (so targets can report an unassumable role) and returns a provider that renews it. */
  async assume(account: string, roleArn: string): Promise<CredentialsProvider> {
    const caller = await this.callerIdentity();
    if (account === caller.account && !this.config.assumeRoleInOwnAccount) return this.base;
    await this.fresh(roleArn);
    return () => this.fresh(roleArn);
  }

  private fresh(roleArn: string): Promise<AwsCredentials> {
    const cached = this.cache.get(roleArn);
    if (cached !== undefined) {
      return cached.then((credentials) => {
        if (credentials.expiration === undefined || credentials.expiration.getTime() - Date.now() > RENEW_BEFORE_MS)
          return credentials;
        this.cache.delete(roleArn);
        return this.fresh(roleArn);
      });
    }
    const pending = this.sts
      .send(
        new AssumeRoleCommand({
          RoleArn: roleArn,
          RoleSessionName: this.config.sessionName,
          DurationSeconds: SESSION_SECONDS,
          ...(this.config.externalId === undefined ? {} : { ExternalId: this.config.externalId }),
        }),
      )
      .then((out) => {
        const c = out.Credentials;
        if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error(`AssumeRole ${roleArn} returned no credentials`);
        return {
          accessKeyId: c.AccessKeyId,
          secretAccessKey: c.SecretAccessKey,
          ...(c.SessionToken === undefined ? {} : { sessionToken: c.SessionToken }),
          ...(c.Expiration === undefined ? {} : { expiration: c.Expiration }),
        };
      });
    // A failed assumption is not cached: the next target of that account tries again.
    pending.catch(() => this.cache.delete(roleArn));
    this.cache.set(roleArn, pending);
    return pending;
  }
}
