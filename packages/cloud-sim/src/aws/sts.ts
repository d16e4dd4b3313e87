import type { AwsService } from "../aws-service.ts";
import { toXml } from "../aws-protocol.ts";

/** STS (awsQuery). AssumeRole is answered by the server itself, which owns the sessions it issues. */
export const sts: AwsService = {
  name: "sts",
  signingName: "sts",
  protocol: "awsQuery",
  global: true,
  namespace: "https://sts.amazonaws.com/doc/2011-06-15/",
  throttle: { code: "Throttling", status: 400 },
  operations: {
    GetCallerIdentity: (call) =>
      toXml({ UserId: call.caller.userId, Account: call.caller.account, Arn: call.caller.arn }),
    AssumeRole: () => "",
  },
};
