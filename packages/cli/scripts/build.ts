// Builds aigov's executable and its two published packages, @aigov/cli (the `aigov` command) and @aigov/cdktf
// (the cdktf/cdktn Aspect). Each is bundled by esbuild into plain JavaScript with every workspace package it uses
// (@aigov/*, whichever there are) inside: Node starts it without type stripping and without resolving and reading
// a hundred source files (most of a short command's time, `aigov gate` in CI), and a user installs one package
// that carries one version of all of them, the one tested together here. The AWS SDK is bundled too, from its ES
// modules, so that only the commands aigov sends are kept (see BUNDLED_THIRD_PARTY). Other third-party packages
// stay external and load from node_modules as they are; each must be a dependency (or peer dependency) of the
// package it ships in, which the build checks. The CLI's commands stay in their own chunks, loaded when they run.
//
// The bundle carries the default rule pack checked (parsed and schema-checked) at build time, in one file beside its
// chunks (packages/core/src/built-rule-pack.ts), so a fresh machine (a CI runner) starts without listing, reading,
// parsing and schema-checking every rule file. The rule files sit in rules/ beside its chunks (`#default-rules-dir` under the
// `aigov-bundle` condition, packages/core/src/default-rules-dir.bundled.ts), read only to locate an error in a rule.
//
// - `build.ts [--if-stale]` builds packages/cli/dist, which bin/aigov.js runs in the workspace: dist/rules links to
//   the repository's rules/, so paths name the files you edit. dist/build-info.json records the sources it was built
//   from, the rule files and their directories among them; bin/aigov.js runs the bundle only while none of them is
//   newer, so a rule edit (or an added rule) counts at once: the sources then run, which read the rule files.
// - `build.ts --pack DIR [cli] [cdktf]` stages each package as it is published (bundle, a copy of the rule pack,
//   its public types bundled into types/, README, licence, the package.json its publishConfig describes, without
//   the workspace's devDependencies) in a temporary directory and runs `pnpm pack` there, writing the tarballs to
//   DIR. The workspace's own dist/ is not touched, so aigov keeps running while packages are packed.
import { spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { mkdtemp, readFile } from "node:fs/promises";
import { isBuiltin } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import {
  type AigovError,
  BUILT_RULE_PACK_FILE,
  BUILT_RULE_TESTS_FILE,
  type BuiltRulePack,
  defaultRulesDir,
  isAigovError,
  loadRules,
  type RuleCache,
} from "@aigov/core";
import { type BuildOptions, build, type Metafile, type Plugin } from "esbuild";
import { scannerPlugins } from "@aigov/scanner-registry";
import { bundleIsFresh } from "../bin/bundle-freshness.js";
import { bundlePolicySchema } from "../src/policy-schema.ts";
import { rulePackDigest } from "../src/rule-pack-digest.ts";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

/** A published package: its directory, what its bundle starts from, and the module whose types it publishes. */
export interface PackageTarget {
  readonly dir: string;
  readonly entryPoints: Readonly<Record<string, string>>;
  /** The entry whose exported types are the package's API, and the file in types/ they are bundled into. */
  readonly declarations: { readonly entry: string; readonly file: string };
  /** Writes what the release carries beside the files its `files` lists, into the staged package. */
  readonly writeReleaseFiles?: (stage: string) => Promise<void>;
}

export const TARGETS = {
  cli: {
    dir: join(repoRoot, "packages/cli"),
    entryPoints: {
      aigov: join(repoRoot, "packages/cli/src/main.ts"),
      // Started as a worker thread by `aigov serve run-task`; see plan-judge-pool.ts.
      "plan-judge-worker": join(repoRoot, "packages/iac/src/run-task/plan-judge-worker.ts"),
      // Started as worker threads by `aigov logs` over many small files; see packages/logs/src/scan-pool.ts.
      "log-scan-worker": join(repoRoot, "packages/logs/src/log-scan-worker.ts"),
    },
    declarations: { entry: join(repoRoot, "packages/cli/src/main.ts"), file: "aigov.d.ts" },
    // The policy's schema for editors, in one file: the repository's refers to the other packages' schema files.
    async writeReleaseFiles(stage) {
      mkdirSync(join(stage, "schema"), { recursive: true });
      const schema = bundlePolicySchema(await scannerPlugins());
      writeFileSync(join(stage, "schema/policy.schema.json"), `${JSON.stringify(schema, null, 2)}\n`);
    },
  },
  cdktf: {
    dir: join(repoRoot, "packages/cdktf"),
    entryPoints: { index: join(repoRoot, "packages/cdktf/src/index.ts") },
    declarations: { entry: join(repoRoot, "packages/cdktf/src/index.ts"), file: "index.d.ts" },
  },
} as const satisfies Record<string, PackageTarget>;

/** Where bin/aigov.js looks for the bundle. */
export const distDir = join(TARGETS.cli.dir, "dist");

/** The bundle `aigov` runs in the workspace (test/global-setup.ts, `pnpm aigov`, the benchmarks). */
export async function buildCli(): Promise<void> {
  // Anything edited from now on is newer than the build, so the bundle is stale until built again.
  const builtAt = Date.now();
  const pack = await checkedRulePack();
  if (!isBuiltRulePack(pack)) {
    console.error(`warning: the rule pack is not checked in advance, it has an error: ${pack.format()}`);
  }
  // Built beside dist and moved into place, so an aigov already running from dist keeps its files.
  const outdir = `${distDir}.${process.pid}.tmp`;
  rmSync(outdir, { recursive: true, force: true });
  try {
    const metafile = await bundlePackage(TARGETS.cli, outdir, isBuiltRulePack(pack) ? pack : undefined);
    // A junction on Windows, where it needs no privilege; a symbolic link elsewhere.
    symlinkSync(defaultRulesDir(), join(outdir, "rules"), "junction");
    const inputs = freshnessInputs([
      ...Object.keys(metafile.inputs).map((input) => resolve(input)),
      ...rulePackPaths(),
    ]);
    writeFileSync(join(outdir, "build-info.json"), `${JSON.stringify({ builtAt, inputs }, null, 1)}\n`);
  } catch (error) {
    rmSync(outdir, { recursive: true, force: true });
    throw error;
  }
  rmSync(distDir, { recursive: true, force: true });
  renameSync(outdir, distDir);
}

/**
 * The AWS SDK's packages, bundled from their ES modules. Loaded from node_modules, each client's CommonJS build
 * (every command, serializer and schema of its service: client-ec2 alone is 2 MB of source) is compiled and kept
 * whole; an `aigov sweep` loading the 16 clients it uses started at about 170 MiB RSS before its first call.
 * Bundled, only what the scanners import is kept (their commands, the clients, the SDK's runtime): the same load
 * is about 100 MiB. ES modules, because only their exports can be dropped when unused (the `module` condition
 * and field pick them); see sdkModules for the two rewrites they need.
 */
const BUNDLED_THIRD_PARTY = /^@(?:aws-sdk|smithy|aws-crypto|aws)\//;

/**
 * Imported by code the bundle keeps but Node never runs: the SDK's user-agent provider for browsers, which its
 * client module exports beside Node's. Left external, and not a dependency.
 */
export const BROWSER_ONLY: ReadonlySet<string> = new Set(["bowser"]);

/**
 * The files bin/aigov.js checks before it runs the bundle (bundle-freshness.js), relative to packages/cli: the
 * workspace's sources, and for the thousands of bundled node_modules files the lockfile, which changes whenever
 * they may (every command stats these files before it starts).
 */
function freshnessInputs(inputs: readonly string[]): string[] {
  const sources = inputs.filter((input) => !input.split(sep).includes("node_modules"));
  const lockfile = sources.length < inputs.length ? [join(repoRoot, "pnpm-lock.yaml")] : [];
  return [...sources, ...lockfile].map((input) => relative(TARGETS.cli.dir, input));
}

/**
 * Workspace packages (@aigov/*), the AWS SDK and package-internal imports (#…) are bundled; every other bare import
 * is left to node_modules.
 */
const thirdPartyExternal: Plugin = {
  name: "third-party-external",
  setup(plugin) {
    plugin.onResolve({ filter: /^[^./#]/ }, (args) =>
      args.path.startsWith("@aigov/") || BUNDLED_THIRD_PARTY.test(args.path)
        ? undefined
        : { path: args.path, external: true },
    );
  },
};

/** A module of an AWS SDK client's ES build: `dist-es/<directory>/<file>.js` of an @aws-sdk package. */
const sdkModule = (directory: string, file: string) =>
  new RegExp(`[\\\\/]@aws-sdk[\\\\/][^\\\\/]+[\\\\/]dist-es[\\\\/]${directory}[\\\\/]${file}\\.js$`);

/**
 * Two rewrites of the SDK's ES modules, each giving the same objects, that bundling needs:
 *  - schemas (dist-es/schemas/schemas_N.js, one per service) name trait keys by string constants, `{ [_xN]: _VEIp }`.
 *    esbuild keeps every statement that has a computed key (it does not prove the key free of side effects), so a
 *    service's whole schema was kept for the few commands aigov sends (client-ec2: 1 MB for one command). Each such
 *    key is written as its constant's value.
 *  - commands (dist-es/commands/*Command.js) keep their class name: the scanner's read-only catalogue names each
 *    operation by its command class, and several services' commands share a name (ListTagsForResourceCommand),
 *    which bundling renames (ListTagsForResourceCommand2). esbuild's keepNames would name every function of the
 *    bundle, at a cost per call (measured: +7 % CPU per call in a sweep).
 */
const sdkModules: Plugin = {
  name: "sdk-modules",
  setup(plugin) {
    plugin.onLoad({ filter: sdkModule("schemas", "schemas_\\d+") }, async (args) => {
      const source = await readFile(args.path, "utf8");
      const constants = new Map([...source.matchAll(/^const (_\w+) = ("[^"\\]*");$/gm)].map((m) => [m[1], m[2]]));
      const contents = source.replace(/([{,]\s*)\[(_\w+)\]:/g, (whole, before: string, name: string) =>
        constants.has(name) ? `${before}${constants.get(name)}:` : whole,
      );
      return { contents, loader: "js", resolveDir: dirname(args.path) };
    });
    plugin.onLoad({ filter: sdkModule("commands", "\\w+Command") }, async (args) => {
      const source = await readFile(args.path, "utf8");
      // The class body is empty (`{\n}`); its base is one line (`command(…)`) or a builder chain over several.
      const declaration = /^export class (\w+Command) extends ([\s\S]*?) \{\n\}/m;
      if (!declaration.test(source)) throw new Error(`${args.path}: not an SDK command class as build.ts knows it`);
      const contents = source.replace(
        declaration,
        (_, name: string, base: string) =>
          `export class ${name} extends ${base} {\n  static { Object.defineProperty(this, "name", { value: "${name}" }); }\n}`,
      );
      return { contents, loader: "js", resolveDir: dirname(args.path) };
    });
  },
};

/** esbuild's settings for aigov's bundles (the CLI, the cdktf Aspect, and the sweep benchmark's scanner). */
export const BUNDLE_OPTIONS = {
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node24",
  // `module`: packages that ship ES modules beside CommonJS (the AWS SDK) are bundled from their ES modules.
  conditions: ["aigov-bundle", "module"],
  mainFields: ["module", "main"],
  plugins: [thirdPartyExternal, sdkModules],
  logLevel: "warning",
  // JSON imports (package.json, the JSON Schemas) are inlined.
  loader: { ".json": "json" },
} as const satisfies BuildOptions;

/** Bundles a package into `outdir`, refusing a bundle that needs a package the package does not declare. */
export async function bundlePackage(
  target: PackageTarget,
  outdir: string,
  rulePack?: BuiltRulePack,
): Promise<Metafile> {
  const result = await build({
    ...BUNDLE_OPTIONS,
    entryPoints: target.entryPoints,
    outdir,
    splitting: true,
    metafile: true,
  });
  checkDeclaredDependencies(target, result.metafile);
  for (const output of Object.keys(result.metafile.outputs)) {
    if (!output.endsWith(".js")) continue;
    const file = resolve(output);
    writeFileSync(file, builtinsFromProcess(readFileSync(file, "utf8")));
  }
  writeThirdPartyNotices(result.metafile, outdir);
  if (rulePack !== undefined) {
    // The tests apart: only `aigov rules test` reads them (see built-rule-pack.ts).
    const raws = rulePack.raws.map(({ tests: _, ...raw }) => raw);
    writeFileSync(join(outdir, BUILT_RULE_PACK_FILE), asciiJson({ ...rulePack, raws }));
    writeFileSync(join(outdir, BUILT_RULE_TESTS_FILE), asciiJson(rulePack.raws.map((raw) => raw.tests)));
  }
  return result.metafile;
}

/**
 * JSON with every character past ASCII written as its \u escape (the same value): Node reads a file of ASCII into a
 * one-byte string, which JSON.parse reads faster than the two-byte string one `…` in a rule's text makes of it.
 */
export function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** A named or default import (`import { a, b as c } from "x";`, `import x from "x";`) as esbuild writes it. */
const STATIC_IMPORT = /^import (\{[^}]*\}|[\w$]+) from "([^"]+)";\n/gm;

/**
 * The bundle's imports of Node's built-in modules, made `process.getBuiltinModule` calls at the top of their chunk.
 * An import of a built-in makes Node build its ES module facade, which reads every export: node:fs's reads `promises`
 * (loading fs/promises, readline and the streams), node:util's loads worker_threads… A gate's start-up loaded some
 * 30 built-in modules it never used (12 ms CPU on a tiny plan, measured in 40 interleaved runs). The object is the
 * one the import's facade exports, so the bindings are the same; built-ins import nothing of ours, so hoisting them
 * to the top keeps the order an import has. A namespace import (`* as`) is left as it is: its object is the facade.
 */
export function builtinsFromProcess(code: string): string {
  const declarations: string[] = [];
  const rest = code.replace(STATIC_IMPORT, (whole, bindings: string, specifier: string) => {
    if (!isBuiltin(specifier) || /\bdefault\b/.test(bindings)) return whole;
    const pattern = bindings.replace(/([\w$]+) as ([\w$]+)/g, "$1: $2");
    declarations.push(`const ${pattern} = process.getBuiltinModule(${JSON.stringify(specifier)});\n`);
    return "";
  });
  if (declarations.length === 0) return code;
  const shebang = /^#!.*\n/.exec(rest)?.[0] ?? "";
  return shebang + declarations.join("") + rest.slice(shebang.length);
}

/** The file beside a bundle that names the third-party code inside it, with each package's licence and notice. */
export const THIRD_PARTY_NOTICES = "THIRD-PARTY-NOTICES.txt";

/** A package's licence and notice files: LICENSE, LICENCE, NOTICE, COPYING, any case, any extension. */
const LEGAL_FILE = /^(licen[cs]e|notice|copying)(\.\w+)?$/i;

/**
 * Writes THIRD_PARTY_NOTICES for the third-party packages the bundle carries (the AWS SDK, BUNDLED_THIRD_PARTY):
 * their code is redistributed inside aigov's files, so their licences (Apache-2.0 asks for its text and any NOTICE)
 * go with it. Packages sharing the same licence text are listed together above it. Nothing is written for a bundle
 * that carries none.
 */
function writeThirdPartyNotices(metafile: Metafile, outdir: string): void {
  const packages = new Map<string, { name: string; version: string; license: string; texts: string[] }>();
  for (const input of Object.keys(metafile.inputs)) {
    const path = resolve(input).split(sep);
    const at = path.lastIndexOf("node_modules");
    if (at === -1) continue;
    const dir = path.slice(0, at + (path[at + 1]?.startsWith("@") ? 3 : 2)).join(sep);
    if (packages.has(dir)) continue;
    const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as Record<string, unknown>;
    const texts = readdirSync(dir)
      .filter((file) => LEGAL_FILE.test(file))
      .sort()
      .map((file) => readFileSync(join(dir, file), "utf8").trim());
    packages.set(dir, {
      name: String(manifest.name),
      version: String(manifest.version),
      license: typeof manifest.license === "string" ? manifest.license : "see its licence text",
      texts,
    });
  }
  if (packages.size === 0) return;
  const byText = new Map<string, string[]>();
  for (const { name, version, license, texts } of [...packages.values()].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const text =
      texts.length === 0 ? `(the package ships no licence file; its package.json says ${license})` : texts.join("\n\n");
    byText.set(text, [...(byText.get(text) ?? []), `${name}@${version} (${license})`]);
  }
  const sections = [...byText].map(([text, names]) => `${names.join("\n")}\n\n${text}\n`);
  writeFileSync(
    join(outdir, THIRD_PARTY_NOTICES),
    `This bundle carries code of the following ${packages.size} packages, under their licences below.\n\n${sections.join(`\n${"-".repeat(78)}\n\n`)}`,
  );
}

/** `createRequire(import.meta.url)("yaml")`: a package loaded on first use, which esbuild does not see as an import. */
const LAZY_REQUIRE = /createRequire\d*\(import\.meta\.url\)\("([^"]+)"\)/g;

/**
 * Every package the bundle leaves to node_modules must be one the published package declares, or an install of
 * it fails at run time on a machine that has only what it declares.
 */
function checkDeclaredDependencies(target: PackageTarget, metafile: Metafile): void {
  const manifest = readManifest(target.dir);
  const declared = new Set([
    ...Object.keys(manifest.dependencies ?? {}),
    ...Object.keys(manifest.peerDependencies ?? {}),
  ]);
  const missing = new Set<string>();
  for (const [file, output] of Object.entries(metafile.outputs)) {
    const lazy = [...readFileSync(resolve(file), "utf8").matchAll(LAZY_REQUIRE)].map((match) => match[1]!);
    const external = output.imports.filter((imported) => imported.external).map((imported) => imported.path);
    for (const specifier of [...external, ...lazy]) {
      const name = packageName(specifier);
      if (!isBuiltin(specifier) && !BROWSER_ONLY.has(name) && !declared.has(name)) missing.add(name);
    }
  }
  if (missing.size > 0) {
    throw new Error(
      `${manifest.name} bundles code that imports ${[...missing].join(", ")}, which it does not declare: add ${missing.size === 1 ? "it" : "them"} to the dependencies of ${relative(repoRoot, join(target.dir, "package.json"))}, with the range the importing workspace package declares`,
    );
  }
}

/** `@scope/name/sub/path` → `@scope/name`, `name/sub` → `name`. */
export function packageName(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!;
}

interface Manifest {
  readonly name: string;
  readonly version: string;
  readonly private?: boolean;
  readonly files?: readonly string[];
  readonly exports?: string | Readonly<Record<string, unknown>>;
  readonly scripts?: Readonly<Record<string, string>>;
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly devDependencies?: Readonly<Record<string, string>>;
  readonly peerDependencies?: Readonly<Record<string, string>>;
  readonly publishConfig?: Readonly<Record<string, unknown>>;
}

function readManifest(dir: string): Manifest {
  return JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as Manifest;
}

/**
 * Checks every rule file of the default pack, read afresh (no cache), into the form the bundle carries; or the error
 * of a pack with a broken rule, which is not carried: aigov then reads the rule files and reports the rule itself.
 */
async function checkedRulePack(): Promise<BuiltRulePack | AigovError> {
  const fresh: RuleCache = { read: () => undefined, write: () => undefined };
  try {
    const rules = await loadRules({ cache: fresh });
    return {
      files: rules.map((rule) => relative(defaultRulesDir(), rule.source.file).split(sep).join("/")),
      raws: rules.map((rule) => rule.raw),
      digest: rulePackDigest(defaultRulesDir()).digest,
    };
  } catch (error) {
    if (!isAigovError(error)) throw error;
    return error;
  }
}

function isBuiltRulePack(pack: BuiltRulePack | AigovError): pack is BuiltRulePack {
  return !isAigovError(pack);
}

/** The default pack's directories and files: an edited, added or removed rule makes the bundle stale. */
function rulePackPaths(): string[] {
  const root = defaultRulesDir();
  const entries = readdirSync(root, { recursive: true, withFileTypes: true });
  return [
    root,
    ...entries
      .filter((entry) => entry.isDirectory() || entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name)),
  ];
}

/** npm's publishing settings in publishConfig; every other field there replaces the manifest's own when published. */
const PUBLISH_SETTINGS = new Set(["access", "registry", "tag", "provenance"]);

/**
 * The package.json a package is published with: publishConfig's fields in place of the workspace's (the built
 * entry points instead of the sources), without what only the workspace uses (devDependencies, scripts) and
 * without `private`, which keeps the workspace's source form from being published by mistake.
 */
export function publishedManifest(manifest: Manifest): Record<string, unknown> {
  const { private: _private, devDependencies: _dev, scripts: _scripts, publishConfig = {}, ...published } = manifest;
  const settings = Object.fromEntries(Object.entries(publishConfig).filter(([key]) => PUBLISH_SETTINGS.has(key)));
  const overrides = Object.fromEntries(Object.entries(publishConfig).filter(([key]) => !PUBLISH_SETTINGS.has(key)));
  return { ...published, ...overrides, ...(Object.keys(settings).length > 0 ? { publishConfig: settings } : {}) };
}

/** Stages each package as it is published and packs it with `pnpm pack` into `destination`; returns the tarballs. */
export async function packPackages(names: readonly (keyof typeof TARGETS)[], destination: string): Promise<string[]> {
  const tarballs: string[] = [];
  for (const name of names) tarballs.push(await packPackage(TARGETS[name], resolve(destination)));
  return tarballs;
}

async function packPackage(target: PackageTarget, destination: string): Promise<string> {
  const manifest = readManifest(target.dir);
  const stage = await mkdtemp(join(tmpdir(), "aigov-pack-"));
  try {
    // A release never carries a broken pack: every aigov command would stop on it.
    const pack = await checkedRulePack();
    if (!isBuiltRulePack(pack)) throw new Error(`the rule pack has an error, nothing is packed: ${pack.format()}`);
    await bundlePackage(target, join(stage, "dist"), pack);
    cpSync(defaultRulesDir(), join(stage, "dist", "rules"), { recursive: true, dereference: true });
    // What the package lists in `files` beside the bundle and types made here (bin/, assets/ …).
    for (const entry of manifest.files ?? []) {
      if (entry !== "dist" && entry !== "types")
        cpSync(join(target.dir, entry), join(stage, entry), { recursive: true });
    }
    cpSync(join(target.dir, "README.md"), join(stage, "README.md"));
    const licence = existsSync(join(target.dir, "LICENSE")) ? join(target.dir, "LICENSE") : join(repoRoot, "LICENSE");
    cpSync(licence, join(stage, "LICENSE"));
    writeDeclarations(target, join(stage, "types", target.declarations.file));
    await target.writeReleaseFiles?.(stage);
    writeFileSync(join(stage, "package.json"), `${JSON.stringify(publishedManifest(manifest), null, 2)}\n`);
    const packed = spawnSync("npx", ["-y", "pnpm@12", "pack", "--pack-destination", destination], {
      cwd: stage,
      encoding: "utf8",
    });
    if (packed.status !== 0) throw new Error(`pnpm pack of ${manifest.name} failed:\n${packed.stdout}${packed.stderr}`);
    return join(destination, `${manifest.name.replace(/^@/, "").replace("/", "-")}-${manifest.version}.tgz`);
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

/**
 * The package's public types in one file: the declarations of its entry and of every workspace type they use,
 * importing only third-party packages (which the package declares).
 */
function writeDeclarations(target: PackageTarget, file: string): void {
  // The workspace packages are found by their sources through `paths`, so their types are inlined as the
  // package's own; found through node_modules they would be taken for external libraries and left as imports.
  const config = join(dirname(dirname(file)), "tsconfig.declarations.json");
  writeFileSync(
    config,
    JSON.stringify({
      extends: join(repoRoot, "tsconfig.base.json"),
      compilerOptions: { typeRoots: [join(repoRoot, "node_modules/@types")], paths: workspaceSourcePaths() },
      files: [target.declarations.entry],
    }),
  );
  const generated = spawnSync(
    process.execPath,
    [
      join(TARGETS.cli.dir, "node_modules/dts-bundle-generator/dist/bin/dts-bundle-generator.js"),
      "--project",
      config,
      "--no-banner",
      "--no-check",
      "--silent",
      "-o",
      file,
      target.declarations.entry,
    ],
    { encoding: "utf8" },
  );
  rmSync(config);
  if (generated.status !== 0) throw new Error(`the types of ${target.dir} could not be bundled:\n${generated.stderr}`);
}

/** `@aigov/<name>[/<subpath>]` → its source file, for every workspace package and every entry of its exports. */
function workspaceSourcePaths(): Record<string, string[]> {
  const paths: Record<string, string[]> = {};
  for (const group of ["packages", "scanners"]) {
    if (!existsSync(join(repoRoot, group))) continue;
    for (const dir of readdirSync(join(repoRoot, group)).map((name) => join(repoRoot, group, name))) {
      if (!existsSync(join(dir, "package.json"))) continue;
      const manifest = readManifest(dir);
      const exports = typeof manifest.exports === "string" ? { ".": manifest.exports } : (manifest.exports ?? {});
      for (const [subpath, file] of Object.entries(exports)) {
        if (typeof file === "string") paths[join(manifest.name, subpath)] = [join(dir, file)];
      }
    }
  }
  return paths;
}

if (import.meta.main) {
  const packAt = process.argv.indexOf("--pack");
  if (packAt >= 0) {
    const destination = process.argv[packAt + 1];
    if (destination === undefined) throw new Error("usage: build.ts --pack DIR [cli] [cdktf]");
    const names = process.argv.slice(packAt + 2).filter((name) => !name.startsWith("--"));
    for (const name of names) {
      if (!(name in TARGETS)) throw new Error(`no package '${name}' to pack: ${Object.keys(TARGETS).join(", ")}`);
    }
    const tarballs = await packPackages(
      (names.length === 0 ? Object.keys(TARGETS) : names) as (keyof typeof TARGETS)[],
      destination,
    );
    for (const tarball of tarballs)
      console.error(`packed ${tarball} (${Math.round(statSync(tarball).size / 1024)} KiB)`);
  } else if (!(process.argv.includes("--if-stale") && bundleIsFresh(distDir))) {
    await buildCli();
    const size = statSync(join(distDir, "aigov.js")).size;
    const info = JSON.parse(readFileSync(join(distDir, "build-info.json"), "utf8")) as { inputs: string[] };
    console.error(
      `built ${relative(repoRoot, distDir)}/aigov.js (${Math.round(size / 1024)} KiB entry, ${info.inputs.length} source files)`,
    );
  }
}
