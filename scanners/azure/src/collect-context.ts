import type { Asset, GapItem } from "@aigov/core";
import { armFacts, armKind, armPart, armValue, isObject } from "@aigov/normalize";
import { CollectContext } from "@aigov/scanner-kit";
import type { AzureClientFactory } from "./azure-clients.ts";
import { AZURE_ERRORS, isNotRegistered } from "./azure-error.ts";
import type { NormalizedAzureConfig } from "./config.ts";
import type { UnregisteredProviders } from "./notices.ts";

/** An ARM resource body as the service returned it. */
export type ArmJson = Readonly<Record<string, unknown>>;

/** The subset of an SDK paged iterator the collectors use. */
interface Paged {
  byPage(): AsyncIterable<unknown>;
}

/** What a track-2 SDK list call takes: the response hook is how the service's own JSON is read. */
interface ListOptions {
  onResponse?: (response: { bodyAsText?: string | null }) => void;
}

/** The kit's collect context with what Azure collectors add: the subscription's clients and the sweep's settings. */
export class AzureCollectContext extends CollectContext {
  readonly config: NormalizedAzureConfig;
  readonly clients: AzureClientFactory;
  readonly unregistered: UnregisteredProviders;
  /** Locations of the subscription's AI accounts by lower-cased id, once the accounts are listed. */
  readonly accountLocations: Promise<ReadonlyMap<string, string>>;
  private settleAccounts!: (locations: ReadonlyMap<string, string>) => void;

  constructor(init: {
    subscription: string;
    config: NormalizedAzureConfig;
    clients: AzureClientFactory;
    unregistered: UnregisteredProviders;
    now: Date;
  }) {
    // ARM lists a subscription across every location: a target has no region.
    super({ errors: AZURE_ERRORS, account: init.subscription, region: "", now: init.now });
    this.config = init.config;
    this.clients = init.clients;
    this.unregistered = init.unregistered;
    this.accountLocations = new Promise((resolve) => {
      this.settleAccounts = resolve;
    });
  }

  get subscription(): string {
    return this.account;
  }

  // One client of each kind per target, made when first used. Collectors call them as `ctx.<client>().<group>.<method>(`,
  // the form test/read-only.test.ts reads the sources for.
  private readonly made = new Map<string, unknown>();
  private once<T>(name: string, make: () => T): T {
    let client = this.made.get(name) as T | undefined;
    if (client === undefined) {
      client = make();
      this.made.set(name, client);
    }
    return client;
  }

  cognitive() {
    return this.once("cognitive", () => this.clients.cognitive(this.subscription));
  }

  machineLearning() {
    return this.once("machineLearning", () => this.clients.machineLearning(this.subscription));
  }

  search() {
    return this.once("search", () => this.clients.search(this.subscription));
  }

  monitor() {
    return this.once("monitor", () => this.clients.monitor(this.subscription));
  }

  web() {
    return this.once("web", () => this.clients.web(this.subscription));
  }

  accountsListed(locations: ReadonlyMap<string, string>): void {
    this.settleAccounts(locations);
  }

  /** Whether a resource's location is among those the sweep reports. */
  wants(location: string): boolean {
    return this.config.locations === undefined || this.config.locations.has(location);
  }

  /** The gaps, without the empty region a subscription-wide target carries. */
  override *drainGaps(): Generator<GapItem> {
    for (const item of super.drainGaps()) {
      const { region, ...gap } = item.gap;
      yield { type: "gap", gap: region === "" ? gap : item.gap };
    }
  }

  /**
   * The pages of a track-2 list call as the service sent them. The SDK models are not used: they flatten
   * `properties` and drop what API versions newer than the SDK's add (a workspace's managed network).
   * A subscription that has not registered the provider has none of its resources: that ends the listing
   * without a gap, and is counted for the sweep's notice.
   */
  async *armPages(namespace: string, list: (options: ListOptions) => Paged): AsyncGenerator<ArmJson[]> {
    let page: ArmJson[] | undefined;
    const pages = list({
      onResponse: (response) => {
        const body: unknown = JSON.parse(response.bodyAsText ?? "{}");
        page = isObject(body) && Array.isArray(body.value) ? body.value.filter(isObject) : [];
      },
    }).byPage();
    try {
      for await (const _ of pages) {
        // TypeSpec-generated clients call the hook for their first page only: they must not come here.
        if (page === undefined) throw new Error("aigov defect: a list call's page was not seen by its hook");
        yield page;
        page = undefined;
      }
    } catch (error) {
      if (!isNotRegistered(error)) throw error;
      this.unregistered.add(this.subscription, namespace);
    }
  }

  /** Every page's items of a list call made for one resource (its children), or the failure as an attempt. */
  async children(service: string, operation: string, namespace: string, list: (options: ListOptions) => Paged) {
    return this.attempt(service, operation, async () => {
      const items: ArmJson[] = [];
      for await (const page of this.armPages(namespace, list)) items.push(...page);
      return items;
    });
  }
}

/** The parts of an ARM id: `/subscriptions/{s}/resourceGroups/{rg}/providers/{ns}/{type}/{name}…`. */
export function resourceGroupOf(id: string): string {
  return id.split("/")[4] ?? "";
}

/** An ARM resource as an asset: its kind, facts and id from the shared ARM normaliser; `native` is the body. */
export function armAsset(
  ctx: AzureCollectContext,
  type: string,
  body: ArmJson,
  location: string,
  extra: Partial<Asset> = {},
): Asset {
  const tags = isObject(body.tags) ? (body.tags as Readonly<Record<string, string>>) : {};
  const createdAt = armValue(body, "systemData", "createdAt") ?? armValue(body, "properties", "dateCreated");
  return {
    subject: "asset",
    provider: "azure",
    account: ctx.subscription,
    region: location,
    kind: armKind(type) ?? "other",
    ...(armPart(type) ? { part: true } : {}),
    type,
    id: String(body.id ?? ""),
    name: String(body.name ?? ""),
    tags,
    ...(tags.owner === undefined && tags.Owner === undefined ? {} : { owner: tags.owner ?? tags.Owner }),
    ...(typeof createdAt === "string" ? { createdAt } : {}),
    ...armFacts(type, body),
    native: body,
    ...extra,
  };
}
