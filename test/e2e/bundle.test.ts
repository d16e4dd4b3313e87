// The `aigov` executable runs the esbuild bundle of packages/cli/dist (built by test/global-setup.ts as
// packages/cli/scripts/build.ts builds it) while it matches the sources, and the sources otherwise.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { bundleIsFresh } from "../../packages/cli/bin/bundle-freshness.js";
import { BROWSER_ONLY, THIRD_PARTY_NOTICES } from "../../packages/cli/scripts/build.ts";
import { rulePackDigest } from "../../packages/cli/src/rule-pack-digest.ts";
import { BUILT_RULE_PACK_FILE, BUILT_RULE_TESTS_FILE, type BuiltRulePack } from "../../packages/core/src/index.ts";
import { CLI, NODE, REPO_ROOT } from "./run-cli.ts";

const DIST = join(REPO_ROOT, "packages/cli/dist");
const PLAN = join(REPO_ROOT, "test/fixtures/plans/sample-ai-plan.json");
/** A plan with no AI resource: nothing to report. */
const EMPTY_PLAN = join(REPO_ROOT, "test/fixtures/plans/checkov/plan_after_unknown.json");
/** A terraform configuration directory (HCL): the gate parses it with hcl2json, whose WASM file is in its package. */
const CONFIGURATION = join(REPO_ROOT, "test/fixtures/hcl-corpora/checkov/example_MLPublicAccess");

describe("which code bin/aigov.js runs", () => {
  /** A package laid out as packages/cli is: src/ with one input, dist/ with the bundle and its build record. */
  function layout(builtAt: number, { sources = true } = {}): { dist: string; input: string } {
    const cli = mkdtempSync(join(tmpdir(), "aigov-bundle-"));
    const dist = join(cli, "dist");
    mkdirSync(dist);
    const input = join(cli, "src", "main.ts");
    if (sources) {
      mkdirSync(join(cli, "src"));
      writeFileSync(input, "export {};\n");
      utimesSync(input, new Date(builtAt - 60_000), new Date(builtAt - 60_000));
    }
    writeFileSync(join(dist, "aigov.js"), "export {};\n");
    if (sources) writeFileSync(join(dist, "build-info.json"), JSON.stringify({ builtAt, inputs: ["src/main.ts"] }));
    return { dist, input };
  }

  it("the bundle while no source it was built from has changed since", () => {
    expect(bundleIsFresh(layout(Date.now()).dist)).toBe(true);
  });

  it("the sources once one of them is edited after the build, or is gone", () => {
    const edited = layout(Date.now() - 120_000);
    utimesSync(edited.input, new Date(), new Date());
    expect(bundleIsFresh(edited.dist)).toBe(false);
    const removed = layout(Date.now());
    rmSync(removed.input);
    expect(bundleIsFresh(removed.dist)).toBe(false);
  });

  it("the sources when there is no bundle, and the bundle of a package shipped without sources (and without a build record)", () => {
    expect(bundleIsFresh(mkdtempSync(join(tmpdir(), "aigov-no-dist-")))).toBe(false);
    expect(bundleIsFresh(layout(Date.now(), { sources: false }).dist)).toBe(true);
  });
});

/**
 * Runs the CLI with a module hook that writes every module URL Node loads to a file, and at exit the built-in
 * modules Node loaded (`node:crypto` as "crypto"; process.getBuiltinModule passes no hook).
 */
function modulesLoaded(
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): { urls: string[]; builtins: string[]; status: number | null; stdout: string } {
  const dir = mkdtempSync(join(tmpdir(), "aigov-modules-"));
  const log = join(dir, "modules.txt");
  const builtinLog = join(dir, "builtins.txt");
  const hook = join(dir, "hook.mjs");
  writeFileSync(
    hook,
    [
      // Built-ins as objects: an import of node:fs would itself load fs/promises, readline and the file streams.
      `const { appendFileSync, writeFileSync } = process.getBuiltinModule("node:fs");`,
      `const { registerHooks } = process.getBuiltinModule("node:module");`,
      `registerHooks({ load(url, context, next) { appendFileSync(${JSON.stringify(log)}, url + "\\n"); return next(url, context); } });`,
      `const builtins = () => process.moduleLoadList.filter((name) => name.startsWith("NativeModule ")).map((name) => name.slice(13));`,
      `process.on("exit", () => writeFileSync(${JSON.stringify(builtinLog)}, builtins().join("\\n")));`,
      "",
    ].join("\n"),
  );
  const run = spawnSync(NODE, ["--import", hook, CLI, ...args], {
    env: { ...process.env, NO_COLOR: "1", ...env },
    encoding: "utf8",
  });
  return {
    urls: readFileSync(log, "utf8").trim().split("\n"),
    builtins: readFileSync(builtinLog, "utf8").split("\n"),
    status: run.status,
    stdout: run.stdout,
  };
}

