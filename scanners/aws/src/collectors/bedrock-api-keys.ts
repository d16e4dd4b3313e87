import type { Key, ScanItem, Tri } from "@aigov/core";
import {
  IAMClient,
  ListServiceSpecificCredentialsCommand,
  type ServiceSpecificCredentialMetadata,
} from "@aws-sdk/client-iam";
import { type AwsCollectContext, iso, nativeOf } from "../collect-context.ts";
import { userIsAdministrator } from "./iam-privileges.ts";

const DAY_MS = 86_400_000;

/**
 * Long-term Bedrock API keys: IAM service-specific credentials for bedrock.amazonaws.com, for all users.
 * IAM is global, so this runs once per account (on the account's global target). Only metadata is listed:
 * the secret is returned by nothing the scanner may call.
 */
export async function* collectBedrockApiKeys(ctx: AwsCollectContext): AsyncGenerator<ScanItem> {
  const client = ctx.client(IAMClient, "iam");
  let marker: string | undefined;
  try {
    do {
      const page = await client.send(
        new ListServiceSpecificCredentialsCommand({
          ServiceName: "bedrock.amazonaws.com",
          AllUsers: true,
          MaxItems: Math.min(ctx.config.pageSize, 1000),
          ...(marker === undefined ? {} : { Marker: marker }),
        }),
      );
      for (const credential of page.ServiceSpecificCredentials ?? [])
        yield {
          type: "subject",
          subject: bedrockKey(ctx, credential, await userIsAdministrator(ctx, credential.UserName ?? "")),
        };
      marker = page.IsTruncated ? page.Marker : undefined;
    } while (marker !== undefined);
  } catch (error) {
    ctx.recordGap(error, "iam", "ListServiceSpecificCredentials");
  }
}

/** A key's metadata; `userAdministrator`: its user holds AdministratorAccess (directly or through a group). */
function bedrockKey(
  ctx: AwsCollectContext,
  credential: ServiceSpecificCredentialMetadata,
  userAdministrator: Tri,
): Key {
  const id = credential.ServiceSpecificCredentialId ?? "";
  const user = credential.UserName ?? "";
  const created = credential.CreateDate;
  const status = credential.Status === "Active" ? "active" : "inactive";
  return {
    subject: "key",
    provider: "aws",
    account: ctx.account,
    region: "global",
    kind: "key",
    type: "bedrock-api-key",
    vendor: "aws-bedrock",
    id: `arn:aws:iam::${ctx.account}:user/${user}/service-specific-credential/${id}`,
    name: credential.ServiceCredentialAlias ?? credential.ServiceUserName ?? id,
    location: `iam-user:${user}`,
    status,
    ...(created === undefined ? {} : { createdAt: iso(created) }),
    // IAM omits ExpirationDate for a key that never expires.
    expiresAt: credential.ExpirationDate === undefined ? null : credential.ExpirationDate.toISOString(),
    tags: {},
    native: nativeOf(credential, {
      ageDays: created === undefined ? undefined : Math.floor((ctx.now.getTime() - created.getTime()) / DAY_MS),
      neverExpires: credential.ExpirationDate === undefined,
      userAdministrator,
    }),
  };
}
