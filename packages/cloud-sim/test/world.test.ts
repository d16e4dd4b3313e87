import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ListEndpointsCommand, SageMakerClient } from "@aws-sdk/client-sagemaker";
import { describe, expect, it } from "vitest";
import { checkWorld, loadWorld, parseWorld, startCloudSim } from "../src/index.ts";
import { clientConfig, KEYS, WORLD_FILE } from "./sim-clients.ts";

function errorOf(run: () => unknown): {
  code?: string;
  message?: string;
  position?: { file: string; line?: number; column?: number };
  hint?: string;
} {
  try {
    run();
  } catch (error) {
    return error as { code?: string; message?: string };
  }
  throw new Error("expected an error");
}

describe("world files", () => {
  it("loads the test world with its organization, accounts and regions", async () => {
    const world = await loadWorld(WORLD_FILE);
    expect(world.aws?.organization?.managementAccountId).toBe("111111111111");
    expect(world.aws?.accounts.map((a) => a.id)).toEqual([
      "111111111111",
      "222222222222",
      "333333333333",
      "444444444444",
    ]);
    expect(Object.keys(world.aws?.accounts[1]?.regions ?? {})).toEqual(["us-east-1", "eu-west-1"]);
  });

  it("points at the line of an unquoted account id", () => {
    const text = "aws:\n  accounts:\n    - id: 123456789012\n      name: a\n";
    const error = errorOf(() => parseWorld(text, "w.yaml"));
    expect(error.code).toBe("SIM_WORLD_INVALID");
    expect(error.position).toEqual({ file: "w.yaml", line: 3, column: 11 });
    expect(error.message).toContain("aws.accounts[0].id");
    expect(error.hint).toContain("quoted");
  });

  it("rejects unknown keys, unknown OUs, duplicate names, bad timestamps and bad YAML with positions", () => {
    const unknownKey = errorOf(() =>
      parseWorld('aws:\n  accounts:\n    - id: "111111111111"\n      name: a\n      regoins: {}\n', "w.yaml"),
    );
    expect(unknownKey.message).toContain("unknown key 'regoins'");
    expect(unknownKey.position?.line).toBe(5);
    const ou = errorOf(() =>
      parseWorld(
        'aws:\n  organization: { managementAccountId: "111111111111" }\n  accounts:\n    - { id: "111111111111", name: a, ou: Nowhere }\n',
        "w.yaml",
      ),
    );
    expect(ou.message).toContain("no OU 'Nowhere'");
    const duplicate = errorOf(() =>
      parseWorld(
        'aws:\n  accounts:\n    - id: "111111111111"\n      name: a\n      regions:\n        us-east-1:\n          sagemaker:\n            endpoints:\n              - { EndpointName: x, EndpointConfigName: c }\n              - { EndpointName: x, EndpointConfigName: c }\n',
        "w.yaml",
      ),
    );
    expect(duplicate.message).toContain("duplicate endpoints entry 'x'");
    expect(duplicate.position?.line).toBe(10);
    const time = errorOf(() =>
      parseWorld('aws:\n  accounts:\n    - id: "111111111111"\n      name: a\n      joined: last tuesday\n', "w.yaml"),
    );
    expect(time.message).toContain("ISO-8601");
    const yaml = errorOf(() => parseWorld("aws: [\n", "w.yaml"));
    expect(yaml.code).toBe("YAML_SYNTAX");
    expect(yaml.position?.file).toBe("w.yaml");
  });

  it("refuses a section for a cloud it does not simulate", () => {
    expect(errorOf(() => parseWorld("oci: {}\n", "w.yaml")).message).toMatch(/oci/);
  });

  it("checks worlds built in code, as benchmarks build them", () => {
    expect(errorOf(() => checkWorld({ aws: { accounts: [{ id: "1", name: "x" }] } })).code).toBe("SIM_WORLD_INVALID");
    const accounts = Array.from({ length: 200 }, (_, i) => ({
      id: String(100000000000 + i),
      name: `a${i}`,
      regions: { "us-east-1": {} },
    }));
    expect(checkWorld({ aws: { accounts } }).aws?.accounts.length).toBe(200);
  });

  it("serves a world given as a YAML path, and setWorld replaces what is served", async () => {
    const dir = await mkdtemp(join(tmpdir(), "cloud-sim-"));
    const file = join(dir, "w.yaml");
    await writeFile(
      file,
      'aws:\n  accounts:\n    - id: "555555555555"\n      name: solo\n      regions:\n        us-east-1:\n          sagemaker: { endpoints: [{ EndpointName: one, EndpointConfigName: c }] }\n',
    );
    const sim = await startCloudSim({ world: file });
    try {
      const client = new SageMakerClient(clientConfig(sim.url, KEYS.prod));
      expect((await client.send(new ListEndpointsCommand({}))).Endpoints?.map((e) => e.EndpointArn)).toEqual([
        "arn:aws:sagemaker:us-east-1:555555555555:endpoint/one",
      ]);
      sim.setWorld({ aws: { accounts: [{ id: "555555555555", name: "solo", regions: { "us-east-1": {} } }] } });
      expect((await client.send(new ListEndpointsCommand({}))).Endpoints).toEqual([]);
    } finally {
      await sim.close();
    }
  });

  it("refuses a missing world file with a typed error", async () => {
    await expect(loadWorld("/nonexistent/world.yaml")).rejects.toMatchObject({ code: "SIM_WORLD_UNREADABLE" });
  });
});
