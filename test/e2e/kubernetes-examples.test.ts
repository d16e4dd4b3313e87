// The Kubernetes examples (docs/operations/kubernetes/) run the image docker/Dockerfile builds, as its user, with
// aigov command lines that aigov accepts. No cluster here: each container's command is run with an `aigov` that
// parses the arguments and prints the command's help (exit 2 on an option aigov does not know).
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { parseAllDocuments } from "yaml";
import { describe, expect, it } from "vitest";
import { CLI, NODE, REPO_ROOT, runProcess } from "./run-cli.ts";

interface Container {
  name: string;
  image: string;
  command?: string[];
  args: string[];
}
interface PodSpec {
  securityContext: { runAsNonRoot: boolean; runAsUser: number };
  containers: Container[];
}

interface Resource {
  kind: string;
  spec: { jobTemplate?: { spec: { template: { spec: PodSpec } } }; template?: { spec: PodSpec } };
}

function podSpecs(file: string): PodSpec[] {
  const documents = parseAllDocuments(readFileSync(join(REPO_ROOT, "docs/operations/kubernetes", file), "utf8"));
  return documents
    .map((document) => document.toJSON() as Resource)
    .flatMap((resource) => {
      if (resource.kind === "CronJob") return [resource.spec.jobTemplate!.spec.template.spec];
      if (resource.kind === "Job") return [resource.spec.template!.spec];
      return [];
    });
}

const dockerfile = readFileSync(join(REPO_ROOT, "docker/Dockerfile"), "utf8");
const image = /docker build -t (\S+) \./.exec(readFileSync(join(REPO_ROOT, "docker/README.md"), "utf8"))?.[1];

describe.each(["cronjob.yaml", "indexed-job.yaml"])("docs/operations/kubernetes/%s", (file) => {
  it("runs the image docker/README.md builds, as the user docker/Dockerfile creates", () => {
    const specs = podSpecs(file);
    expect(specs.length).toBe(1);
    for (const spec of specs) {
      expect(spec.containers.map((container) => container.image)).toEqual([image]);
      expect(spec.securityContext).toMatchObject({ runAsNonRoot: true });
      expect(dockerfile).toContain(`USER ${spec.securityContext.runAsUser}:${spec.securityContext.runAsUser}`);
    }
  });

  it("calls aigov with a command and options it accepts", async () => {
    const bin = mkdtempSync(join(tmpdir(), "aigov-k8s-"));
    writeFileSync(join(bin, "aigov"), `#!/bin/sh\nexec "${NODE}" "${CLI}" "$@" --help\n`);
    chmodSync(join(bin, "aigov"), 0o755);
    for (const container of podSpecs(file).flatMap((spec) => spec.containers)) {
      // The image's entrypoint is aigov; a command replaces it (the indexed Job's `sh -c`).
      const [program, ...args] = [...(container.command ?? ["aigov"]), ...container.args];
      const run = await runProcess(program!, args, {
        env: { ...process.env, PATH: `${bin}${delimiter}${process.env.PATH}`, JOB_COMPLETION_INDEX: "3" },
      });
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/^scan the configured clouds for AI/);
    }
  });
});
