// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the expected values are CloudFormation and terraform interpolations
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { PERMISSIONS_DIR, permissionFiles } from "../scripts/write-permissions.ts";
import {
  DEFAULT_MEMBER_ROLE_NAME,
  DEFAULT_SCANNER_PRINCIPAL,
  memberRolePolicy,
  normalizeAwsConfig,
  scannerPrincipalPolicy,
  ssmParameterValuesPolicy,
} from "../src/index.ts";

// HashiCorp's HCL parser (Go, as WebAssembly). Loaded with require so its typings, which pull the DOM library into
// the whole program (`/// <reference lib="dom" />`), stay out of the type-check.
const { parse: parseHcl } = createRequire(import.meta.url)("@cdktf/hcl2json") as {
  parse(file: string, text: string): Promise<unknown>;
};

const read = (path: string) => readFileSync(join(PERMISSIONS_DIR, path), "utf8");
const MODULE = "terraform/aigov-member-role";
const MODULE_FILES = ["main.tf", "variables.tf", "outputs.tf", "versions.tf", "policies.tf"];

type Json = Record<string, unknown>;

describe("docs/permissions/aws: generated from the command catalogue", () => {
  it("every generated file is committed exactly as the script writes it", () => {
    const files = permissionFiles();
    expect([...files.keys()].sort()).toEqual([
      "member-role-policy.json",
      "member-role-ssm-parameter-values-policy.json",
      "member-role-stackset.yaml",
      "scanner-principal-policy.json",
      `${MODULE}/policies.tf`,
    ]);
    for (const [path, text] of files)
      expect(read(path), `${path}: run node scanners/aws/scripts/write-permissions.ts`).toBe(text);
  });

  it("the scanner principal may assume only the dedicated read-only role, which is also the scanner's default", () => {
    const policy = JSON.parse(read("scanner-principal-policy.json")) as ReturnType<typeof scannerPrincipalPolicy>;
    const assume = policy.Statement.filter((statement) => statement.Action.includes("sts:AssumeRole"));
    expect(assume).toEqual([
      {
        Sid: "AigovAssumeMemberRole",
        Effect: "Allow",
        Action: ["sts:AssumeRole"],
        Resource: "arn:aws:iam::*:role/AigovReadOnly",
      },
    ]);
    expect(
      policy.Statement.flatMap((statement) => statement.Action).filter((a) => !a.startsWith("organizations:")),
    ).toEqual(["sts:AssumeRole"]);
    expect(normalizeAwsConfig({ organization: true }).roleName).toBe(DEFAULT_MEMBER_ROLE_NAME);
    expect(DEFAULT_MEMBER_ROLE_NAME).toBe("AigovReadOnly");
    // Another name (or an ARN template, as the config takes it) scopes the policy to that role.
    expect(scannerPrincipalPolicy("AuditReader").Statement[1]!.Resource).toBe("arn:aws:iam::*:role/AuditReader");
    expect(scannerPrincipalPolicy("arn:aws-us-gov:iam::{account}:role/sec/Aigov").Statement[1]!.Resource).toBe(
      "arn:aws-us-gov:iam::*:role/sec/Aigov",
    );
  });

  it("the default member role policy reads parameter metadata only; values are the opt-in policy's, with decryption denied", () => {
    const member = JSON.parse(read("member-role-policy.json")) as ReturnType<typeof memberRolePolicy>;
    const actions = member.Statement.flatMap((statement) => statement.Action);
    expect(actions).toContain("ssm:DescribeParameters");
    expect(actions.filter((action) => /^ssm:Get|^kms:|^secretsmanager:/.test(action))).toEqual([]);
    const optIn = JSON.parse(read("member-role-ssm-parameter-values-policy.json")) as ReturnType<
      typeof ssmParameterValuesPolicy
    >;
    expect(optIn.Statement.map((statement) => [statement.Effect, statement.Action])).toEqual([
      ["Allow", ["ssm:GetParameters"]],
      ["Deny", ["kms:Decrypt"]],
    ]);
  });
});

