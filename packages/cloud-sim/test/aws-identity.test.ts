import { AccountClient, GetRegionOptStatusCommand, paginateListRegions } from "@aws-sdk/client-account";
import { IAMClient, ListServiceSpecificCredentialsCommand, paginateListUsers } from "@aws-sdk/client-iam";
import {
  DescribeOrganizationalUnitCommand,
  DescribeOrganizationCommand,
  ListRootsCommand,
  ListTagsForResourceCommand,
  OrganizationsClient,
  paginateListAccounts,
  paginateListOrganizationalUnitsForParent,
  paginateListParents,
} from "@aws-sdk/client-organizations";
import { LambdaClient, ListFunctionsCommand } from "@aws-sdk/client-lambda";
import { SageMakerClient, ListEndpointsCommand } from "@aws-sdk/client-sagemaker";
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CloudSim, startCloudSim } from "../src/index.ts";
import { clientConfig, collect, KEYS, WORLD_FILE } from "./sim-clients.ts";

let sim: CloudSim;
beforeAll(async () => {
  sim = await startCloudSim({ world: WORLD_FILE });
});
afterAll(async () => {
  await sim.close();
});

describe("Organizations", () => {
  const org = () =>
    new OrganizationsClient(clientConfig(sim.url, { accessKeyId: "AKIAFAKEFAKEFAKEFAKE", secretAccessKey: "x" }));

  it("lists every account with status, email and joined time, two per page", async () => {
    sim.requests.clear();
    const accounts = await collect(paginateListAccounts({ client: org() }, {}), (p) => p.Accounts);
    expect(accounts.map((a) => [a.Id, a.Name, a.Status])).toEqual([
      ["111111111111", "management", "ACTIVE"],
      ["222222222222", "ml-prod", "ACTIVE"],
      ["333333333333", "ml-dev", "ACTIVE"],
      ["444444444444", "closed", "SUSPENDED"],
    ]);
    expect(accounts[1]).toMatchObject({
      Email: "ml-prod@example.com",
      Arn: "arn:aws:organizations::111111111111:account/o-testorg0001/222222222222",
      JoinedTimestamp: new Date("2024-03-01T00:00:00Z"),
    });
    expect(sim.requests.count({ service: "organizations", operation: "ListAccounts", account: "111111111111" })).toBe(
      2,
    );
  });

  it("walks an account's OU path up to the root, and lists OUs with their tags", async () => {
    const c = org();
    const parents = await collect(paginateListParents({ client: c }, { ChildId: "222222222222" }), (p) => p.Parents);
    expect(parents).toEqual([{ Id: "ou-t3st-prod0001", Type: "ORGANIZATIONAL_UNIT" }]);
    const prod = await c.send(new DescribeOrganizationalUnitCommand({ OrganizationalUnitId: "ou-t3st-prod0001" }));
    expect(prod.OrganizationalUnit?.Name).toBe("Prod");
    const [workloadsParent] = await collect(
      paginateListParents({ client: c }, { ChildId: "ou-t3st-prod0001" }),
      (p) => p.Parents,
    );
    const roots = await c.send(new ListRootsCommand({}));
    expect(roots.Roots?.[0]?.Id).toBe("r-t3st");
    const top = await collect(
      paginateListOrganizationalUnitsForParent({ client: c }, { ParentId: "r-t3st" }),
      (p) => p.OrganizationalUnits,
    );
    expect(top.map((ou) => ou.Name)).toEqual(["Workloads", "Sandbox"]);
    expect(workloadsParent?.Id).toBe(top[0]!.Id);
    const [rootParent] = await collect(paginateListParents({ client: c }, { ChildId: top[0]!.Id! }), (p) => p.Parents);
    expect(rootParent).toEqual({ Id: "r-t3st", Type: "ROOT" });
    const children = await collect(
      paginateListOrganizationalUnitsForParent({ client: c }, { ParentId: top[0]!.Id! }),
      (p) => p.OrganizationalUnits,
    );
    expect(children.map((ou) => ou.Name)).toEqual(["Prod", "Dev"]);
    const ouTags = await c.send(new ListTagsForResourceCommand({ ResourceId: top[0]!.Id! }));
    expect(ouTags.Tags).toEqual([{ Key: "cost-center", Value: "42" }]);
    const accountTags = await c.send(new ListTagsForResourceCommand({ ResourceId: "222222222222" }));
    expect(accountTags.Tags).toEqual([
      { Key: "owner", Value: "ml-team" },
      { Key: "env", Value: "prod" },
    ]);
  });

  it("describes the organization to a member but refuses it ListAccounts", async () => {
    const member = new OrganizationsClient(clientConfig(sim.url, KEYS.prod));
    const described = await member.send(new DescribeOrganizationCommand({}));
    expect(described.Organization).toMatchObject({
      Id: "o-testorg0001",
      MasterAccountId: "111111111111",
      FeatureSet: "ALL",
    });
    await expect(collect(paginateListAccounts({ client: member }, {}), (p) => p.Accounts)).rejects.toMatchObject({
      name: "AccessDeniedException",
    });
  });
});

