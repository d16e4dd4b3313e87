// Writes docs/permissions/azure/ from the catalogue: the custom role the sweep's identity holds and the app-settings
// opt-in's role. Run after changing the catalogue:
//   node scanners/azure/scripts/write-permissions.ts
// (test/permissions.test.ts fails while a committed file differs from what this writes.)
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { appSettingsRole, readerRole } from "../src/custom-role.ts";

export const PERMISSIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), "../../../docs/permissions/azure");

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

/** Every generated file under docs/permissions/azure/, by name. */
export function permissionFiles(): ReadonlyMap<string, string> {
  return new Map([
    ["azure-role.json", json(readerRole())],
    ["azure-role-app-settings.json", json(appSettingsRole())],
  ]);
}

if (import.meta.main) {
  mkdirSync(PERMISSIONS_DIR, { recursive: true });
  for (const [name, text] of permissionFiles()) {
    const file = join(PERMISSIONS_DIR, name);
    writeFileSync(file, text);
    process.stderr.write(`wrote ${file}\n`);
  }
}
