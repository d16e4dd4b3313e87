import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { AigovError, isUnknown } from "@aigov/core";
import { describe, expect, it } from "vitest";
import { jsonInputText, parseJsonDocument, readPlanDocument, readPlanText } from "../src/index.ts";
import { readGateSource } from "../src/gate.ts";
import { plan, planPath, resourceChange } from "./plan-fixture.ts";

async function readError(promise: Promise<unknown>): Promise<AigovError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AigovError);
  return error as AigovError;
}

/** The gate's own path for a plan file: bytes → text → one validating scan → the reader. */
function bytesError(bytes: Uint8Array): AigovError {
  try {
    const { text, line } = jsonInputText(bytes, "plan.json");
    readPlanText(text, "plan.json", line);
  } catch (error) {
    expect(error).toBeInstanceOf(AigovError);
    return error as AigovError;
  }
  throw new Error("expected the plan to be refused");
}

describe("real plans from the corpora (checkov, infracost)", () => {
  it("reads checkov's 55-change plan (format 0.1, provider_name 'aws') and finds no AI", async () => {
    const input = await readGateSource(planPath("checkov/checkov_runner_tfplan_55rc.json"));
    expect(input.formatVersion).toBe("0.1");
    expect(input.resources).toBe(55);
    expect(input.subjects).toEqual([]);
  });

  it("decodes the UTF-16 LE plan that Windows PowerShell redirection writes", async () => {
    const bytes = readFileSync(planPath("checkov/tfplan_win_utf16.json"));
    expect([bytes[0], bytes[1]]).toEqual([0xff, 0xfe]);
    const input = await readGateSource(planPath("checkov/tfplan_win_utf16.json"));
    expect(input.formatVersion).toBe("1.1");
    expect(input.resources).toBe(1);
  });

  it("reads a plan with a create/delete replacement", async () => {
    const input = await readGateSource(planPath("checkov/plan_with_deleted_resources.json"));
    expect(input.resources).toBe(1);
    expect(input.subjects).toEqual([]);
  });

  it("reads nested module addresses (module.a.module.b.type.name)", async () => {
    const input = await readGateSource(planPath("checkov/plan_nested_child_modules.json"));
    expect(input.resources).toBe(9);
  });

  it("reads after: null with after_unknown", async () => {
    const input = await readGateSource(planPath("checkov/plan_after_unknown.json"));
    expect(input.resources).toBe(1);
  });

  it("refuses checkov's corrupted plan (a state document without resource_changes) with exit 2", async () => {
    const error = await readError(readGateSource(planPath("checkov/corrupted-tfplan.json")));
    expect(error.code).toBe("PLAN_IS_STATE");
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain("no resource_changes");
  });

  it("takes the plan JSON out of hashicorp/setup-terraform wrapper output", async () => {
    const input = await readGateSource(planPath("infracost/plan_with_terraform_wrapper.json"));
    expect(input.formatVersion).toBe("0.2");
    expect(input.resources).toBe(2);
  });

  it("reads a terraform 0.12 plan with count/for_each addresses and nested modules", async () => {
    const input = await readGateSource(planPath("infracost/terraform_v0.12_plan.json"));
    expect(input.formatVersion).toBe("0.1");
    expect(input.resources).toBe(26);
    expect(input.subjects).toEqual([]);
  });
});

