import { describe, expect, it } from "vitest";
import { fingerprintSecret, redactAiKeys } from "../src/ai-key-patterns.ts";
import type { ApiCall, Asset, Key, Subject } from "../src/model.ts";
import type { ScanItem } from "../src/scanner.ts";
import { keysInFields, redactAiKeysIn, screenScanItems, screenSubject } from "../src/secret-screen.ts";
import { fakeAiKey, FAKE_KEY_PATTERNS } from "./fake-ai-keys.ts";

const HF = fakeAiKey("huggingface-token", 1);
const OPENAI = fakeAiKey("openai-project-key", 1);
const GOOGLE = fakeAiKey("google-api-key", 1);

function job(native: Record<string, unknown>, extra: Partial<Asset> = {}): Asset {
  return {
    subject: "asset",
    provider: "aws",
    account: "111111111111",
    region: "us-east-1",
    kind: "training-job",
    type: "AWS::SageMaker::TrainingJob",
    id: "arn:aws:sagemaker:us-east-1:111111111111:training-job/x",
    name: "x",
    tags: { owner: "ml" },
    native,
    ...extra,
  };
}

describe("redactAiKeys", () => {
  it("replaces a key inside a longer text by its redacted form and reports it", () => {
    const redacted = redactAiKeys(`python train.py --hf-token ${HF} --epochs 3`);
    expect(redacted.text).toBe(`python train.py --hf-token hf_…${HF.slice(-4)} --epochs 3`);
    expect(redacted.matches.map((m) => m.fingerprint)).toEqual([fingerprintSecret(HF)]);
  });

  it("finds a key of every pattern and leaves nothing of it", () => {
    for (const pattern of FAKE_KEY_PATTERNS) {
      const secret = fakeAiKey(pattern, "every");
      const redacted = redactAiKeys(`key: "${secret}"`);
      expect(
        redacted.matches.map((m) => m.patternId),
        pattern,
      ).toEqual([pattern]);
      expect(redacted.text).not.toContain(secret.slice(-16));
    }
  });

  it("finds a key inside a base64 script and re-encodes the script redacted", () => {
    const script = `#!/bin/bash\nexport HUGGING_FACE_HUB_TOKEN=${HF}\nexport OPENAI_API_KEY='${OPENAI}'\npip install -r requirements.txt\n`;
    const encoded = Buffer.from(script).toString("base64");
    const redacted = redactAiKeys(`OnStart: ${encoded}`);
    expect(redacted.matches.map((m) => m.vendor)).toEqual(["huggingface", "openai"]);
    const decoded = Buffer.from(redacted.text.slice("OnStart: ".length), "base64").toString("utf8");
    expect(decoded).toBe(
      `#!/bin/bash\nexport HUGGING_FACE_HUB_TOKEN=hf_…${HF.slice(-4)}\nexport OPENAI_API_KEY='sk-proj-…${OPENAI.slice(-4)}'\npip install -r requirements.txt\n`,
    );
  });

  it("reads a base64 run of megabytes (a container layer in a string field) without overflowing, key included", () => {
    const filler = Buffer.alloc(6 * 1024 * 1024, 7);
    const script = Buffer.concat([filler, Buffer.from(`\nexport OPENAI_API_KEY=${OPENAI}\n`), filler]);
    const redacted = redactAiKeys(`layer=${script.toString("base64")}==tail`);
    expect(redacted.matches.map((m) => m.vendor)).toEqual(["openai"]);
    expect(redacted.text.startsWith("layer=")).toBe(true);
    expect(redacted.text.endsWith("tail")).toBe(true);
    const decoded = Buffer.from(redacted.text.slice("layer=".length, -"tail".length), "base64").toString("utf8");
    expect(decoded).toContain(`OPENAI_API_KEY=sk-proj-…${OPENAI.slice(-4)}`);
    expect(decoded).not.toContain(OPENAI);
  });

  it("finds a key that names a resource inside its ARN or path, but not base64 letters after a slash", () => {
    const ssm = redactAiKeys(`arn:aws:ssm:us-east-1:111111111111:parameter/${HF}`);
    expect(ssm.text).toBe(`arn:aws:ssm:us-east-1:111111111111:parameter/hf_…${HF.slice(-4)}`);
    const pplx = fakeAiKey("perplexity-api-key", 1).toLowerCase();
    expect(redactAiKeys(`arn:aws:sagemaker:us-east-1:1:endpoint/${pplx}`).matches).toHaveLength(1);
    expect(redactAiKeys(`data/${GOOGLE}+more`).matches).toEqual([]);
  });

  it("returns the very same string when there is no key, base64 or not", () => {
    const text = Buffer.from("#!/bin/bash\necho nothing to see here, only a long enough script\n").toString("base64");
    expect(redactAiKeys(text).text).toBe(text);
    expect(redactAiKeys("sk-learn task-runner disk-1").matches).toEqual([]);
  });
});