describe("the bundled executable", () => {
  it("is what bin/aigov.js runs after the build: no TypeScript source is loaded", () => {
    expect(bundleIsFresh(DIST)).toBe(true);
    const { urls, status } = modulesLoaded(["gate", PLAN]);
    expect(status).toBe(1);
    expect(urls).toContain(`file://${DIST}/aigov.js`);
    expect(urls.filter((url) => url.endsWith(".ts"))).toEqual([]);
  });

  it("carries the default rule pack checked at build time, and runs the sources once a rule file is edited, added or removed", async () => {
    const { defaultRulesDir, loadRules } = await import("../../packages/core/src/index.ts");
    const text = readFileSync(join(DIST, BUILT_RULE_PACK_FILE), "utf8");
    const pack = JSON.parse(text) as BuiltRulePack;
    const rules = await loadRules({ includeDefault: false, dirs: [defaultRulesDir()] });
    // Written in ASCII (a one-byte string for Node, which JSON.parse reads faster), the rules' `…` and `—` escaped.
    expect(text).toMatch(/^[\x00-\x7f]*$/);
    expect(JSON.stringify(pack.raws)).toMatch(/[…—]/);
    expect(readFileSync(join(DIST, BUILT_RULE_TESTS_FILE), "utf8")).toMatch(/^[\x00-\x7f]*$/);
    expect(pack.files).toEqual(rules.map((rule) => relative(defaultRulesDir(), rule.source.file).split(sep).join("/")));
    // Without their tests, which are in a file of their own (read only by `aigov rules test`), in the same order.
    expect(pack.raws).toEqual(rules.map(({ raw: { tests: _, ...raw } }) => raw));
    const tests = JSON.parse(readFileSync(join(DIST, BUILT_RULE_TESTS_FILE), "utf8")) as unknown[];
    expect(tests).toEqual(rules.map((rule) => rule.raw.tests));
    // What `aigov --version` prints for the bundle: the digest of these files, as sha256sum gives it (cli-rules test).
    expect(pack.digest).toBe(rulePackDigest(defaultRulesDir()).digest);
    // A rule file's edit shows in its mtime, an added or removed one in its directory's.
    const info = JSON.parse(readFileSync(join(DIST, "build-info.json"), "utf8")) as { inputs: string[] };
    const inputs = new Set(info.inputs.map((input) => resolve(DIST, "..", input)));
    for (const file of rules.map((rule) => rule.source.file)) {
      expect(inputs).toContain(file);
      expect(inputs).toContain(dirname(file));
    }
    expect(inputs).toContain(defaultRulesDir());
  });

  it("prints its version and the built pack's digest without reading or hashing the rule files (no node:crypto)", async () => {
    const { defaultRulesDir } = await import("../../packages/core/src/index.ts");
    const version = modulesLoaded(["--version"], { AIGOV_NO_CACHE: "1" });
    expect(version.status).toBe(0);
    expect(version.stdout).toContain(`rule pack ${rulePackDigest(defaultRulesDir()).digest} (`);
    expect(version.builtins.filter((name) => /^(internal\/)?crypto\b/.test(name))).toEqual([]);
  });

  it("judges from the built rule pack on a machine without a rule cache: no YAML parser, no schema compiler", () => {
    const { urls, status } = modulesLoaded(["gate", PLAN], { AIGOV_NO_CACHE: "1" });
    expect(status).toBe(1);
    expect(urls.filter((url) => /\/node_modules\/(yaml|ajv)\//.test(url))).toEqual([]);
    // The HCL parser (a WASM module) is loaded only to read HCL.
    expect(urls.filter((url) => url.includes("/@cdktf/hcl2json/"))).toEqual([]);
  });

  it("compiles no code a plan with the default policy does not use: no template readers, no sinks or store schema", () => {
    const { urls, status } = modulesLoaded(["gate", PLAN], { AIGOV_NO_CACHE: "1" });
    expect(status).toBe(1);
    const code = urls.filter((url) => url.startsWith("file:")).map((url) => readFileSync(fileURLToPath(url), "utf8"));
    expect(code.some((text) => text.includes("function judgePlanned("))).toBe(true);
    // The readers of templates and terraform configuration load for those inputs only (gate-input.ts).
    expect(code.filter((text) => /iac\/src\/(cloudformation|arm-template|terraform-config|cdktf)/.test(text))).toEqual(
      [],
    );
    // The policy's other sections are checked only when the policy has them (policy-load.ts).
    expect(code.filter((text) => /packages\/(export|store)\/schema\//.test(text))).toEqual([]);
  });

  it("loads only the built-in modules it uses: a gate with nothing to report loads no node:crypto, no worker_threads", () => {
    const quiet = modulesLoaded(["gate", EMPTY_PLAN], { AIGOV_NO_CACHE: "1" });
    expect(quiet.status).toBe(0);
    expect(quiet.builtins).toContain("fs");
    expect(quiet.builtins.filter((name) => /^(internal\/)?crypto\b/.test(name))).toEqual([]);
    // Nor what only an import's facade of node:util or node:fs reads (builtinsFromProcess in scripts/build.ts,
    // bin/aigov.js), nor standard input's stream for a gate of a file: no fs/promises, readline or file streams.
    expect(
      quiet.builtins.filter((name) =>
        /^(worker_threads|internal\/util\/diff|(internal\/)?fs\/(promises|streams)|internal\/readline\/.*)$/.test(name),
      ),
    ).toEqual([]);
    // A finding's id is still the hash of its rule and subject.
    const judged = modulesLoaded(["gate", PLAN, "--format", "json"], { AIGOV_NO_CACHE: "1" });
    expect(judged.builtins).toContain("crypto");
    const { findings } = JSON.parse(judged.stdout) as {
      findings: { id: string; ruleId: string; subject: { type: string; provider: string; id: string } }[];
    };
    expect(findings.length).toBeGreaterThan(0);
    for (const { id, ruleId, subject } of findings) {
      const identity = `${ruleId}\n${subject.type}|${subject.provider}|${subject.id}`;
      expect(id).toBe(createHash("sha256").update(identity).digest("hex").slice(0, 32));
    }
  });

  it("checks every rule of its pack at load, judged or not: a gate with nothing to judge still fails on a rule the policy breaks", () => {
    const dir = mkdtempSync(join(tmpdir(), "aigov-policy-"));
    writeFileSync(join(dir, "aigov.yaml"), "parameters:\n  max_deployment_capacity: lots\n");
    const run = spawnSync(NODE, [CLI, "gate", EMPTY_PLAN], {
      cwd: dir,
      env: { ...process.env, NO_COLOR: "1", AIGOV_NO_CACHE: "1" },
      encoding: "utf8",
    });
    expect(run.status).toBe(2);
    expect(run.stdout).toBe("");
    const rule = join(REPO_ROOT, "rules/azure/azure-openai-deployment-capacity-above-limit.yaml");
    expect(run.stderr).toBe(`aigov: ${rule}:26:7: 'gt' needs a number, got "lots"\n`);
  });

  // libuv's thread pool starts with a process's first asynchronous file operation: four threads a gate of a plan
  // file has no use for. Counted from /proc (Linux, where CI runs).
  it.runIf(process.platform === "linux")(
    "reads a plan file without starting libuv's thread pool: as many threads as a bare node",
    () => {
      const dir = mkdtempSync(join(tmpdir(), "aigov-threads-"));
      const hook = join(dir, "threads.mjs");
      const log = join(dir, "threads.txt");
      writeFileSync(
        hook,
        [
          `import { readdirSync, writeFileSync } from "node:fs";`,
          `process.on("exit", () => writeFileSync(${JSON.stringify(log)}, String(readdirSync("/proc/self/task").length)));`,
          "",
        ].join("\n"),
      );
      const threads = (args: readonly string[]) => {
        spawnSync(NODE, ["--import", hook, ...args], { env: { ...process.env, NO_COLOR: "1", AIGOV_NO_CACHE: "1" } });
        return Number(readFileSync(log, "utf8"));
      };
      const bare = threads(["-e", ""]);
      expect(threads([CLI, "gate", EMPTY_PLAN])).toBe(bare);
      expect(threads([CLI, "gate", PLAN])).toBe(bare);
    },
  );

  it("reads terraform configuration with the HCL parser from node_modules, and its WASM file from there", () => {
    const { urls, status, stdout } = modulesLoaded(["gate", CONFIGURATION]);
    expect(status).toBe(1);
    expect(stdout).toMatch(/block\s+azurerm_machine_learning_workspace\.ckv_unittest_fail\s+ai-public-network-access/);
    expect(urls.some((url) => url.includes("/@cdktf/hcl2json/lib/"))).toBe(true);
  });

  it("gives the same verdict, output and exit code as the sources", () => {
    for (const args of [
      ["gate", PLAN],
      ["gate", PLAN, "--format", "json"],
      ["gate", CONFIGURATION, "--format", "json"],
      ["rules", "list"],
    ]) {
      const bundled = spawnSync(NODE, [CLI, ...args], { env: { ...process.env, NO_COLOR: "1" }, encoding: "utf8" });
      const sources = spawnSync(NODE, [join(REPO_ROOT, "packages/cli/src/main.ts"), ...args], {
        env: { ...process.env, NO_COLOR: "1" },
        encoding: "utf8",
      });
      const stable = (text: string) => text.replace(/"observedAt": "[^"]+"/g, "");
      expect({ status: bundled.status, stdout: stable(bundled.stdout), stderr: bundled.stderr }).toEqual({
        status: sources.status,
        stdout: stable(sources.stdout),
        stderr: sources.stderr,
      });
    }
  });

  it("finds every package it leaves to node_modules from where it is installed", () => {
    const requireFromDist = createRequire(join(DIST, "aigov.js"));
    const external = new Set<string>();
    for (const file of readdirSync(DIST).filter((name) => name.endsWith(".js"))) {
      const code = readFileSync(join(DIST, file), "utf8");
      for (const match of code.matchAll(/(?:from |import\(|\)\()\s*"([^".][^"]*)"/g)) {
        if (!match[1]!.startsWith("node:")) external.add(match[1]!);
      }
    }
    expect([...external]).toEqual(expect.arrayContaining(["yaml", "ajv", "@azure/identity"]));
    // The AWS SDK is inside the bundle (scripts/build.ts, BUNDLED_THIRD_PARTY).
    expect([...external].filter((specifier) => /^@(aws-sdk|smithy|aws-crypto|aws)\//.test(specifier))).toEqual([]);
    for (const specifier of external) {
      if (!BROWSER_ONLY.has(specifier)) expect(() => requireFromDist.resolve(specifier), specifier).not.toThrow();
    }
  });

  it("names the third-party code it carries, with each package's licence text, in THIRD-PARTY-NOTICES.txt", () => {
    const notices = readFileSync(join(DIST, THIRD_PARTY_NOTICES), "utf8");
    const requireFromScanner = createRequire(join(REPO_ROOT, "scanners/aws/package.json"));
    const sagemaker = requireFromScanner("@aws-sdk/client-sagemaker/package.json") as { version: string };
    expect(notices).toContain(`@aws-sdk/client-sagemaker@${sagemaker.version} (Apache-2.0)`);
    expect(notices).toMatch(/^@smithy\/signature-v4@\S+ \(Apache-2\.0\)$/m);
    expect(notices).toContain("Apache License\n");
    // What stays in node_modules ships its own licence there.
    expect(notices).not.toMatch(/^(yaml|ajv)@/m);
  });

  it("carries only the AWS SDK operations aigov sends, not each service's whole schema", () => {
    const bundle = readdirSync(DIST)
      .filter((name) => name.endsWith(".js"))
      .map((file) => readFileSync(join(DIST, file), "utf8"))
      .join("\n");
    // EC2: the scanner sends DescribeVpcEndpoints; the other operations' schemas (1 MB of them) are left out.
    expect(bundle).toContain("DescribeVpcEndpointsRequest$");
    expect(bundle).not.toContain("RunInstancesRequest$");
    expect(bundle).not.toContain("AllocateAddressRequest$");
  });
});