describe("STS", () => {
  const sts = () => new STSClient(clientConfig(sim.url, KEYS.management));

  it("assumes a role with the right external id, and the session's key acts in the role's account", async () => {
    const assumed = await sts().send(
      new AssumeRoleCommand({
        RoleArn: "arn:aws:iam::222222222222:role/AigovReader",
        RoleSessionName: "aigov",
        ExternalId: "s3cret",
      }),
    );
    expect(assumed.AssumedRoleUser?.Arn).toBe("arn:aws:sts::222222222222:assumed-role/AigovReader/aigov");
    expect(assumed.Credentials?.Expiration).toBeInstanceOf(Date);
    const credentials = {
      accessKeyId: assumed.Credentials!.AccessKeyId!,
      secretAccessKey: assumed.Credentials!.SecretAccessKey!,
      sessionToken: assumed.Credentials!.SessionToken!,
    };
    const me = await new STSClient(clientConfig(sim.url, credentials)).send(new GetCallerIdentityCommand({}));
    expect(me).toMatchObject({
      Account: "222222222222",
      Arn: "arn:aws:sts::222222222222:assumed-role/AigovReader/aigov",
    });
    sim.requests.clear();
    const endpoints = await new SageMakerClient(clientConfig(sim.url, credentials)).send(new ListEndpointsCommand({}));
    expect(endpoints.Endpoints?.[0]?.EndpointArn).toContain(":222222222222:");
    expect(sim.requests.all().map((r) => [r.service, r.operation, r.account, r.region])).toEqual([
      ["sagemaker", "ListEndpoints", "222222222222", "us-east-1"],
    ]);
  });

  it("checks an issued session's signature and token as AWS does: a wrong secret or token is refused", async () => {
    const assumed = await sts().send(
      new AssumeRoleCommand({ RoleArn: "arn:aws:iam::333333333333:role/Anything", RoleSessionName: "signed" }),
    );
    const issued = {
      accessKeyId: assumed.Credentials!.AccessKeyId!,
      secretAccessKey: assumed.Credentials!.SecretAccessKey!,
      sessionToken: assumed.Credentials!.SessionToken!,
    };
    const wrongSecret = { ...issued, secretAccessKey: `${issued.secretAccessKey.slice(0, -1)}x` };
    const wrongToken = { ...issued, sessionToken: `${issued.sessionToken}x` };
    // Signed right, over each protocol: JSON (SageMaker), query (STS) and REST with a query string (Lambda).
    await expect(
      new SageMakerClient(clientConfig(sim.url, issued)).send(new ListEndpointsCommand({})),
    ).resolves.toMatchObject({ $metadata: { httpStatusCode: 200 } });
    await expect(
      new STSClient(clientConfig(sim.url, issued)).send(new GetCallerIdentityCommand({})),
    ).resolves.toMatchObject({
      Account: "333333333333",
    });
    await expect(
      new LambdaClient(clientConfig(sim.url, issued)).send(
        new ListFunctionsCommand({ MaxItems: 5, FunctionVersion: "ALL" }),
      ),
    ).resolves.toMatchObject({ $metadata: { httpStatusCode: 200 } });
    sim.requests.clear();
    await expect(
      new SageMakerClient(clientConfig(sim.url, wrongSecret)).send(new ListEndpointsCommand({})),
    ).rejects.toMatchObject({ name: "InvalidSignatureException", $metadata: { httpStatusCode: 403 } });
    await expect(
      new STSClient(clientConfig(sim.url, wrongSecret)).send(new GetCallerIdentityCommand({})),
    ).rejects.toMatchObject({ name: "SignatureDoesNotMatch", $metadata: { httpStatusCode: 403 } });
    await expect(
      new LambdaClient(clientConfig(sim.url, wrongSecret)).send(new ListFunctionsCommand({ MaxItems: 5 })),
    ).rejects.toMatchObject({ name: "InvalidSignatureException", $metadata: { httpStatusCode: 403 } });
    await expect(
      new SageMakerClient(clientConfig(sim.url, wrongToken)).send(new ListEndpointsCommand({})),
    ).rejects.toMatchObject({ name: "UnrecognizedClientException", $metadata: { httpStatusCode: 400 } });
    expect(sim.requests.all().map((r) => [r.operation, r.status, r.errorCode])).toEqual([
      ["ListEndpoints", 403, "InvalidSignatureException"],
      ["GetCallerIdentity", 403, "SignatureDoesNotMatch"],
      ["ListFunctions", 403, "InvalidSignatureException"],
      ["ListEndpoints", 400, "UnrecognizedClientException"],
    ]);
  });

  it("refuses a wrong external id, an unassumable role and a role that does not exist with AccessDenied", async () => {
    for (const input of [
      { RoleArn: "arn:aws:iam::222222222222:role/AigovReader", RoleSessionName: "aigov", ExternalId: "wrong" },
      { RoleArn: "arn:aws:iam::222222222222:role/AigovReader", RoleSessionName: "aigov" },
      { RoleArn: "arn:aws:iam::222222222222:role/Legacy", RoleSessionName: "aigov" },
      { RoleArn: "arn:aws:iam::222222222222:role/Nope", RoleSessionName: "aigov" },
      { RoleArn: "arn:aws:iam::999999999999:role/AigovReader", RoleSessionName: "aigov" },
    ]) {
      await expect(sts().send(new AssumeRoleCommand(input))).rejects.toMatchObject({
        name: "AccessDenied",
        $metadata: { httpStatusCode: 403 },
      });
    }
  });

  it("validates the session name and duration as STS does, before issuing anything", async () => {
    sim.requests.clear();
    await expect(
      sts().send(
        new AssumeRoleCommand({
          RoleArn: "arn:aws:iam::333333333333:role/R",
          RoleSessionName: "ok-name",
          DurationSeconds: 60,
        }),
      ),
    ).rejects.toMatchObject({ name: "ValidationError", $metadata: { httpStatusCode: 400 } });
    await expect(
      sts().send(new AssumeRoleCommand({ RoleArn: "arn:aws:iam::333333333333:role/R", RoleSessionName: "bad name" })),
    ).rejects.toMatchObject({ name: "ValidationError" });
    expect(sim.requests.all().map((r) => r.status)).toEqual([400, 400]);
  });

  it("lets any role be assumed in an account that declares no roles", async () => {
    const assumed = await sts().send(
      new AssumeRoleCommand({ RoleArn: "arn:aws:iam::333333333333:role/Anything", RoleSessionName: "s1" }),
    );
    expect(assumed.AssumedRoleUser?.Arn).toBe("arn:aws:sts::333333333333:assumed-role/Anything/s1");
  });
});