describe("real cdktf synth output", () => {
  it("reads a cdk.tf.json whose infrastructure is in module calls and names the modules it could not inspect", async () => {
    const input = await readGateSource(planPath("cdktf/aymanzahran-multi-cloud-dev.cdk.tf.json"));
    expect(input.source).toBe("cdktf");
    expect(input.resources).toBe(3);
    expect(input.modulesNotInspected).toEqual([
      "aks_BAB83E91",
      "aks_vnet_CD5E95BE",
      "eks_B1A34D59",
      "eks_vpc_924ECCC8",
    ]);
    expect(input.subjects).toEqual([]);
  });

  it("reads a cdktf 0.12 synth with a data source", async () => {
    const input = await readGateSource(planPath("cdktf/jcolemorrison-ecs-consul.cdk.tf.json"));
    expect(input.resources).toBe(3);
    expect(input.dataSources).toBe(1);
    expect(input.modulesNotInspected).toEqual(["images_module"]);
  });

  it("reads every stack of a cdktf.out directory through manifest.json", async () => {
    const input = await readGateSource(planPath("cdktf-out"));
    expect(input.stacks).toEqual(["ai", "network"]);
    expect(input.subjects.map((subject) => subject.id).sort()).toEqual([
      "ai/aws_sagemaker_notebook_instance.nb",
      "ai/azurerm_cognitive_account.openai",
      "ai/azurerm_cognitive_deployment.gpt",
    ]);
    const account = input.subjects.find((subject) => subject.id === "ai/azurerm_cognitive_account.openai");
    // `${azurerm_resource_group.rg.location}` is resolved only at apply.
    expect(isUnknown(account?.region)).toBe(true);
    expect(account?.source?.path).toBe("ai/openai");
    const notebook = input.subjects.find((subject) => subject.id.endsWith("notebook_instance.nb"));
    expect(notebook?.region).toBe("eu-central-1");
    expect(notebook?.subject === "asset" && isUnknown(notebook.cmk)).toBe(true);
    const deployment = input.subjects.find((subject) => subject.id.endsWith("deployment.gpt"));
    expect(deployment?.subject === "asset" && deployment.models).toEqual(["gpt-4o-mini"]);
  });

  it("refuses a cdktf.out whose manifest names a stack file that does not exist", async () => {
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const dir = mkdtempSync(join(tmpdir(), "cdktf-out-"));
    writeFileSync(
      join(dir, "manifest.json"),
      JSON.stringify({ version: "0.21.0", stacks: { a: { synthesizedStackPath: "stacks/a/cdk.tf.json" } } }),
    );
    const error = await readError(readGateSource(dir));
    expect(error.code).toBe("CDKTF_STACK_MISSING");
  });
});