describe("the CloudFormation StackSet template", () => {
  const template = parseYaml(read("member-role-stackset.yaml")) as Json;
  const parameters = template.Parameters as Record<string, Json>;
  const resources = template.Resources as Record<string, { Type: string; Properties: Json }>;
  const role = resources.AigovMemberRole!;

  it("parses as YAML and is one IAM role with the generated policies, its name and outputs", () => {
    expect(template.AWSTemplateFormatVersion).toBe("2010-09-09");
    expect(Object.values(resources).map((resource) => resource.Type)).toEqual(["AWS::IAM::Role"]);
    expect(role.Properties.RoleName).toEqual({ Ref: "RoleName" });
    expect(parameters.RoleName!.Default).toBe(DEFAULT_MEMBER_ROLE_NAME);
    const [inventory, ssmValues] = role.Properties.Policies as [Json, { "Fn::If": [string, Json, unknown] }];
    expect(inventory).toEqual({ PolicyName: "AigovReadAiInventory", PolicyDocument: memberRolePolicy() });
    expect(ssmValues["Fn::If"]).toEqual([
      "ReadsSsmParameterValues",
      { PolicyName: "AigovReadSsmParameterValues", PolicyDocument: ssmParameterValuesPolicy() },
      { Ref: "AWS::NoValue" },
    ]);
    expect(parameters.ReadSsmParameterValues!.Default).toBe("false");
    expect(template.Outputs).toEqual({
      RoleName: { Description: expect.any(String), Value: { Ref: "AigovMemberRole" } },
      RoleArn: { Description: expect.any(String), Value: { "Fn::GetAtt": ["AigovMemberRole", "Arn"] } },
    });
  });

  it("trusts only the scanner account's sweep identity, with the external id when one is given", () => {
    const trust = role.Properties.AssumeRolePolicyDocument as { Statement: Json[] };
    expect(trust.Statement).toHaveLength(1);
    const statement = trust.Statement[0]!;
    expect(statement.Principal).toEqual({ AWS: { "Fn::Sub": "arn:${AWS::Partition}:iam::${ScannerAccountId}:root" } });
    expect(statement.Action).toBe("sts:AssumeRole");
    const principalArn = { "Fn::Sub": "arn:${AWS::Partition}:iam::${ScannerAccountId}:${ScannerPrincipal}" };
    expect(statement.Condition).toEqual({
      "Fn::If": [
        "HasExternalId",
        { ArnLike: { "aws:PrincipalArn": principalArn }, StringEquals: { "sts:ExternalId": { Ref: "ExternalId" } } },
        { ArnLike: { "aws:PrincipalArn": principalArn } },
      ],
    });
    expect(parameters.ScannerAccountId!.Default).toBeUndefined();
    expect(parameters.ScannerPrincipal!.Default).toBe(DEFAULT_SCANNER_PRINCIPAL);
  });

  it("refers only to what it declares: every Ref, Fn::Sub variable, Fn::GetAtt and Fn::If condition resolves", () => {
    const declared = new Set([...Object.keys(parameters), ...Object.keys(resources), "AWS::Partition", "AWS::NoValue"]);
    const conditions = new Set(Object.keys(template.Conditions as Json));
    const unresolved: string[] = [];
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) {
        for (const item of node) walk(item);
        return;
      }
      if (node === null || typeof node !== "object") return;
      for (const [key, value] of Object.entries(node)) {
        if (key === "Ref" && !declared.has(value as string)) unresolved.push(`Ref ${value}`);
        if (key === "Fn::Sub")
          for (const [, name] of (value as string).matchAll(/\$\{([^}]+)\}/g))
            if (!declared.has(name!)) unresolved.push(`Fn::Sub ${name}`);
        if (key === "Fn::GetAtt" && !declared.has((value as string[])[0]!)) unresolved.push(`GetAtt ${value}`);
        if (key === "Fn::If" && !conditions.has((value as string[])[0]!))
          unresolved.push(`If ${(value as string[])[0]}`);
        walk(value);
      }
    };
    walk(template.Resources);
    walk(template.Outputs);
    walk(template.Conditions);
    expect(unresolved).toEqual([]);
  });
});

describe("the terraform module", () => {
  const parsed = async () => {
    const blocks: Record<string, Json> = {};
    for (const file of MODULE_FILES) blocks[file] = (await parseHcl(file, read(`${MODULE}/${file}`))) as Json;
    return blocks;
  };

  it("parses as HCL, and its policy documents are exactly the generated policies", async () => {
    const hcl = await parsed();
    const locals = Object.assign({}, ...(hcl["policies.tf"]!.locals as Json[])) as Record<string, string>;
    expect(JSON.parse(locals.read_ai_inventory_policy!)).toEqual(memberRolePolicy());
    expect(JSON.parse(locals.read_ssm_parameter_values_policy!)).toEqual(ssmParameterValuesPolicy());
    const policies = (hcl["main.tf"]!.resource as Record<string, Record<string, Json[]>>).aws_iam_role_policy!;
    expect(policies.read_ai_inventory![0]).toMatchObject({
      name: "AigovReadAiInventory",
      role: "${aws_iam_role.aigov.id}",
      policy: "${local.read_ai_inventory_policy}",
    });
    expect(policies.read_ssm_parameter_values![0]).toMatchObject({
      count: "${var.read_ssm_parameter_values ? 1 : 0}",
      policy: "${local.read_ssm_parameter_values_policy}",
    });
  });

  it("names the role AigovReadOnly by default, trusts the scanner principal, and declares every variable it uses", async () => {
    const hcl = await parsed();
    const variables = Object.fromEntries(
      Object.entries(hcl["variables.tf"]!.variable as Record<string, Json[]>).map(([name, [block]]) => [name, block!]),
    );
    expect(variables.role_name!.default).toBe(DEFAULT_MEMBER_ROLE_NAME);
    expect(variables.scanner_principal!.default).toBe(DEFAULT_SCANNER_PRINCIPAL);
    expect(variables.read_ssm_parameter_values!.default).toBe(false);
    expect(variables.scanner_account_id!.default).toBeUndefined();
    const role = (hcl["main.tf"]!.resource as Record<string, Record<string, Json[]>>).aws_iam_role!.aigov![0]!;
    expect(role).toMatchObject({
      name: "${var.role_name}",
      assume_role_policy: "${data.aws_iam_policy_document.trust.json}",
    });
    const text = MODULE_FILES.map((file) => read(`${MODULE}/${file}`)).join("\n");
    const used = new Set([...text.matchAll(/\bvar\.(\w+)/g)].map((match) => match[1]!));
    expect([...used].filter((name) => !(name in variables))).toEqual([]);
    const locals = new Set(
      ["main.tf", "policies.tf"].flatMap((file) =>
        ((hcl[file]!.locals as Json[] | undefined) ?? []).flatMap((block) => Object.keys(block)),
      ),
    );
    expect([...text.matchAll(/\blocal\.(\w+)/g)].map((match) => match[1]!).filter((name) => !locals.has(name))).toEqual(
      [],
    );
    const trust = (hcl["main.tf"]!.data as Record<string, Record<string, Json[]>>).aws_iam_policy_document!.trust![0]!;
    const statement = (trust.statement as Json[])[0]!;
    expect(statement.actions).toEqual(["sts:AssumeRole"]);
    expect(statement.condition).toEqual([
      { test: "ArnLike", variable: "aws:PrincipalArn", values: ["${local.scanner_principal_arn}"] },
    ]);
  });
});
