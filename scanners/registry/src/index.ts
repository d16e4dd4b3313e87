import type { Provider } from "@aigov/core";
import type { ScannerPlugin } from "@aigov/scanner-kit";

// The scanners this aigov has. A new cloud adds its line here (and its package to this package's dependencies);
// no cli file names a cloud. Each import is a literal, so the cli's bundle keeps every plugin in a chunk of its own,
// loaded only by the commands that sweep; a plugin module imports no cloud SDK (its `create` does).
const INSTALLED: readonly { readonly provider: Provider; readonly load: () => Promise<ScannerPlugin> }[] = [
  { provider: "aws", load: async () => (await import("@aigov/scanner-aws/plugin")).awsScannerPlugin },
  { provider: "azure", load: async () => (await import("@aigov/scanner-azure/plugin")).azureScannerPlugin },
  { provider: "gcp", load: async () => (await import("@aigov/scanner-gcp/plugin")).gcpScannerPlugin },
];

const registered = new Map<Provider, () => Promise<ScannerPlugin>>();

/** Adds a scanner (a test's, or one that replaces an installed scanner of the same provider). */
export function registerScanner(plugin: ScannerPlugin): void {
  registered.set(plugin.provider, async () => plugin);
}

/** Removes what `registerScanner` added. */
export function unregisterScanner(provider: Provider): void {
  registered.delete(provider);
}

/** Every scanner this aigov can sweep with, installed and registered, by provider; their plugin modules load now. */
export async function scannerPlugins(): Promise<readonly ScannerPlugin[]> {
  const loaders = new Map<Provider, () => Promise<ScannerPlugin>>();
  for (const { provider, load } of INSTALLED) loaders.set(provider, load);
  for (const [provider, load] of registered) loaders.set(provider, load);
  return Promise.all([...loaders.values()].map((load) => load()));
}