describe("encodings", () => {
  const text = readFileSync(planPath("sample-ai-plan.json"), "utf8");
  const expected = readPlanDocument(JSON.parse(text), "plan.json").subjects.map((subject) => subject.id);
  const read = (bytes: Uint8Array) =>
    readPlanDocument(parseJsonDocument(bytes, "plan.json"), "plan.json").subjects.map((subject) => subject.id);
  const utf16be = (value: string): Buffer => {
    const le = Buffer.from(value, "utf16le");
    for (let index = 0; index < le.length; index += 2) [le[index], le[index + 1]] = [le[index + 1]!, le[index]!];
    return le;
  };

  it("reads UTF-8 with a BOM", () => {
    expect(read(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]))).toEqual(expected);
  });
  it("reads UTF-16 LE without a BOM", () => {
    expect(read(Buffer.from(text, "utf16le"))).toEqual(expected);
  });
  it("reads UTF-16 BE with a BOM", () => {
    expect(read(Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(text)]))).toEqual(expected);
  });
  it("refuses bytes that are not valid UTF-8", () => {
    const error = bytesError(
      Buffer.concat([Buffer.from('{"format_version":"1.2","x":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]),
    );
    expect(error.code).toBe("PLAN_ENCODING");
  });
});

describe("plans that cannot be judged are exit 2 with a message that says what is wrong", () => {
  const sample = readFileSync(planPath("sample-ai-plan.json"), "utf8");

  it("empty file", () => {
    expect(bytesError(new Uint8Array()).code).toBe("PLAN_EMPTY");
  });
  it("only whitespace", () => {
    expect(bytesError(Buffer.from("  \n\t\n")).code).toBe("PLAN_EMPTY");
  });
  it("truncated JSON names the file and line where it ends", () => {
    const cut = sample.slice(0, Math.floor(sample.length / 2));
    const error = bytesError(Buffer.from(cut));
    expect(error.code).toBe("PLAN_INVALID_JSON");
    expect(error.message).toContain("truncated");
    expect(error.position?.line).toBe(cut.split("\n").length);
  });
  it("corrupted JSON in the middle gives line and column", () => {
    const broken = sample.replace('"resource_changes": [', '"resource_changes": [,');
    const error = bytesError(Buffer.from(broken));
    expect(error.code).toBe("PLAN_INVALID_JSON");
    expect(error.format()).toMatch(/^plan\.json:\d+:\d+: the plan is not valid JSON/);
  });
  it("a newer major format_version is refused", () => {
    const error = bytesError(Buffer.from(JSON.stringify({ ...JSON.parse(sample), format_version: "2.0" })));
    expect(error.code).toBe("PLAN_FORMAT_VERSION");
    expect(error.message).toContain("2.0");
  });
  it("a plan without resource_changes is the wrong shape", () => {
    const error = bytesError(
      Buffer.from(
        JSON.stringify({ format_version: "1.2", planned_values: { root_module: { resources: [{ address: "x" }] } } }),
      ),
    );
    expect(error.code).toBe("PLAN_SHAPE");
    expect(error.message).toContain("resource_changes");
  });
  it("resource_changes that is not a list", () => {
    expect(bytesError(Buffer.from(JSON.stringify({ format_version: "1.2", resource_changes: {} }))).code).toBe(
      "PLAN_SHAPE",
    );
  });
  it("a change without actions names its index", () => {
    const error = bytesError(
      Buffer.from(JSON.stringify(plan([{ address: "a.b", type: "a", mode: "managed", change: {} }]))),
    );
    expect(error.message).toContain("resource_changes[0].change.actions");
  });
  it("an action list terraform does not produce", () => {
    const error = bytesError(
      Buffer.from(
        JSON.stringify(plan([resourceChange("aws_sagemaker_endpoint.x", "aws_sagemaker_endpoint", ["explode"], {})])),
      ),
    );
    expect(error.message).toContain("unknown action list [explode]");
  });
  it("a binary plan file (zip) tells the user to run terraform show -json", () => {
    const error = bytesError(Buffer.from("PK\u0003\u0004binary"));
    expect(error.code).toBe("PLAN_BINARY");
    expect(error.hint).toContain("show -json");
  });
  it("terraform plan text output is not JSON", () => {
    const error = bytesError(Buffer.from("Terraform will perform the following actions:\n"));
    expect(error.code).toBe("PLAN_NOT_JSON");
  });
  it("wrapper output without the JSON line is refused with the wrapper hint", () => {
    const error = bytesError(Buffer.from("[command]/usr/bin/terraform show -json plan\n::debug::exitcode: 1\n"));
    expect(error.code).toBe("PLAN_WRAPPER");
    expect(error.hint).toContain("terraform_wrapper: false");
  });
  it("a JSON document that is neither a plan nor cdktf output", async () => {
    const error = await readError(readGateSource("-", Readable.from([Buffer.from('{"hello": "world"}')])));
    expect(error.code).toBe("PLAN_SHAPE");
  });
  it("an errored plan or an incomplete plan (deferred changes) is refused", () => {
    const sampleDocument = JSON.parse(sample) as Record<string, unknown>;
    expect(bytesError(Buffer.from(JSON.stringify({ ...sampleDocument, errored: true }))).code).toBe("PLAN_ERRORED");
    expect(bytesError(Buffer.from(JSON.stringify({ ...sampleDocument, complete: false }))).code).toBe(
      "PLAN_INCOMPLETE",
    );
  });
  it("a path that does not exist", async () => {
    const error = await readError(readGateSource(planPath("no-such-plan.json")));
    expect(error.code).toBe("GATE_INPUT_NOT_FOUND");
  });
});

describe("stdin", () => {
  it("reads a plan from - (terraform show -json plan | aigov gate -)", async () => {
    const bytes = readFileSync(planPath("sample-ai-plan.json"));
    const input = await readGateSource("-", Readable.from([bytes.subarray(0, 1000), bytes.subarray(1000)]));
    expect(input.file).toBe("<stdin>");
    expect(input.subjects.length).toBe(14);
  });
});

describe("cdktf blocks read like plan blocks", () => {
  it("a single nested block written as an object becomes a one-element list in native; tags stay a map", async () => {
    const input = await readGateSource(planPath("cdktf-out/stacks/ai/cdk.tf.json"));
    const deployment = input.subjects.find((subject) => subject.id === "azurerm_cognitive_deployment.gpt");
    expect(deployment?.native.model).toEqual([{ format: "OpenAI", name: "gpt-4o-mini", version: "2024-07-18" }]);
    const notebook = input.subjects.find((subject) => subject.id === "aws_sagemaker_notebook_instance.nb");
    expect(notebook?.tags).toEqual({ owner: "data-science" });
  });
});

describe("cdk.tf.json strings are Terraform JSON templates", () => {
  it("`$${` and `%%{` are literal text and known; an interpolation or a directive is known only after apply", async () => {
    const dir = mkdtempSync(join(tmpdir(), "aigov-cdktf-escapes-"));
    const file = join(dir, "cdk.tf.json");
    const endpoint = {
      name: "%{ if var.prod }prod%{ else }dev%{ endif }",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a Terraform JSON interpolation
      endpoint_config_name: "${aws_sagemaker_endpoint_configuration.c.name}",
      tags: { owner: "$${team}", cost: "%%{centre}", plain: "$$5" },
    };
    writeFileSync(file, JSON.stringify({ resource: { aws_sagemaker_endpoint: { serving: endpoint } } }));
    const [subject] = (await readGateSource(file)).subjects;
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the text Terraform reads from the escape
    expect(subject?.tags).toEqual({ owner: "${team}", cost: "%{centre}", plain: "$$5" });
    expect(isUnknown(subject?.native.name)).toBe(true);
    expect(isUnknown(subject?.native.endpoint_config_name)).toBe(true);
  });
});

describe("hand-edited or ambiguous plans are refused with where and why", () => {
  const sample = readFileSync(planPath("sample-ai-plan.json"), "utf8");
  const endpoint = (after: Record<string, unknown> = {}) =>
    resourceChange("aws_sagemaker_endpoint.x", "aws_sagemaker_endpoint", ["create"], after);

  it('a key twice: `"resource_changes": []` appended to a real plan', () => {
    const edited = `${sample.trimEnd().slice(0, -1)},\n  "resource_changes": []\n}\n`;
    const error = bytesError(Buffer.from(edited));
    expect(error.code).toBe("PLAN_DUPLICATE_KEY");
    expect(error.message).toContain('"resource_changes" twice');
    expect(error.position?.line).toBe(sample.trimEnd().split("\n").length + 1);
    expect(error.hint).toContain("terraform show -json");
  });

  it("two JSON documents, bare or inside setup-terraform wrapper output", () => {
    const empty = JSON.stringify(plan([]));
    expect(bytesError(Buffer.from(`${sample}\n${empty}\n`)).code).toBe("PLAN_MULTIPLE_DOCUMENTS");
    const wrapped = `[command]/usr/bin/terraform-bin show -json plan\n${empty}\n${JSON.stringify(JSON.parse(sample))}\n::debug::exitcode: 0\n`;
    const error = bytesError(Buffer.from(wrapped));
    expect(error.code).toBe("PLAN_MULTIPLE_DOCUMENTS");
    expect(error.message).toContain("lines 2, 3");
    const stray = `[command]/usr/bin/terraform-bin show -json plan\n${empty}\nWarning: something\n`;
    expect(bytesError(Buffer.from(stray)).code).toBe("PLAN_WRAPPER");
  });

  it("resource types with the wrong case, spaces or a NUL", () => {
    for (const type of [
      "AWS_SAGEMAKER_ENDPOINT",
      "Aws_sagemaker_endpoint",
      "aws_sagemaker_endpoint ",
      " aws_sagemaker_endpoint",
      "aws_sagemaker\u0000_endpoint",
      "aws sagemaker endpoint",
    ]) {
      const change = { ...endpoint(), type, address: `${type}.x` };
      const error = bytesError(Buffer.from(JSON.stringify(plan([change]))));
      expect(error.code, JSON.stringify(type)).toBe("PLAN_INCONSISTENT");
      expect(error.message).toContain("resource_changes[0].type");
      expect(error.message).toContain("not a terraform resource type");
    }
  });

  it("an address that names another type than the change's type", () => {
    const disguised = { ...endpoint(), address: "aws_s3_bucket.x" };
    const error = bytesError(Buffer.from(JSON.stringify(plan([disguised]))));
    expect(error.code).toBe("PLAN_INCONSISTENT");
    expect(error.message).toContain('"aws_s3_bucket.x" names another');
    const nested = resourceChange(
      'module.a["k.x"].module.b[0].aws_sagemaker_endpoint.x["y"]',
      "aws_sagemaker_endpoint",
      ["create"],
      {},
    );
    expect(readPlanDocument(plan([nested]), "plan.json").subjects).toHaveLength(1);
  });

  it("a managed resource that is only read, a data source that is created", () => {
    const read = bytesError(
      Buffer.from(
        JSON.stringify(plan([resourceChange("aws_sagemaker_endpoint.x", "aws_sagemaker_endpoint", ["read"], {})])),
      ),
    );
    expect(read.code).toBe("PLAN_INCONSISTENT");
    expect(read.message).toContain("[read] on a managed resource");
    const created = resourceChange(
      "data.aws_sagemaker_endpoint.x",
      "aws_sagemaker_endpoint",
      ["create"],
      {},
      { mode: "data" },
    );
    const error = bytesError(Buffer.from(JSON.stringify(plan([created]))));
    expect(error.code).toBe("PLAN_INCONSISTENT");
    expect(error.message).toContain("[create] on a data source");
    const readData = resourceChange(
      "data.aws_caller_identity.x",
      "aws_caller_identity",
      ["read"],
      {},
      { mode: "data" },
    );
    expect(readPlanDocument(plan([readData]), "plan.json").dataSources).toBe(1);
  });

  it("an AI resource in planned_values that resource_changes leaves out", () => {
    const document = JSON.parse(sample) as { resource_changes: { address: string }[] };
    document.resource_changes = document.resource_changes.filter(
      (change) => change.address !== "aws_sagemaker_notebook_instance.scratch",
    );
    const error = bytesError(Buffer.from(JSON.stringify(document, null, 2)));
    expect(error.code).toBe("PLAN_INCONSISTENT");
    expect(error.message).toContain("planned_values holds aws_sagemaker_notebook_instance.scratch");
    expect(error.position?.line).toBeGreaterThan(1);
  });

  it("a change missing what every change is checked on is refused at the change, with its line", () => {
    const good = resourceChange("aws_s3_bucket.a", "aws_s3_bucket", ["create"], { bucket: "a" });
    const broken: [unknown, string][] = [
      ["not a change", "resource_changes[1] is not an object"],
      [{ ...good, address: undefined }, "resource_changes[1].address is missing"],
      [{ ...good, address: "" }, "resource_changes[1].address is missing"],
      [{ ...good, address: 7 }, "resource_changes[1].address is missing"],
      [{ ...good, change: [] }, "resource_changes[1].change.actions is missing or not a list of strings"],
      [{ ...good, change: { actions: "create" } }, "resource_changes[1].change.actions is missing or not a list"],
      [{ ...good, change: { actions: [1] } }, "resource_changes[1].change.actions is missing or not a list"],
    ];
    for (const [change, message] of broken) {
      const error = bytesError(Buffer.from(JSON.stringify(plan([good, change as Record<string, unknown>]), null, 1)));
      expect(error.code, message).toBe("PLAN_SHAPE");
      expect(error.message).toContain(message);
      expect(error.position?.line, message).toBeGreaterThan(5);
    }
    const planned = { root_module: { resources: [7] } };
    const error = bytesError(Buffer.from(JSON.stringify(plan([good], { planned_values: planned }), null, 1)));
    expect(error.message).toContain("a resource of planned_values has no type");
  });

  it("a plan with no resources at all passes with none; planned resources without resource_changes are refused", async () => {
    const input = await readGateSource(planPath("empty-plan.json"));
    expect(input).toMatchObject({ source: "plan", resources: 0, dataSources: 0, subjects: [] });
    const planned = JSON.parse(sample) as Record<string, unknown>;
    delete planned.resource_changes;
    const error = bytesError(Buffer.from(JSON.stringify(planned)));
    expect(error.code).toBe("PLAN_SHAPE");
    expect(error.message).toContain("resource_changes is missing, but planned_values holds resources");
    const noPlannedValues = bytesError(Buffer.from(JSON.stringify({ format_version: "1.2" })));
    expect(noPlannedValues.message).toContain("resource_changes is missing");
  });

  it("values nested 10,000 levels deep: 'too deeply nested', in a plan, a cdk.tf.json and on stdin", async () => {
    const deep = `${'{"a":'.repeat(10_000)}1${"}".repeat(10_000)}`;
    const document = JSON.stringify(plan([endpoint({ tags: "DEEP" })])).replace('"DEEP"', deep);
    const error = bytesError(Buffer.from(document));
    expect(error.code).toBe("PLAN_TOO_DEEP");
    expect(error.message).toContain("too deeply nested");
    expect(error.message).toContain("(at resource_changes[0].change.after.tags.a…(506 more levels))");
    const cdktf = JSON.stringify({ resource: { aws_sagemaker_endpoint: { x: { tags: "DEEP" } } } }).replace(
      '"DEEP"',
      deep,
    );
    const fromStdin = await readError(readGateSource("-", Readable.from([Buffer.from(cdktf)])));
    expect(fromStdin.code).toBe("PLAN_TOO_DEEP");
  });
});