describe("redactAiKeysIn", () => {
  it("redacts strings and mapping keys anywhere, with JSON paths", () => {
    const value = { a: [{ b: `x ${HF}` }], tags: { [GOOGLE]: "v", "aws:note": OPENAI } };
    const { value: out, found } = redactAiKeysIn(value);
    expect(found.map((f) => [f.path, f.match.vendor])).toEqual([
      ["a[0].b", "huggingface"],
      [`tags[${JSON.stringify(`AIza…${GOOGLE.slice(-4)}`)}]`, "google-gemini"],
      ['tags["aws:note"]', "openai"],
    ]);
    expect(JSON.stringify(out)).not.toContain(HF);
    expect(JSON.stringify(out)).not.toContain(GOOGLE);
    expect(JSON.stringify(out)).not.toContain(OPENAI);
    expect(out.tags).toEqual({ [`AIza…${GOOGLE.slice(-4)}`]: "v", "aws:note": `sk-proj-…${OPENAI.slice(-4)}` });
  });

  it("scrubs a key found in one field from every other string, glued to other text or in another case", () => {
    // AgentCore builds ids from names (`name-a1b2c3d4e5`) and gateway URLs from the lower-cased id: no pattern
    // matches the key there, but the name gave it away.
    const value = {
      name: HF,
      id: `arn:aws:bedrock-agentcore:us-east-1:111111111111:gateway/${HF}-a1b2c3d4e5`,
      native: { gatewayUrl: `https://${HF.toLowerCase()}-a1b2c3d4e5.gateway.bedrock-agentcore.amazonaws.com/mcp` },
    };
    const { value: out, found } = redactAiKeysIn(value);
    expect(found.map((f) => f.path)).toEqual(["name"]);
    const text = JSON.stringify(out);
    expect(text).not.toContain(HF);
    expect(text).not.toContain(HF.toLowerCase());
    expect(out.id).toBe(`arn:aws:bedrock-agentcore:us-east-1:111111111111:gateway/hf_…${HF.slice(-4)}-a1b2c3d4e5`);
    expect(out.native.gatewayUrl).toBe(
      `https://hf_…${HF.slice(-4)}-a1b2c3d4e5.gateway.bedrock-agentcore.amazonaws.com/mcp`,
    );
  });

  it("returns the same objects when nothing is found", () => {
    const value = { a: [{ b: "plain" }], c: 3, d: null };
    expect(redactAiKeysIn(value).value).toBe(value);
  });

  it("keeps a __proto__ key from the cloud as data", () => {
    const value = JSON.parse(`{"__proto__": {"polluted": "${HF}"}}`) as Record<string, unknown>;
    const out = redactAiKeysIn(value).value as Record<string, unknown>;
    expect(Object.hasOwn(out, "__proto__")).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("screenSubject", () => {
  it("redacts a key in a hyperparameter and reports it as a Key subject where it was found", () => {
    const [asset, ...keys] = screenSubject(job({ HyperParameters: { hf_token: HF, epochs: "3" } }));
    expect(asset.native).toEqual({ HyperParameters: { hf_token: `hf_…${HF.slice(-4)}`, epochs: "3" } });
    expect(keys).toEqual<Key[]>([
      {
        subject: "key",
        provider: "aws",
        account: "111111111111",
        region: "us-east-1",
        kind: "key",
        type: "third-party-ai-key",
        vendor: "huggingface",
        id: "arn:aws:sagemaker:us-east-1:111111111111:training-job/x#HyperParameters.hf_token",
        name: "x:HyperParameters.hf_token",
        redacted: `hf_…${HF.slice(-4)}`,
        fingerprint: fingerprintSecret(HF),
        location: "arn:aws:sagemaker:us-east-1:111111111111:training-job/x#HyperParameters.hf_token",
        tags: { owner: "ml" },
        native: {
          pattern: "huggingface-token",
          source: "resource-field",
          resourceId: "arn:aws:sagemaker:us-east-1:111111111111:training-job/x",
          resourceType: "AWS::SageMaker::TrainingJob",
          field: "HyperParameters.hf_token",
          fields: ["HyperParameters.hf_token"],
        },
      },
    ]);
  });

  it("reports one Key per distinct key, listing every field that held it", () => {
    const [, ...keys] = screenSubject(
      job({ ContainerArguments: ["--token", HF], Note: `token ${HF}`, Other: OPENAI }, { tags: { t: HF } }),
    );
    expect(keys.map((k) => [k.vendor, k.native.fields])).toEqual([
      ["huggingface", ["tags.t", "ContainerArguments[1]", "Note"]],
      ["openai", ["Other"]],
    ]);
  });

  it("tells apart two keys first found in the same field, so the store keeps both", () => {
    const [, ...keys] = screenSubject(job({}, { tags: { [`note ${GOOGLE}`]: HF } }));
    const field = `tags[${JSON.stringify(`note AIza…${GOOGLE.slice(-4)}`)}]`;
    expect(keys.map((k) => k.id)).toEqual([
      `arn:aws:sagemaker:us-east-1:111111111111:training-job/x#${field}`,
      `arn:aws:sagemaker:us-east-1:111111111111:training-job/x#${field}#2`,
    ]);
  });

  it("gives a key found in a log record the record's event id and source", () => {
    const call: ApiCall = {
      subject: "api-call",
      provider: "aws",
      account: "111111111111",
      region: "us-east-1",
      time: "2026-01-01T00:00:00Z",
      service: "bedrock-agent",
      operation: "CreateAgent",
      principal: "arn:aws:iam::111111111111:user/alice",
      authType: "iam",
      outcome: "success",
      eventId: "e-1",
      source: { file: "trail.json", line: 7 },
      native: { requestParameters: { instruction: `Use ${GOOGLE} for search` } },
    };
    const [redacted, key] = screenSubject(call);
    expect(JSON.stringify(redacted)).not.toContain(GOOGLE);
    expect(key).toMatchObject({
      id: "e-1#requestParameters.instruction",
      name: "bedrock-agent:CreateAgent:requestParameters.instruction",
      source: { file: "trail.json", line: 7 },
      native: { source: "log-record", resourceType: "bedrock-agent" },
    });
  });

  it("carries a planned asset's change to its keys", () => {
    const change = { action: "create", actions: ["create"], changedAttributes: [], importing: false } as const;
    const [, key] = screenSubject(job({ hyperparameters: { token: HF } }, { id: "aws_sagemaker_x.a", change }));
    expect(key?.change).toEqual(change);
    expect(key?.id).toBe("aws_sagemaker_x.a#hyperparameters.token");
  });

  it("leaves a clean subject untouched", () => {
    const subject: Subject = job({ HyperParameters: { epochs: "3" } });
    const screened = screenSubject(subject);
    expect(screened).toHaveLength(1);
    expect(screened[0]).toBe(subject);
  });
});

describe("keysInFields", () => {
  it("reports keys in a raw configuration for a holder that is not itself a subject", () => {
    const keys = keysInFields(
      {
        provider: "aws",
        account: "1",
        region: "r",
        id: "arn:fn",
        name: "fn",
        type: "AWS::Lambda::Function",
        tags: {},
        foundIn: "resource-field",
      },
      { Description: `calls Gemini with ${GOOGLE}` },
    );
    expect(keys.map((k) => [k.location, k.redacted])).toEqual([["arn:fn#Description", `AIza…${GOOGLE.slice(-4)}`]]);
  });
});

describe("screenScanItems", () => {
  it("yields each subject redacted followed by its keys, and redacts gap messages", async () => {
    async function* items(): AsyncGenerator<ScanItem> {
      yield { type: "subject", subject: job({ HyperParameters: { hf_token: HF } }) };
      yield {
        type: "gap",
        gap: {
          provider: "aws",
          account: "1",
          service: "sagemaker",
          code: "NotAvailable",
          message: `Could not find endpoint ${GOOGLE}`,
        },
      };
    }
    const out: ScanItem[] = [];
    for await (const item of screenScanItems(items())) out.push(item);
    expect(out.map((item) => (item.type === "gap" ? "gap" : item.subject.subject))).toEqual(["asset", "key", "gap"]);
    const text = JSON.stringify(out);
    expect(text).not.toContain(HF);
    expect(text).not.toContain(GOOGLE);
  });
});
