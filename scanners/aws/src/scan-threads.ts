import { Worker } from "node:worker_threads";
import type { ScanItem, ScanTarget } from "@aigov/core";
import type { RequestStats } from "@aigov/scanner-kit";
import type { AwsCredentials, CredentialsProvider } from "./aws-clients.ts";
import type { UnreadSsmValues } from "./collect-context.ts";
import type { NormalizedAwsConfig } from "./config.ts";
import type { AwsTargetMeta } from "./targets.ts";

/** What the main thread sends a scan thread. */
export type ToScanThread =
  | { readonly type: "collect"; readonly id: number; readonly target: ScanTarget<AwsTargetMeta>; readonly now: number }
  | { readonly type: "stop"; readonly id: number }
  | { readonly type: "credentials"; readonly request: number; readonly credentials: AwsCredentials }
  | { readonly type: "credentials"; readonly request: number; readonly error: ClonedError };

/** What a scan thread sends the main thread. */
export type FromScanThread =
  | { readonly type: "items"; readonly id: number; readonly items: readonly ScanItem[] }
  | {
      readonly type: "done";
      readonly id: number;
      readonly items: readonly ScanItem[];
      /** The thread's request counters so far (all its targets). */
      readonly stats: RequestStats;
      /** `UnreadSsmValues.add` calls made since the last `done`, replayed on the main thread's counter. */
      readonly unreadSsm: readonly (readonly [account: string, region: string, parameters: number])[];
      /** A failure of the thread's code (not of a request: those are gaps among the items). */
      readonly failure?: string;
    }
  | { readonly type: "credentials"; readonly request: number; readonly account: string };

/** The fields of an error the AWS gap classification reads (aws-error.ts); a thread rebuilds the error from them. */
export interface ClonedError {
  readonly name: string;
  readonly message: string;
  readonly code?: unknown;
  readonly $metadata?: unknown;
}

export function cloneError(error: unknown): ClonedError {
  const field = (name: string) => (typeof error === "object" && error !== null ? Reflect.get(error, name) : undefined);
  const name = field("name");
  const message = field("message");
  return {
    name: typeof name === "string" ? name : "Error",
    message: typeof message === "string" ? message : String(error),
    ...(field("code") === undefined ? {} : { code: field("code") }),
    ...(field("$metadata") === undefined ? {} : { $metadata: structuredClone(field("$metadata")) }),
  };
}

export function rebuiltError(cloned: ClonedError): Error {
  return Object.assign(new Error(cloned.message), cloned);
}

// Beside this module: the TypeScript source, or in a bundle (packages/cli/scripts/build.ts) its own entry point.
const workerFile = new URL(
  import.meta.url.endsWith(".ts") ? "./scan-worker.ts" : "./aws-scan-worker.js",
  import.meta.url,
);

/** Items of one target on their way from its thread: batches as they arrive, then the end or a failure. */
class ItemChannel {
  private readonly batches: (readonly ScanItem[])[] = [];
  private wake: (() => void) | undefined;
  ended = false;
  failure: Error | undefined;

  push(items: readonly ScanItem[], end = false): void {
    if (items.length > 0) this.batches.push(items);
    if (end) this.ended = true;
    this.wake?.();
  }

  fail(error: Error): void {
    this.failure ??= error;
    this.ended = true;
    this.wake?.();
  }

  /** The next batch, or undefined at the end; rejects with the thread's failure. */
  async next(): Promise<readonly ScanItem[] | undefined> {
    while (this.batches.length === 0 && !this.ended) await new Promise<void>((resolve) => (this.wake = resolve));
    this.wake = undefined;
    const batch = this.batches.shift();
    if (batch !== undefined) return batch;
    if (this.failure !== undefined) throw this.failure;
    return undefined;
  }
}

/**
 * A worker thread that collects the targets it is given, with the scanner's code and SDK clients of its own: the
 * SDK's request work (building, signing, parsing) is most of a sweep's CPU, and one JavaScript thread runs out of
 * CPU before the cloud's rate limits bound a large sweep. Credentials stay with the main thread, which assumes each
 * role once for the whole sweep: the thread asks it for an account's keys and keeps them until they near expiry.
 */
class ScanThread {
  private readonly worker: Worker;
  private readonly channels = new Map<number, ItemChannel>();
  private readonly credentials = new Map<string, CredentialsProvider>();
  private readonly unreadSsmValues: UnreadSsmValues;
  private nextId = 0;
  private exited: Error | undefined;
  stats: RequestStats = { apiCalls: 0, retries: 0, byOperation: {}, peakInFlight: 0, requestSeconds: 0 };

