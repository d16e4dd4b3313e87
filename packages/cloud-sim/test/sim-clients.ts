import { fileURLToPath } from "node:url";

/** The test world (three of most things, so page size 2 makes every paginator fetch several pages). */
export const WORLD_FILE = fileURLToPath(new URL("./fixtures/world.yaml", import.meta.url));

/** Access key ids whose characters 5..16 name the account they act as. */
export const KEYS = {
  management: { accessKeyId: "AKIA111111111111TEST", secretAccessKey: "fake" },
  prod: { accessKeyId: "AKIA222222222222TEST", secretAccessKey: "fake" },
  dev: { accessKeyId: "AKIA333333333333TEST", secretAccessKey: "fake" },
} as const;

/** Client options for a real SDK client pointed at the simulator, failing fast (no retries unless asked). */
export function clientConfig(
  url: string,
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string },
  region = "us-east-1",
  maxAttempts = 1,
) {
  return { region, endpoint: url, credentials, maxAttempts };
}

/** Every item of every page a paginator returns, in order. */
export async function collect<P, T>(pages: AsyncIterable<P>, pick: (page: P) => T[] | undefined): Promise<T[]> {
  const all: T[] = [];
  for await (const page of pages) all.push(...(pick(page) ?? []));
  return all;
}
