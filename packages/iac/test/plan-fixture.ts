import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** test/fixtures/plans, where the real and hand-written plans live (README.md there names sources and licences). */
export const PLANS = join(dirname(fileURLToPath(import.meta.url)), "../../../test/fixtures/plans");

export function planPath(name: string): string {
  return join(PLANS, name);
}

/** A fixture plan as a mutable object, for tests that vary one thing. */
export function planJson(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(planPath(name), "utf8")) as Record<string, unknown>;
}

/** One resource_change in `terraform show -json` shape. */
export function resourceChange(
  address: string,
  type: string,
  actions: string[],
  after: Record<string, unknown> | null,
  options: {
    before?: Record<string, unknown> | null;
    afterUnknown?: Record<string, unknown>;
    provider?: string;
    mode?: string;
    importing?: unknown;
  } = {},
): Record<string, unknown> {
  const change: Record<string, unknown> = {
    actions,
    before: options.before ?? null,
    after,
    after_unknown: options.afterUnknown ?? {},
  };
  if (options.importing !== undefined) change.importing = options.importing;
  return {
    address,
    mode: options.mode ?? "managed",
    type,
    name: address.split(".").at(-1)!.replace(/\[.*$/, ""),
    provider_name:
      options.provider ??
      `registry.terraform.io/hashicorp/${type.startsWith("azurerm") ? "azurerm" : type.startsWith("google") ? "google" : "aws"}`,
    change,
  };
}

/** A plan document around resource changes. */
export function plan(
  changes: readonly Record<string, unknown>[],
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return { format_version: "1.2", terraform_version: "1.9.8", resource_changes: changes, ...extra };
}
