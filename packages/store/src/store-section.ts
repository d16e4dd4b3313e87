import { createSectionCheck, type Policy } from "@aigov/core";
import storeSchema from "../schema/store.schema.json" with { type: "json" };
import type { Retention } from "./retention.ts";

/** `store:` of aigov.yaml as store.schema.json lets it be written: a path, or a path and retention. */
type StoreSection = string | { readonly path?: string; readonly keep_runs?: number; readonly keep_days?: number };

/** What the policy says about the store. */
export interface PolicyStore {
  /** As written: relative to the policy file's directory. Absent: the policy names no store. */
  readonly path?: string;
  readonly retention: Required<Retention>;
}

/** The JSON Schema of `store:`, for the composed policy schema. */
export const STORE_SCHEMA: object = storeSchema;

const checkSection = createSectionCheck<StoreSection>(storeSchema, ["store"], { code: "STORE_SETTINGS_INVALID" });

const { keep_runs: keepRuns, keep_days: keepDays } = storeSchema.definitions.settings.properties;
/** The schema's defaults, for a policy whose `store:` is a path or absent. */
const DEFAULT_RETENTION: Required<Retention> = { keepRuns: keepRuns.default, keepDays: keepDays.default };

/** The policy's `store:`, checked against store.schema.json (errors at file:line:column), with default retention. */
export function policyStore(policy: Pick<Policy, "section">): PolicyStore {
  const source = policy.section(["store"]);
  const section = source === undefined ? {} : checkSection(source);
  const settings = typeof section === "string" ? { path: section } : section;
  return {
    ...(settings.path === undefined ? {} : { path: settings.path }),
    retention: {
      keepRuns: settings.keep_runs ?? DEFAULT_RETENTION.keepRuns,
      keepDays: settings.keep_days ?? DEFAULT_RETENTION.keepDays,
    },
  };
}
