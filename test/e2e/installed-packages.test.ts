// aigov as a platform team gets it: both packages packed as a release packs them (`pnpm pack-release`, which runs
// `pnpm pack`), installed with npm from the tarballs into an empty project outside the workspace (third-party
// dependencies from the registry, through npm's cache), and run from there: the CLI's commands, the README's tour,
// the GitHub Action's script, a container's non-root user, the CLI's programmatic entry, and two cdktf apps (ESM on
// cdktf, CommonJS on cdktn) compiled by TypeScript against the published types. It prints its measurements (tarball
// sizes, install time, start-up) for the record.
import { spawn, spawnSync } from "node:child_process";
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { parse as parseYaml } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliRun, REPO_ROOT, runProcess, shellEnvironment } from "./run-cli.ts";

interface Manifest {
  readonly name: string;
  readonly version: string;
  readonly devDependencies: Readonly<Record<string, string>>;
}

const cliManifest = readManifest(join(REPO_ROOT, "packages/cli/package.json"));
const cdktfManifest = readManifest(join(REPO_ROOT, "packages/cdktf/package.json"));
const rootManifest = readManifest(join(REPO_ROOT, "package.json"));
const SAMPLE_PLAN = join(REPO_ROOT, "test/fixtures/plans/sample-ai-plan.json");

const work = mkdtempSync(join(tmpdir(), "aigov-installed-"));
/** The user's project: an empty npm project where the packages are installed. */
const project = join(work, "project");
const tarballs = join(work, "tarballs");
/** A directory holding only `node` (this Node 24), so nothing from the workspace is on the PATH of what runs here. */
const nodeDir = join(work, "node");
const measured: Record<string, string> = {};

function readManifest(path: string): Manifest {
  return JSON.parse(readFileSync(path, "utf8")) as Manifest;
}

/**
 * The environment of a fresh shell of a user who installed aigov: the project's bin and Node 24 first, the system's
 * PATH without the workspace's node_modules, a home of its own (state, caches), no package-manager variables.
 */
function userEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const inherited = shellEnvironment();
  const systemPath = (process.env.PATH ?? "").split(delimiter).filter((dir) => !dir.includes("node_modules"));
  return {
    ...inherited,
    PATH: [join(project, "node_modules/.bin"), nodeDir, ...systemPath].join(delimiter),
    HOME: join(work, "home"),
    NO_COLOR: "1",
    ...extra,
  };
}

/** npm keeps the real home, for its cache and configuration. */
function npmEnv(): NodeJS.ProcessEnv {
  return userEnv({ HOME: process.env.HOME });
}

