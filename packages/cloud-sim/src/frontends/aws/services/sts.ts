import type { FaultTarget } from "../../../core/faults.ts";
import type { Caller } from "../identity.ts";
import { AwsError, toXml } from "../protocol.ts";
import { type AwsCall, type AwsService, read, write } from "../service.ts";

const ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/;

/** The role AssumeRole enters: its account and name. */
function roleOf(input: Record<string, unknown>): FaultTarget | undefined {
  const match = ROLE_ARN.exec(String(input.RoleArn ?? ""));
  return match === null ? undefined : { account: match[1]!, name: match[2]! };
}

export function notAuthorizedToAssume(caller: Caller, roleArn: string): AwsError {
  return new AwsError(
    "AccessDenied",
    `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
    403,
  );
}

function validation(message: string): AwsError {
  return new AwsError("ValidationError", message, 400);
}

/** The role must exist in a world account, be assumable, and get its external id. */
function assumeRole(call: AwsCall): string {
  const roleArn = String(call.input.RoleArn ?? "");
  const sessionName = String(call.input.RoleSessionName ?? "");
  const role = roleOf(call.input);
  if (role === undefined || !/^[\w+=,.@-]{1,64}$/.test(role.name))
    throw validation(`${roleArn} is not a valid role ARN`);
  if (!/^[\w+=,.@-]{2,64}$/.test(sessionName)) {
    throw validation(
      "1 validation error detected: Value at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*",
    );
  }
  const duration = Number(call.input.DurationSeconds ?? 3600);
  if (!(Number.isInteger(duration) && duration >= 900 && duration <= 43200)) {
    throw validation(
      "1 validation error detected: Value at 'durationSeconds' failed to satisfy constraint: Member must have value between 900 and 43200",
    );
  }
  const account = call.world.accounts.get(role.account);
  // An account that declares no roles lets any role name in, without an external id.
  const declared = account?.roles === undefined ? { name: role.name } : account.roles.get(role.name);
  const externalId = call.input.ExternalId === undefined ? undefined : String(call.input.ExternalId);
  if (
    account === undefined ||
    declared === undefined ||
    ("assumable" in declared && declared.assumable === false) ||
    ("externalId" in declared && declared.externalId !== undefined && declared.externalId !== externalId)
  ) {
    throw notAuthorizedToAssume(call.caller, roleArn);
  }
  const session = call.identities.issue(role.account, role.name, sessionName, duration);
  return toXml({
    Credentials: {
      AccessKeyId: session.accessKeyId,
      SecretAccessKey: session.secretAccessKey,
      SessionToken: session.sessionToken,
      Expiration: session.expiration,
    },
    AssumedRoleUser: { AssumedRoleId: `${session.roleId}:${sessionName}`, Arn: session.arn },
    PackedPolicySize: 0,
  });
}

/** STS (awsQuery). AssumeRole is not a read: it issues credentials. */
export const sts: AwsService = {
  name: "sts",
  signingName: "sts",
  protocol: "awsQuery",
  global: true,
  namespace: "https://sts.amazonaws.com/doc/2011-06-15/",
  throttle: { code: "Throttling", status: 400 },
  operations: {
    GetCallerIdentity: read((call) =>
      toXml({ UserId: call.caller.userId, Account: call.caller.account, Arn: call.caller.arn }),
    ),
    AssumeRole: write(assumeRole, { enters: roleOf }),
  },
};
