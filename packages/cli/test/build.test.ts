import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { builtinsFromProcess, bundlePackage, packageName, publishedManifest } from "../scripts/build.ts";

describe("the published package.json (scripts/build.ts)", () => {
  it("is the workspace's with publishConfig's fields in place, without devDependencies, scripts or private", () => {
    const published = publishedManifest({
      name: "@aigov/cli",
      version: "1.2.3",
      private: true,
      exports: { ".": "./src/main.ts" },
      scripts: { prepack: "x" },
      dependencies: { yaml: "^2.9.1" },
      devDependencies: { "@aigov/core": "workspace:*" },
      publishConfig: {
        access: "public",
        exports: { ".": { types: "./types/aigov.d.ts", default: "./dist/aigov.js" } },
      },
    });
    expect(published).toEqual({
      name: "@aigov/cli",
      version: "1.2.3",
      exports: { ".": { types: "./types/aigov.d.ts", default: "./dist/aigov.js" } },
      dependencies: { yaml: "^2.9.1" },
      publishConfig: { access: "public" },
    });
  });

  it("names packages by their import specifiers", () => {
    expect(["@aws-sdk/client-sts", "@smithy/x/dist/y.js", "yaml", "yaml/util", "ajv"].map(packageName)).toEqual([
      "@aws-sdk/client-sts",
      "@smithy/x",
      "yaml",
      "yaml",
      "ajv",
    ]);
  });
});

describe("the bundle's dependencies", () => {
  function fakePackage(dependencies: Record<string, string>): { dir: string; entry: string } {
    const dir = mkdtempSync(join(tmpdir(), "aigov-bundle-deps-"));
    mkdirSync(join(dir, "src"));
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "@aigov/fake", version: "0.0.0", dependencies }));
    const entry = join(dir, "src/index.ts");
    writeFileSync(
      entry,
      [
        'import { createRequire } from "node:module";',
        'import leftPad from "left-pad";',
        "export const pad = (text: string) => leftPad(text, 4);",
        'export const yaml = () => createRequire(import.meta.url)("yaml");',
      ].join("\n"),
    );
    return { dir, entry };
  }

  it("are refused when the package does not declare one, imported or loaded on first use, naming each", async () => {
    const { dir, entry } = fakePackage({});
    const target = { dir, entryPoints: { index: entry }, declarations: { entry, file: "index.d.ts" } };
    await expect(bundlePackage(target, join(dir, "dist"))).rejects.toThrow(
      "@aigov/fake bundles code that imports left-pad, yaml, which it does not declare",
    );
  });

  it("are accepted when it declares every one (Node's own modules need no declaration)", async () => {
    const { dir, entry } = fakePackage({ "left-pad": "^1.3.0", yaml: "^2.9.1" });
    const target = { dir, entryPoints: { index: entry }, declarations: { entry, file: "index.d.ts" } };
    await bundlePackage(target, join(dir, "dist"));
    expect(readFileSync(join(dir, "dist/index.js"), "utf8")).toContain('from "left-pad"');
  });
});

describe("the bundle's imports of Node's built-in modules (builtinsFromProcess)", () => {
  it("take the module from process.getBuiltinModule at the top of the chunk, with the same bindings", () => {
    const chunk = [
      "#!/usr/bin/env node",
      'import { a } from "./chunk-A.js";',
      "const early = 1;",
      'import { readFileSync, statSync as statSync2 } from "node:fs";',
      'import fs from "node:fs/promises";',
      'import * as zlib from "node:zlib";',
      'import leftPad from "left-pad";',
      "",
    ].join("\n");
    expect(builtinsFromProcess(chunk)).toBe(
      [
        "#!/usr/bin/env node",
        'const { readFileSync, statSync: statSync2 } = process.getBuiltinModule("node:fs");',
        'const fs = process.getBuiltinModule("node:fs/promises");',
        'import { a } from "./chunk-A.js";',
        "const early = 1;",
        'import * as zlib from "node:zlib";',
        'import leftPad from "left-pad";',
        "",
      ].join("\n"),
    );
  });

  it("bind what the imports bound", async () => {
    const rewritten = builtinsFromProcess('import { join as joined } from "node:path";\nimport os from "node:os";\n');
    const module = (await import(
      `data:text/javascript,${encodeURIComponent(`${rewritten}export { joined, os };`)}`
    )) as {
      joined: unknown;
      os: unknown;
    };
    expect(module.joined).toBe((await import("node:path")).join);
    expect(module.os).toBe((await import("node:os")).default);
  });
});

describe("the AWS SDK in the bundle", () => {
  it("carries one release of each shared runtime package", async () => {
    const { build } = await import("esbuild");
    const { BUNDLE_OPTIONS } = await import("../scripts/build.ts");
    // Clients ask for these with caret ranges; a lockfile that resolved client-ec2 to @smithy/core 3.41.1 and
    // client-sagemaker to 3.41.0 put both in the bundle (a fifth of its source, compiled twice). `pnpm dedupe` keeps
    // the lockfile to one release of each.
    const result = await build({
      ...BUNDLE_OPTIONS,
      stdin: {
        contents: [
          'export { EC2Client } from "@aws-sdk/client-ec2";',
          'export { SageMakerClient } from "@aws-sdk/client-sagemaker";',
        ].join("\n"),
        resolveDir: join(import.meta.dirname, "../../../scanners/aws"),
      },
      write: false,
      metafile: true,
    });
    const releases = (name: string) =>
      new Set(
        Object.keys(result.metafile.inputs).flatMap((input) => {
          const release = new RegExp(`\\.pnpm/${name.replace("/", "\\+")}@([^/]+)/`).exec(input);
          return release === null ? [] : [release[1]];
        }),
      );
    expect(releases("@smithy/core").size).toBe(1);
    expect(releases("@aws-sdk/core").size).toBe(1);
  }, 60_000);
});