function shell(line: string, options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliRun> {
  return runProcess("bash", ["-c", line], { cwd: options.cwd ?? project, env: options.env ?? userEnv() });
}

function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

beforeAll(async () => {
  expect(Number(process.versions.node.split(".")[0])).toBeGreaterThanOrEqual(24);
  for (const dir of [project, tarballs, nodeDir, join(work, "home")]) mkdirSync(dir, { recursive: true });
  symlinkSync(process.execPath, join(nodeDir, "node"));

  // The README's command, from the directory the tarballs go to.
  let start = process.hrtime.bigint();
  const packed = await runProcess("npx", ["-y", "pnpm@12", "--dir", REPO_ROOT, "pack-release"], {
    cwd: tarballs,
    env: userEnv({ HOME: process.env.HOME }),
  });
  expect(packed.code, packed.stderr).toBe(0);
  measured["pack (both, with type declarations)"] = `${seconds(start).toFixed(1)} s`;

  writeFileSync(
    join(project, "package.json"),
    JSON.stringify({ name: "platform-team-app", private: true, type: "module" }),
  );
  const devDependencies = cdktfManifest.devDependencies;
  start = process.hrtime.bigint();
  const installed = await runProcess(
    "npm",
    [
      "install",
      "--no-audit",
      "--no-fund",
      "--prefer-offline",
      join(tarballs, "aigov-cli-0.1.0.tgz"),
      join(tarballs, "aigov-cdktf-0.1.0.tgz"),
      `cdktf@${devDependencies.cdktf}`,
      `cdktn@${devDependencies.cdktn}`,
      "constructs@^10",
      `@types/node@${rootManifest.devDependencies["@types/node"]}`,
    ],
    { cwd: project, env: npmEnv() },
  );
  expect(installed.code, installed.stderr).toBe(0);
  measured["npm install (both tarballs, cdktf, cdktn, constructs, @types/node)"] = `${seconds(start).toFixed(1)} s`;
}, 900_000);

afterAll(() => {
  console.log(
    `installed packages:\n${Object.entries(measured)
      .map(([what, value]) => `  ${what}: ${value}`)
      .join("\n")}`,
  );
  rmSync(work, { recursive: true, force: true });
  // Removing an installed node_modules takes a while on a busy machine.
}, 300_000);

describe("the packed tarballs", () => {
  it("carry the bundle, the public types, the rule pack checked at build time, README and licence, and no sources", () => {
    for (const [manifest, name, types] of [
      [cliManifest, "aigov-cli-0.1.0.tgz", "package/types/aigov.d.ts"],
      [cdktfManifest, "aigov-cdktf-0.1.0.tgz", "package/types/index.d.ts"],
    ] as const) {
      const tarball = join(tarballs, name);
      measured[`${name} size`] = `${(statSync(tarball).size / 1024).toFixed(0)} KiB`;
      const files = spawnSync("tar", ["tzf", tarball], { encoding: "utf8" }).stdout.trim().split("\n");
      expect(files).toEqual(
        expect.arrayContaining([
          "package/package.json",
          "package/README.md",
          "package/LICENSE",
          types,
          "package/dist/rule-pack.json",
          "package/dist/rule-tests.json",
          "package/dist/rules/common/ai-resource-ungoverned.yaml",
        ]),
      );
      expect(files.filter((file) => file.endsWith(".ts") && !file.endsWith(".d.ts"))).toEqual([]);
      const published = JSON.parse(
        spawnSync("tar", ["xzf", tarball, "-O", "package/package.json"], { encoding: "utf8" }).stdout,
      );
      expect(published).toMatchObject({ name: manifest.name, version: manifest.version, license: "Apache-2.0" });
      expect(published.private).toBeUndefined();
      expect(published.devDependencies).toBeUndefined();
      expect(JSON.stringify(published)).not.toMatch(/workspace:|@aigov\/(core|iac|store|export|logs)/);
      expect(readFileSync(join(project, "node_modules", manifest.name, "LICENSE"), "utf8")).toBe(
        readFileSync(join(REPO_ROOT, "LICENSE"), "utf8"),
      );
    }
  });

  it("carry the policy's schema for editors in one file, which refers to nothing outside it", () => {
    const file = join(project, "node_modules/@aigov/cli/schema/policy.schema.json");
    const schema = readFileSync(file, "utf8");
    const refs = [...schema.matchAll(/"\$ref": "([^"]*)"/g)].map((match) => match[1]);
    expect(refs.length).toBeGreaterThan(20);
    expect(refs.filter((ref) => !ref?.startsWith("#/definitions/"))).toEqual([]);
    expect(JSON.parse(schema).properties).toHaveProperty("sinks");
  });
});

describe("the installed aigov", () => {
  it("--version prints the version and the digest of the packaged rule pack, which sha256sum reproduces", async () => {
    const run = await shell("npx aigov --version");
    expect(run.code, run.stderr).toBe(0);
    const rulesDir = join(project, "node_modules/@aigov/cli/dist/rules");
    const listing = await shell(
      "find . -name '*.yaml' -o -name '*.yml' | sed 's|^\\./||' | LC_ALL=C sort | xargs sha256sum | sha256sum",
      { cwd: rulesDir },
    );
    const repoListing = await shell(
      "find . -name '*.yaml' -o -name '*.yml' | sed 's|^\\./||' | LC_ALL=C sort | xargs sha256sum | sha256sum",
      { cwd: join(REPO_ROOT, "rules") },
    );
    expect(listing.stdout).toBe(repoListing.stdout);
    const files = (await shell("find . -name '*.yaml' -o -name '*.yml' | wc -l", { cwd: rulesDir })).stdout.trim();
    expect(run.stdout).toBe(
      `${cliManifest.version}\nrule pack sha256:${listing.stdout.split(" ")[0]} (${files} rules in ${rulesDir})\n`,
    );

    // Start-up of the installed command, without npx: the median of 11 runs beside a bare `node -e 0`.
    const median = (args: readonly string[]) => {
      const times = Array.from({ length: 11 }, () => {
        const start = process.hrtime.bigint();
        spawnSync(join(nodeDir, "node"), args, { env: userEnv() });
        return seconds(start) * 1000;
      }).sort((a, b) => a - b);
      return times[5]!;
    };
    const bin = join(project, "node_modules/@aigov/cli/bin/aigov.js");
    measured["aigov --version start-up (median of 11)"] =
      `${median([bin, "--version"]).toFixed(0)} ms (node -e 0: ${median(["-e", "0"]).toFixed(0)} ms)`;
  });

  it("gate judges a plan named relative to the caller's directory, from the built rule pack (no YAML parser, no schema compiler, no cloud SDK)", async () => {
    cpSync(SAMPLE_PLAN, join(project, "plan.json"));
    const dir = mkdtempSync(join(work, "hook-"));
    const log = join(dir, "modules.txt");
    const hook = join(dir, "hook.mjs");
    writeFileSync(
      hook,
      `import { appendFileSync } from "node:fs";\nimport { registerHooks } from "node:module";\nregisterHooks({ load(url, context, next) { appendFileSync(${JSON.stringify(log)}, url + "\\n"); return next(url, context); } });\n`,
    );
    const run = await shell(`node --import ${hook} node_modules/.bin/aigov gate plan.json --format json`, {
      env: userEnv({ AIGOV_NO_CACHE: "1" }),
    });
    expect(run.code, run.stderr).toBe(1);
    const result = JSON.parse(run.stdout) as {
      verdict: string;
      findings: { ruleId: string; gate: { blocking: boolean } }[];
    };
    expect(result.verdict).toBe("blocked");
    expect(result.findings.some((f) => f.ruleId === "ai-resource-ungoverned" && f.gate.blocking)).toBe(true);
    const loaded = readFileSync(log, "utf8").trim().split("\n");
    expect(loaded).toContain(`file://${join(project, "node_modules/@aigov/cli/dist/aigov.js")}`);
    expect(loaded.filter((url) => /\/node_modules\/(yaml|ajv)\//.test(url))).toEqual([]);
    // The cloud SDKs are dependencies of the package, loaded only by the commands that call a cloud.
    expect(loaded.filter((url) => /\/node_modules\/@(aws-sdk|smithy)\//.test(url))).toEqual([]);
  });

  it("gate reads terraform configuration (HCL): hcl2json and its WASM file come with the installed package", async () => {
    mkdirSync(join(project, "infra"), { recursive: true });
    writeFileSync(
      join(project, "infra/main.tf"),
      'resource "aws_sagemaker_notebook_instance" "nb" {\n  name                   = "scratch"\n  instance_type          = "ml.t3.medium"\n  role_arn               = "arn:aws:iam::123456789012:role/x"\n  direct_internet_access = "Enabled"\n}\n',
    );
    const run = await shell("npx aigov gate infra --format json");
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toContain("read infra: terraform configuration, 1 file, 1 resource");
    const result = JSON.parse(run.stdout) as { blocking: string[]; input: { source: string } };
    expect(result.input.source).toBe("terraform-configuration");
    expect(result.blocking.length).toBeGreaterThan(0);
  });

  it("demo sweeps the simulated organization into a store in the caller's directory", async () => {
    const run = await shell("npx aigov demo --store demo.db");
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain("A real sweep exits 1 on these findings");
    expect(statSync(join(project, "demo.db")).size).toBeGreaterThan(0);
    const findings = await shell("npx aigov findings --store demo.db --format json");
    expect(findings.code, findings.stderr).toBe(0);
    expect(JSON.parse(findings.stdout).findings.length).toBeGreaterThan(0);
  });

  it("logs finds the LLMjacking sequence in a CloudTrail fixture", async () => {
    const run = await shell(
      `npx aigov logs ${join(REPO_ROOT, "test/fixtures/logs/cloudtrail/bedrock-activity.ndjson")} --no-state --format json`,
    );
    expect(run.code, run.stderr).toBe(1);
    const result = JSON.parse(run.stdout) as { findings: { ruleId: string }[] };
    expect(result.findings.map((f) => f.ruleId)).toContain("aws-log-llmjacking");
  });

  it("rules test runs every inline test of the packaged pack", async () => {
    const run = await shell("npx aigov rules test");
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^\d+ passed, 0 failed$/m);
  });

  it("on a Node older than it needs, every command says which Node it needs and exits 2, without a stack trace", async () => {
    const older = spawnSync("which", ["-a", "node"], { encoding: "utf8", env: userEnv() })
      .stdout.trim()
      .split("\n")
      .filter((node) => Number(spawnSync(node, ["-p", "process.versions.node.split('.')[0]"]).stdout) < 24);
    // The machine's system Node (Debian's, 20) is the older one; aigov's own Node 24 comes from the workspace.
    expect(older.length, "no Node older than 24 on this machine's PATH").toBeGreaterThan(0);
    const oldNode = older[0]!;
    const [version, execPath] = spawnSync(oldNode, ["-p", "process.versions.node + '\\n' + process.execPath"], {
      encoding: "utf8",
    })
      .stdout.trim()
      .split("\n");
    for (const args of [["logs", "x.json"], ["findings"], ["gate", "plan.json"], ["--version"], ["demo"]]) {
      const run = await runProcess(oldNode, [join(project, "node_modules/@aigov/cli/bin/aigov.js"), ...args], {
        cwd: project,
        env: userEnv(),
      });
      expect({ code: run.code, stdout: run.stdout }).toEqual({ code: 2, stdout: "" });
      expect(run.stderr).toBe(
        `aigov: aigov needs Node.js 24 or newer; this is Node.js ${version} (${execPath})\n  hint: install Node.js 24 (nodejs.org, your package manager, nvm) and run aigov with it\n`,
      );
    }
  });

  it("runs as a non-root user with no writable home, as in the container (docker/Dockerfile)", async () => {
    expect(process.getuid?.(), "taking the container's uid needs root, as tests run here and in CI").toBe(0);
    cpSync(SAMPLE_PLAN, join(project, "plan.json"));
    const cache = join(work, "container-tmp");
    mkdirSync(cache, { mode: 0o777 });
    chmodSync(cache, 0o777);
    for (const dir of [work, project]) chmodSync(dir, 0o755);
    const run = await runProcess(
      "setpriv",
      [
        "--reuid=10001",
        "--regid=10001",
        "--clear-groups",
        join(nodeDir, "node"),
        "node_modules/.bin/aigov",
        "gate",
        "plan.json",
      ],
      { cwd: project, env: userEnv({ HOME: "/nonexistent", XDG_CACHE_HOME: join(cache, ".cache"), TMPDIR: cache }) },
    );
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toContain("BLOCKED");
  });
});

describe("the README's tour, as written", () => {
  const readme = readFileSync(join(REPO_ROOT, "README.md"), "utf8");
  const tour = /## A tour\n[\s\S]*?```sh\n([\s\S]*?)```/.exec(readme)?.[1];
  const lines = (tour ?? "").split("\n").filter((line) => line.trim() !== "");

  it("is there", () => {
    expect(lines.length).toBeGreaterThan(8);
  });

  it("runs in a fresh shell in a checkout's root, each line exiting as its comment says", async () => {
    // A checkout's root as far as the tour reads it (its fixtures), and a fresh user's home.
    const checkout = mkdtempSync(join(work, "checkout-"));
    symlinkSync(join(REPO_ROOT, "test"), join(checkout, "test"));
    const env = userEnv({ HOME: mkdtempSync(join(work, "fresh-home-")) });
    for (const line of lines) {
      const expected = /#\s*exit (\d)/.exec(line)?.[1] ?? "0";
      if (/Ctrl-C stops it/.test(line)) {
        expect(await runUntilReady(line, checkout, env), line).toBe(0);
        continue;
      }
      const run = await shell(line, { cwd: checkout, env });
      expect({ line, code: run.code }, run.stderr.slice(-2000)).toEqual({ line, code: Number(expected) });
    }
    expect(existsSync(join(checkout, "report.html"))).toBe(true);
    expect(JSON.parse(readFileSync(join(checkout, "aigov.sarif"), "utf8")).version).toBe("2.1.0");
  });
});

/** Starts a long-running line, waits until it says where it listens, stops it as Ctrl-C does; its exit code. */
function runUntilReady(line: string, cwd: string, env: NodeJS.ProcessEnv): Promise<number | null> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn("bash", ["-c", `exec ${line}`], { cwd, env });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
      if (output.includes("AWS_ENDPOINT_URL=http://127.0.0.1:")) child.kill("SIGINT");
    });
    child.on("error", reject);
    child.on("close", (code) => resolvePromise(code));
  });
}

