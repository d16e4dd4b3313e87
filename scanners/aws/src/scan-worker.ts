// An AWS scan thread (see scan-threads.ts): collects the targets the main thread sends it with SDK clients of its
// own, under its share of the sweep's requests in flight, and sends back their items, a batch at a time.
import { parentPort, workerData } from "node:worker_threads";
import type { ScanItem } from "@aigov/core";
import { AwsClientFactory, type AwsCredentials } from "./aws-clients.ts";
import { AccountReads, UnreadSsmValues } from "./collect-context.ts";
import { collectTarget } from "./collect-target.ts";
import type { NormalizedAwsConfig } from "./config.ts";
import { RENEW_BEFORE_MS } from "./credentials.ts";
import { type FromScanThread, rebuiltError, type ToScanThread } from "./scan-threads.ts";

// Items per message: one message per item cost more than the item.
const BATCH_ITEMS = 64;

/** Counts like UnreadSsmValues, and keeps each count until the main thread is told of it. */
class ReportedUnreadSsmValues extends UnreadSsmValues {
  unsent: [string, string, number][] = [];

  override add(account: string, region: string, parameters: number): void {
    super.add(account, region, parameters);
    if (parameters > 0) this.unsent.push([account, region, parameters]);
  }
}

const port = parentPort;
if (port === null) throw new Error("aigov: scan-worker.ts runs as a worker thread (scan-threads.ts)");
const config = (workerData as { config: NormalizedAwsConfig }).config;
const unreadSsmValues = new ReportedUnreadSsmValues();
const clients = new AwsClientFactory(config);
const state = { config, clients, unreadSsmValues, accountReads: new AccountReads() };
const stopped = new Set<number>();
const send = (message: FromScanThread) => port.postMessage(message);

// Each account's keys, asked of the main thread once and again when they near expiry.
const keys = new Map<string, Promise<AwsCredentials>>();
const asked = new Map<number, { resolve(keys: AwsCredentials): void; reject(error: Error): void }>();
let nextRequest = 0;
const credentialsOf = (account: string) => (): Promise<AwsCredentials> => {
  const cached = keys.get(account);
  if (cached !== undefined)
    return cached.then((held) =>
      held.expiration === undefined || held.expiration.getTime() - Date.now() > RENEW_BEFORE_MS ? held : ask(account),
    );
  return ask(account);
};
function ask(account: string): Promise<AwsCredentials> {
  const request = nextRequest++;
  const pending = new Promise<AwsCredentials>((resolve, reject) => asked.set(request, { resolve, reject }));
  // A failure is not kept: the next request asks again (and the main thread assumes the role again).
  pending.catch(() => keys.delete(account));
  keys.set(account, pending);
  send({ type: "credentials", request, account });
  return pending;
}

async function collect(message: Extract<ToScanThread, { type: "collect" }>): Promise<void> {
  const { id, target } = message;
  let batch: ScanItem[] = [];
  let failure: string | undefined;
  try {
    for await (const item of collectTarget(state, target, credentialsOf(target.account), new Date(message.now))) {
      if (stopped.has(id)) break;
      batch.push(item);
      if (batch.length >= BATCH_ITEMS) {
        send({ type: "items", id, items: batch });
        batch = [];
      }
    }
  } catch (error) {
    failure = error instanceof Error ? (error.stack ?? error.message) : String(error);
  }
  stopped.delete(id);
  const unreadSsm = unreadSsmValues.unsent;
  unreadSsmValues.unsent = [];
  send({ type: "done", id, items: batch, stats: clients.limiter.stats, unreadSsm, ...(failure ? { failure } : {}) });
}

port.on("message", (message: ToScanThread) => {
  if (message.type === "collect") void collect(message);
  else if (message.type === "stop") stopped.add(message.id);
  else {
    const waiter = asked.get(message.request);
    asked.delete(message.request);
    if ("error" in message) waiter?.reject(rebuiltError(message.error));
    else waiter?.resolve(message.credentials);
  }
});
