// The policy file's schema for editors (packages/cli/schema/policy.schema.json) is composed from each package's own
// section schema by `$ref`. These tests read it as an editor does: from the file, following each `$ref` by its path
// relative to the file that holds it, and nothing else.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { registerScanner, scannerPlugins, unregisterScanner } from "@aigov/scanner-registry";
import type { ScannerPlugin } from "@aigov/scanner-kit";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { afterEach, describe, expect, it } from "vitest";
import { parse, parseDocument } from "yaml";
import { bundlePolicySchema, composePolicySchema, POLICY_SCHEMA_PATH, repositoryPath } from "../src/policy-schema.ts";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const composedFile = join(repoRoot, POLICY_SCHEMA_PATH);

function readJson(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
}

/** The composed file and every file it reaches through `$ref`, each found by its path relative to the file naming it. */
function schemaFiles(): Map<string, Record<string, unknown>> {
  const files = new Map<string, Record<string, unknown>>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    const schema = readJson(file);
    files.set(file, schema);
    for (const ref of refsIn(schema)) {
      const [path] = ref.split("#");
      if (path !== undefined && path !== "") visit(resolve(dirname(file), path));
    }
  };
  visit(composedFile);
  return files;
}

function refsIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(refsIn);
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([key, inner]) =>
    key === "$ref" && typeof inner === "string" ? [inner] : refsIn(inner),
  );
}

/** A validator that knows only those files, as yaml-language-server does (no discriminator, no defaults). */
function editorValidator() {
  const ajv = new Ajv({ strict: false, allErrors: true });
  for (const [file, schema] of schemaFiles()) if (file !== composedFile) ajv.addSchema(schema);
  return ajv.compile(readJson(composedFile));
}

function policyFile(relative: string): unknown {
  return parse(readFileSync(join(repoRoot, relative), "utf8"));
}

/** The one file the release ships, alone. */
function bundledValidator(plugins: readonly ScannerPlugin[]) {
  return new Ajv({ strict: false, allErrors: true }).compile(bundlePolicySchema(plugins));
}

function failures(policy: unknown, validate: ValidateFunction = editorValidator()): string[] {
  if (validate(policy)) return [];
  return (validate.errors ?? []).map(
    (error: ErrorObject) => `${error.instancePath} ${error.keyword} ${JSON.stringify(error.params)}`,
  );
}