describe("the GitHub Action (action.yml), its steps run as the runner runs them", () => {
  const action = parseYaml(readFileSync(join(REPO_ROOT, "action.yml"), "utf8")) as {
    inputs: Record<string, { default?: string; required?: boolean }>;
    runs: {
      using: string;
      steps: {
        id?: string;
        uses?: string;
        run?: string;
        if?: string;
        env?: Record<string, string>;
        with?: Record<string, string>;
      }[];
    };
  };

  /**
   * A runner's job: its files (GITHUB_OUTPUT, GITHUB_PATH, the step summary, RUNNER_TEMP), and `run:` steps run as
   * the runner runs them: bash, the step's env with the inputs filled in, the PATH earlier steps added to.
   */
  function job() {
    const dir = mkdtempSync(join(work, "runner-"));
    const files = { GITHUB_OUTPUT: "output", GITHUB_PATH: "path", GITHUB_STEP_SUMMARY: "summary.md" };
    const runnerEnv: Record<string, string> = { RUNNER_TEMP: join(dir, "temp"), GITHUB_ACTION_PATH: REPO_ROOT };
    for (const [name, file] of Object.entries(files)) runnerEnv[name] = join(dir, file);
    mkdirSync(runnerEnv.RUNNER_TEMP!);
    return {
      dir,
      read: (name: keyof typeof files) => (existsSync(runnerEnv[name]!) ? readFileSync(runnerEnv[name]!, "utf8") : ""),
      async step(index: number, inputs: Record<string, string>): Promise<CliRun> {
        const step = action.runs.steps[index]!;
        const value = (name: string) => inputs[name] ?? action.inputs[name]?.default ?? "";
        const expand = (text: string) =>
          text.replace(/\$\{\{\s*inputs\.([\w-]+)\s*\}\}/g, (_, name: string) => value(name));
        // Each use of the action in a job writes outputs and summary of its own.
        rmSync(runnerEnv.GITHUB_OUTPUT!, { force: true });
        rmSync(runnerEnv.GITHUB_STEP_SUMMARY!, { force: true });
        const added = existsSync(runnerEnv.GITHUB_PATH!)
          ? readFileSync(runnerEnv.GITHUB_PATH!, "utf8").trim().split("\n")
          : [];
        // The runner's own home: npm's cache and configuration.
        const base = npmEnv();
        const env = {
          ...base,
          ...runnerEnv,
          ...Object.fromEntries(Object.entries(step.env ?? {}).map(([name, text]) => [name, expand(text)])),
          PATH: [...added.filter(Boolean), base.PATH].join(delimiter),
        };
        return runProcess("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", step.run!], { cwd: dir, env });
      },
    };
  }
  const runner = job();
  const given = { package: join(tarballs, "aigov-cli-0.1.0.tgz") };

  beforeAll(async () => {
    const install = await runner.step(1, given);
    expect(install.code, install.stderr).toBe(0);
    expect(install.stdout).toMatch(/(^|\n)0\.1\.0\nrule pack sha256:[0-9a-f]{64} \(\d+ rules in /);
  }, 300_000);

  it("is a composite action whose steps set up Node 24, install aigov, gate, and upload the SARIF even when blocked", () => {
    expect(action.runs.using).toBe("composite");
    const steps = action.runs.steps;
    expect(steps.map((step) => step.uses ?? step.run)).toEqual([
      "actions/setup-node@v4",
      '"$GITHUB_ACTION_PATH/action/aigov-gate.sh" install',
      '"$GITHUB_ACTION_PATH/action/aigov-gate.sh" gate',
      "github/codeql-action/upload-sarif@v3",
    ]);
    expect(action.inputs["node-version"]?.default).toBe("24");
    // The action installs the version it is released with.
    expect(action.inputs.package?.default).toBe(`${cliManifest.name}@${cliManifest.version}`);
    expect(steps[3]).toMatchObject({
      if: "always() && inputs.upload-sarif == 'true' && steps.gate.outputs.sarif != ''",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression
      with: { sarif_file: "${{ steps.gate.outputs.sarif }}" },
    });
  });

  it("blocks a plan that adds ungoverned AI: exit 1, SARIF for code scanning, the markdown summary", async () => {
    cpSync(SAMPLE_PLAN, join(work, "action-plan.json"));
    const gate = await runner.step(2, { ...given, plan: join(work, "action-plan.json") });
    expect(gate.code, gate.stderr).toBe(1);
    const outputs = Object.fromEntries(
      runner
        .read("GITHUB_OUTPUT")
        .trim()
        .split("\n")
        .map((line) => line.split("=")),
    );
    expect(outputs).toEqual({ "exit-code": "1", sarif: "aigov.sarif" });
    const sarif = JSON.parse(readFileSync(join(runner.dir, "aigov.sarif"), "utf8"));
    expect(sarif.runs[0].results.some((result: { ruleId: string }) => result.ruleId === "ai-resource-ungoverned")).toBe(
      true,
    );
    expect(runner.read("GITHUB_STEP_SUMMARY")).toContain("ai-resource-ungoverned");
  });

  it("fails closed on a plan it cannot judge (exit 2, no SARIF to upload) and passes a plan with no AI", async () => {
    writeFileSync(join(work, "broken-plan.json"), '{"format_version": "1.2", "resource_changes": [');
    const refused = await runner.step(2, { ...given, plan: join(work, "broken-plan.json") });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("the plan JSON is truncated");
    expect(runner.read("GITHUB_OUTPUT")).toBe("exit-code=2\n");

    writeFileSync(
      join(work, "no-ai-plan.json"),
      JSON.stringify({ format_version: "1.2", terraform_version: "1.9.0", resource_changes: [] }),
    );
    const passed = await runner.step(2, { ...given, plan: join(work, "no-ai-plan.json") });
    expect(passed.code, passed.stderr).toBe(0);
    expect(runner.read("GITHUB_OUTPUT")).toBe("exit-code=0\nsarif=aigov.sarif\n");
  });
});

