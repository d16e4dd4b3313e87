import { AigovError, type Provider } from "@aigov/core";

/**
 * One call a scanner may send. A scanner's catalogue lists every such call and nothing else: its transport refuses
 * any other before it leaves the process (`Catalogue.guard`), its permission document (AWS IAM policy, Azure
 * custom role, GCP custom role) is generated from it, and `describeReadOnlyCatalogue` (`@aigov/scanner-kit/testing`)
 * proves every call its sources can make is listed and a read.
 */
export interface CatalogueEntry<Service extends string = string, Holder extends string = string> {
  readonly service: Service;
  /** The operation as the cloud's API reference names it: `ListEndpoints`, `accounts.list`. */
  readonly operation: string;
  /**
   * `read`: lists, describes or gets, and changes nothing. `session`: obtains the scanner's own short-lived
   * credentials for a target (AWS STS AssumeRole, GCP service-account impersonation); they sign its reads and are
   * never emitted or stored. Nothing else can be catalogued.
   */
  readonly kind: "read" | "session";
  /** No catalogued call returns secret material of the estate (keys, passwords, values in clear). */
  readonly returnsSecret: false;
  /** What must be granted for the call (IAM actions, Azure operations, GCP permissions); empty when none is needed. */
  readonly permissions: readonly string[];
  /** Which identity needs the permissions: the scanner's own, or the one it reads a target with. */
  readonly holder: Holder;
  /** Input fields that must have exactly this value on every call (checked before the request is sent). */
  readonly requiredInput?: Readonly<Record<string, unknown>>;
  /** Sent, and granted, only when this opt-in is on. */
  readonly optIn?: string;
}

/** A read the user turns on explicitly because its permission grants more than aigov uses. */
export interface OptIn {
  /** The key in `targets.<cloud>` that turns it on. */
  readonly policyKey: string;
  /** The flag that turns it on for one run. */
  readonly flag: string;
}

export interface Catalogue<Entry extends CatalogueEntry> {
  readonly provider: Provider;
  readonly entries: readonly Entry[];
  /** The entry for a call as the transport names it (`wireName`), undefined when the scanner may not send it. */
  entryFor(wireName: string): Entry | undefined;
  /**
   * Throws <PROVIDER>_COMMAND_NOT_ALLOWED unless the call is catalogued, its opt-in is among `optInsOn`, and its
   * input has every required value. The transport calls it before a request is signed or sent.
   */
  guard(wireName: string, input: Readonly<Record<string, unknown>>, optInsOn: ReadonlySet<string>): Entry;
  /** The permissions `holder` needs, sorted and each once: the default set, or only the opt-in's with `optIn`. */
  permissions(holder: string, optIn?: string): string[];
}

export function createCatalogue<Entry extends CatalogueEntry>(
  provider: Provider,
  entries: readonly Entry[],
  options: {
    /** How the transport names a call (AWS: the SDK client and command names). */
    readonly wireName: (entry: Entry) => string;
    readonly optIns: Readonly<Record<string, OptIn>>;
  },
): Catalogue<Entry> {
  const byWireName = new Map(entries.map((entry) => [options.wireName(entry), entry]));
  const refuse = (message: string) => new AigovError(`${provider.toUpperCase()}_COMMAND_NOT_ALLOWED`, message);
  return {
    provider,
    entries,
    entryFor: (wireName) => byWireName.get(wireName),
    guard(wireName, input, optInsOn) {
      const entry = byWireName.get(wireName);
      if (entry === undefined) throw refuse(`${wireName} is not in the ${provider} scanner's read-only catalogue`);
      if (entry.optIn !== undefined && !optInsOn.has(entry.optIn)) {
        const optIn = options.optIns[entry.optIn];
        throw refuse(
          `${entry.operation} is sent only with ${optIn?.policyKey ?? entry.optIn} on (targets.${provider} in aigov.yaml)`,
        );
      }
      for (const [field, value] of Object.entries(entry.requiredInput ?? {})) {
        if (input[field] !== value)
          throw refuse(`${entry.operation} must be sent with ${field}=${JSON.stringify(value)}`);
      }
      return entry;
    },
    permissions(holder, optIn) {
      const chosen = entries.filter((entry) => entry.holder === holder && entry.optIn === optIn);
      return [...new Set(chosen.flatMap((entry) => entry.permissions))].sort();
    },
  };
}