describe("IAM service-specific credentials (Bedrock API keys)", () => {
  const iam = () => new IAMClient(clientConfig(sim.url, KEYS.prod));

  it("lists every user's Bedrock keys with AllUsers, paging with Marker/IsTruncated, expiry absent when it never expires", async () => {
    sim.requests.clear();
    const c = iam();
    const keys = [];
    let marker: string | undefined;
    do {
      const page = await c.send(
        new ListServiceSpecificCredentialsCommand({
          ServiceName: "bedrock.amazonaws.com",
          AllUsers: true,
          Marker: marker,
        }),
      );
      keys.push(...(page.ServiceSpecificCredentials ?? []));
      marker = page.IsTruncated === true ? page.Marker : undefined;
    } while (marker !== undefined);
    expect(keys.map((k) => [k.UserName, k.ServiceSpecificCredentialId, k.Status])).toEqual([
      ["alice", "ACCAALICEKEY0000001", "Active"],
      ["alice", "ACCAALICEKEY0000002", "Inactive"],
      ["bob", "ACCABOBKEY000000001", "Expired"],
    ]);
    expect(keys[0]!.ExpirationDate).toBeUndefined();
    expect(keys[0]!.CreateDate).toEqual(new Date("2025-01-01T00:00:00Z"));
    expect(keys[1]!.ExpirationDate).toEqual(new Date("2026-02-01T00:00:00Z"));
    expect(keys[0]!.ServiceName).toBe("bedrock.amazonaws.com");
    expect(sim.requests.count({ service: "iam", operation: "ListServiceSpecificCredentials" })).toBe(2);
  });

  it("lists users page by page", async () => {
    const users = await collect(paginateListUsers({ client: iam() }, {}), (p) => p.Users);
    expect(users.map((u) => [u.UserName, u.Arn])).toEqual([
      ["alice", "arn:aws:iam::222222222222:user/alice"],
      ["bob", "arn:aws:iam::222222222222:user/bob"],
      ["carol", "arn:aws:iam::222222222222:user/carol"],
    ]);
    expect(users[0]!.CreateDate).toEqual(new Date("2024-01-01T00:00:00Z"));
  });
});

describe("Account ListRegions", () => {
  it("reports the world's regions as enabled and the others as disabled", async () => {
    const c = new AccountClient(clientConfig(sim.url, KEYS.dev));
    const enabled = await collect(
      paginateListRegions({ client: c }, { RegionOptStatusContains: ["ENABLED", "ENABLED_BY_DEFAULT"] }),
      (p) => p.Regions,
    );
    expect(enabled.map((r) => r.RegionName)).toEqual(["us-east-1", "us-west-2"]);
    const all = await collect(paginateListRegions({ client: c }, {}), (p) => p.Regions);
    expect(all.find((r) => r.RegionName === "eu-west-1")?.RegionOptStatus).toBe("DISABLED");
    expect(all.find((r) => r.RegionName === "af-south-1")?.RegionOptStatus).toBe("DISABLED");
    expect((await c.send(new GetRegionOptStatusCommand({ RegionName: "us-west-2" }))).RegionOptStatus).toBe(
      "ENABLED_BY_DEFAULT",
    );
  });
});