describe("cdktf apps that depend on the installed @aigov/cdktf", () => {
  beforeAll(async () => {
    cpSync(join(REPO_ROOT, "test/fixtures/cdktf-apps"), project, { recursive: true });
    const compiled = await runProcess(
      join(nodeDir, "node"),
      [join(REPO_ROOT, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.json"],
      {
        cwd: project,
        env: userEnv(),
      },
    );
    expect(compiled.code, compiled.stdout).toBe(0);
  }, 300_000);

  for (const [style, app] of [
    ["ESM on cdktf", "esm/main.js"],
    ["CommonJS on cdktn", "cjs/main.cjs"],
  ] as const) {
    it(`${style}: synth fails on an ungoverned Azure OpenAI account, naming the construct path, and passes it governed`, async () => {
      const outdir = mkdtempSync(join(work, "synth-"));
      const failed = await shell(`node ${app} ${outdir}`);
      expect(failed.code).toBe(1);
      expect(failed.stderr).toContain('Encountered Annotations with level "ERROR"');
      expect(failed.stderr).toContain("[chat/openai] [aigov] ai-resource-ungoverned (high): AI resource has no owner");
      expect(failed.stderr).toContain("[chat/openai] [aigov] ai-public-network-access (high)");
      measured[`${style} synth`] = `\n${failed.stderr
        .split("\n")
        .filter((line) => line.startsWith("[chat/"))
        .join("\n")}`;

      const governed = await shell(`node ${app} ${outdir} governed`);
      expect(governed.code, governed.stderr).toBe(0);
      expect(governed.stdout).not.toMatch(/^error /m);
      const stack = JSON.parse(readFileSync(join(outdir, "stacks/chat/cdk.tf.json"), "utf8"));
      expect(stack.resource.azurerm_cognitive_account.openai.tags).toEqual({ owner: "team-chat@example.com" });
    });
  }

  it("the CLI's programmatic entry runs from the installed package", async () => {
    const run = await shell("node esm/cli-entry.js");
    expect(run.code, run.stderr).toBe(0);
    expect((JSON.parse(run.stdout) as { id: string }[]).map((rule) => rule.id)).toContain("ai-resource-ungoverned");
  });
});