  constructor(config: NormalizedAwsConfig, unreadSsmValues: UnreadSsmValues) {
    this.unreadSsmValues = unreadSsmValues;
    this.worker = new Worker(workerFile, { workerData: { config } });
    // An idle thread does not keep the process alive; one collecting does (see `collect`).
    this.worker.unref();
    this.worker.on("message", (message: FromScanThread) => this.receive(message));
    const failAll = (error: Error) => {
      this.exited ??= error;
      for (const channel of this.channels.values()) channel.fail(error);
    };
    this.worker.on("error", failAll);
    this.worker.on("exit", (code) => failAll(new Error(`aigov: an AWS scan thread exited (code ${code})`)));
  }

  async *collect(target: ScanTarget<AwsTargetMeta>, credentials: CredentialsProvider, now: Date) {
    if (this.exited !== undefined) throw this.exited;
    const id = this.nextId++;
    const channel = new ItemChannel();
    this.channels.set(id, channel);
    this.credentials.set(target.account, credentials);
    if (this.channels.size === 1) this.worker.ref();
    this.worker.postMessage({ type: "collect", id, target, now: now.getTime() } satisfies ToScanThread);
    try {
      for (let batch = await channel.next(); batch !== undefined; batch = await channel.next()) yield* batch;
    } finally {
      // Stopped early (the sweep was interrupted): the thread stops collecting the target at its next item.
      if (!channel.ended && this.exited === undefined)
        this.worker.postMessage({ type: "stop", id } satisfies ToScanThread);
      this.channels.delete(id);
      if (this.channels.size === 0) this.worker.unref();
    }
  }

  private receive(message: FromScanThread): void {
    if (message.type === "credentials") {
      this.sendCredentials(message.request, message.account);
      return;
    }
    const channel = this.channels.get(message.id);
    if (message.type === "items") {
      channel?.push(message.items);
      return;
    }
    this.stats = message.stats;
    for (const [account, region, parameters] of message.unreadSsm)
      this.unreadSsmValues.add(account, region, parameters);
    if (message.failure !== undefined) channel?.fail(new Error(message.failure));
    else channel?.push(message.items, true);
  }

  private sendCredentials(request: number, account: string): void {
    const provider = this.credentials.get(account);
    const reply = (answer: ToScanThread) => {
      if (this.exited === undefined) this.worker.postMessage(answer);
    };
    (provider === undefined ? Promise.reject(new Error(`no credentials for account ${account}`)) : provider()).then(
      (credentials) => reply({ type: "credentials", request, credentials }),
      (error: unknown) => reply({ type: "credentials", request, error: cloneError(error) }),
    );
  }

  close(): Promise<number> {
    this.exited ??= new Error("aigov: the AWS scanner was closed");
    return this.worker.terminate();
  }
}

/**
 * The threads of a sweep: the main thread (0) and `threads - 1` workers. An account's targets all go to one thread,
 * given in turn as accounts appear, so the rate-limit buckets (per account, region and service) and the reads made
 * once per account stay in one thread; the sweep's concurrency bound is split between the threads exactly.
 */
export class ScanThreads {
  private readonly workers: ScanThread[] = [];
  private readonly owners = new Map<string, number>();

  constructor(config: NormalizedAwsConfig, unreadSsmValues: UnreadSsmValues) {
    const count = ScanThreads.count(config);
    for (let index = 1; index < count; index += 1)
      this.workers.push(
        new ScanThread({ ...config, concurrency: ScanThreads.concurrency(config, index) }, unreadSsmValues),
      );
  }

  /** Threads that collect: as configured, but never more than requests in flight (each needs one). */
  static count(config: NormalizedAwsConfig): number {
    return Math.min(config.threads, config.concurrency);
  }

  /** Thread `index`'s share of the sweep's requests in flight: the shares add up to the bound. */
  static concurrency(config: NormalizedAwsConfig, index: number): number {
    const count = ScanThreads.count(config);
    return Math.floor(config.concurrency / count) + (index < config.concurrency % count ? 1 : 0);
  }

  /** The worker that collects `account`'s targets, or undefined when the main thread does. */
  worker(account: string): ScanThread | undefined {
    let owner = this.owners.get(account);
    if (owner === undefined) {
      owner = this.owners.size % (this.workers.length + 1);
      this.owners.set(account, owner);
    }
    return owner === 0 ? undefined : this.workers[owner - 1];
  }

  /** The workers' request counters, as of their last finished target. */
  stats(): RequestStats[] {
    return this.workers.map((worker) => worker.stats);
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.close()));
  }
}
