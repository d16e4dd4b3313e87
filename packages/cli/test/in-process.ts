import { PassThrough } from "node:stream";
import { main } from "../src/main.ts";

export interface InProcessRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** `aigov <args>` run by `main` in this process, in `cwd` with an empty environment: what a user would see. */
export async function aigovInProcess(cwd: string, ...args: string[]): Promise<InProcessRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on("data", (chunk: Buffer) => out.push(chunk));
  stderr.on("data", (chunk: Buffer) => err.push(chunk));
  const code = await main(args, { stdout, stderr, stdin: new PassThrough(), env: {}, cwd });
  return { code, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") };
}