describe("policy.schema.json", () => {
  afterEach(() => unregisterScanner("gcp"));

  it("is what the packages' schemas compose to (regenerate: pnpm policy-schema)", async () => {
    expect(readJson(composedFile)).toEqual(composePolicySchema(await scannerPlugins()));
  });

  it("refers to each package's schema by the path of its file, which holds that schema", async () => {
    const files = schemaFiles();
    const byPath = new Map([...files].map(([file, schema]) => [file.slice(repoRoot.length + 1), schema]));
    const plugins = await scannerPlugins();
    const scannerFiles = plugins.map((plugin) => repositoryPath(plugin.policySchema));
    expect(scannerFiles).toContain("scanners/aws/schema/targets-aws.schema.json");
    expect([...byPath.keys()].sort()).toEqual(
      [
        "packages/cli/schema/policy.schema.json",
        "packages/core/schema/policy-core.schema.json",
        "packages/export/schema/sinks.schema.json",
        "packages/store/schema/store.schema.json",
        ...scannerFiles,
      ].sort(),
    );
    // The $id names the same file, so a validator resolving by $id reads what an editor reads by path.
    for (const [path, schema] of byPath) expect(schema.$id).toBe(`https://github.com/aigov/aigov/${path}`);
    for (const [i, plugin] of plugins.entries()) expect(byPath.get(scannerFiles[i] ?? "")).toEqual(plugin.policySchema);
  });

  it("accepts the example policy and the demo's, whose $schema comments name it", () => {
    for (const file of ["docs/examples/aigov.yaml", "packages/cli/assets/demo-policy.yaml"]) {
      const text = readFileSync(join(repoRoot, file), "utf8");
      const named = /^# yaml-language-server: \$schema=(\S+)$/m.exec(text)?.[1];
      expect(named === undefined ? undefined : resolve(dirname(join(repoRoot, file)), named)).toBe(composedFile);
      expect(failures(parse(text))).toEqual([]);
    }
  });

  it("accepts every policy the documentation shows", () => {
    const validate = editorValidator();
    const shown: string[] = [];
    for (const file of documentation()) {
      const text = readFileSync(file, "utf8");
      for (const block of text.matchAll(/^```ya?ml\n([\s\S]*?)^```/gm)) {
        const snippet = parseDocument(block[1] ?? "");
        const value: unknown = snippet.errors.length === 0 ? snippet.toJS() : undefined;
        // A snippet is a policy (or part of one) when it has only policy keys; rules, workflows and manifests have others.
        if (value === null || typeof value !== "object" || Array.isArray(value)) continue;
        if (!Object.keys(value).every((key) => Object.hasOwn(POLICY_KEYS, key))) continue;
        const line = text.slice(0, block.index).split("\n").length;
        shown.push(`${file.slice(repoRoot.length + 1)}:${line}`);
        expect(failures(value, validate), `${file}:${line}`).toEqual([]);
      }
    }
    expect(shown).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^docs\/policy\.md:/),
        expect.stringMatching(/^docs\/operations\/README\.md:/),
        expect.stringMatching(/^packages\/export\/README\.md:/),
      ]),
    );
  });

  it.each([
    ["the repository's, through the files it refers to", async () => editorValidator()],
    ["the release's, in one file", async () => bundledValidator(await scannerPlugins())],
  ])("constrains every section through its owner's schema: %s", async (_, validator) => {
    const validate = await validator();
    const example = policyFile("docs/examples/aigov.yaml") as Record<string, Record<string, unknown>>;
    const aws = example.targets?.aws as Record<string, unknown>;
    expect(failures(example, validate)).toEqual([]);
    const refused = (policy: unknown) => failures(policy, validate).join("\n");
    expect(refused({ ...example, targets: { aws: { ...aws, regionz: ["x"] } } })).toContain(
      '/targets/aws additionalProperties {"additionalProperty":"regionz"}',
    );
    expect(refused({ ...example, targets: { awz: {} } })).toContain(
      '/targets additionalProperties {"additionalProperty":"awz"}',
    );
    expect(
      refused({ ...example, sinks: [{ name: "s", type: "webhook", url: "https://x", secret_env: "S", secret: "x" }] }),
    ).toContain("/sinks/0/secret not");
    expect(refused({ ...example, sinks: [{ name: "s", type: "syslog", host: "h", port: 0 }] })).toContain(
      "/sinks/0/port minimum",
    );
    expect(refused({ ...example, store: { path: "x.db", keep_runs: 0 } })).toContain("/store/keep_runs minimum");
    expect(refused({ ...example, gate: { fail_on: "severe" } })).toContain("/gate/fail_on enum");
    expect(refused({ ...example, sink: [] })).toContain('additionalProperties {"additionalProperty":"sink"}');
  });

  it("ships in one file that refers to nothing outside it", async () => {
    const bundled = bundlePolicySchema(await scannerPlugins());
    const refs = refsIn(bundled);
    expect(refs.length).toBeGreaterThan(20);
    expect(refs.filter((ref) => !ref.startsWith("#/definitions/"))).toEqual([]);
  });

  it("describes every key it completes", () => {
    const undescribed: string[] = [];
    for (const [file, schema] of schemaFiles()) {
      const walk = (value: unknown, path: string) => {
        if (value === null || typeof value !== "object") return;
        for (const [key, inner] of Object.entries(value)) {
          if (key === "properties" && inner !== null && typeof inner === "object") {
            for (const [name, property] of Object.entries(inner)) {
              if (!isDescribed(property, file)) undescribed.push(`${file.slice(repoRoot.length + 1)}: ${path}/${name}`);
            }
          }
          walk(inner, `${path}/${key}`);
        }
      };
      walk(schema, "#");
    }
    expect(undescribed).toEqual([]);
  });

  it("takes a registered scanner's section from the registry, with no other change", async () => {
    const [aws] = await scannerPlugins();
    if (aws === undefined) throw new Error("no scanner is installed");
    registerScanner({
      ...aws,
      provider: "gcp",
      policySchema: { $id: "https://github.com/aigov/aigov/scanners/gcp/schema/targets-gcp.schema.json" },
    });
    const composed = composePolicySchema(await scannerPlugins()) as {
      properties: { targets: { properties: Record<string, unknown> } };
    };
    expect(composed.properties.targets.properties).toMatchObject({
      aws: { $ref: "../../../scanners/aws/schema/targets-aws.schema.json" },
      gcp: { $ref: "../../../scanners/gcp/schema/targets-gcp.schema.json" },
    });
  });
});

const POLICY_KEYS = (readJson(composedFile).properties ?? {}) as object;

/** The repository's documentation: docs/ and every README (its files as git lists them, without node_modules). */
function documentation(): string[] {
  const listed = execFileSync("git", ["ls-files", "-z", "--", "docs/*.md", "README.md", "*/README.md"], {
    cwd: repoRoot,
    encoding: "utf8",
  });
  return listed
    .split("\0")
    .filter((path) => path !== "")
    .map((path) => join(repoRoot, path));
}

/** A property has a description of its own, or through the `$ref` it is (within its file or another). */
function isDescribed(property: unknown, file: string): boolean {
  if (property === null || typeof property !== "object") return false;
  if ("description" in property && typeof property.description === "string") return true;
  if (!("$ref" in property) || typeof property.$ref !== "string") return false;
  const [path = "", pointer = ""] = property.$ref.split("#");
  const target = path === "" ? file : resolve(dirname(file), path);
  const resolved = pointer
    .split("/")
    .filter((segment) => segment !== "")
    .reduce<unknown>(
      (node, segment) =>
        node !== null && typeof node === "object" ? Object.getOwnPropertyDescriptor(node, segment)?.value : undefined,
      readJson(target),
    );
  return isDescribed(resolved, target);
}
