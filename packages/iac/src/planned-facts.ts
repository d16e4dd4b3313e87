import type { Asset, AssetFact, AssetKind, Key, Maybe } from "@aigov/core";
import type { PlannedValues } from "./planned-values.ts";

/** The normalized facts one type's normalizer reads from planned values; the rest is common to every type. */
export interface PlannedFacts extends Partial<Pick<Asset, AssetFact>> {
  readonly kind?: AssetKind;
  readonly name?: Maybe<string>;
  readonly region?: Maybe<string>;
  readonly account?: Maybe<string>;
}

/**
 * Reads one resource type's facts. Returns undefined when, for these values, the resource is not AI
 * (a conditional type such as a project service enabling a non-AI API).
 */
export type AssetNormalizer = (values: PlannedValues) => PlannedFacts | undefined;

/** The facts of a planned credential (everything but identity, which is common). */
export type KeyFacts = Pick<Key, "type" | "vendor" | "location"> &
  Partial<Pick<Key, "status" | "expiresAt" | "unrestricted" | "apiTargets" | "name">>;

export type KeyNormalizer = (values: PlannedValues) => KeyFacts | undefined;
