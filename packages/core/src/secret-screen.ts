import { type AiKeyMatch, keyTextsIn, mayHoldAiKey, redactAiKeys } from "./ai-key-patterns.ts";
import { subjectRef } from "./finding.ts";
import type { Key, Subject } from "./model.ts";
import type { CoverageGap, ScanItem, TargetItem } from "./scanner.ts";

/**
 * The secret screen: every string a scanner, the log reader or the gate collects passes the AI key detector before
 * it is stored or printed. A key is redacted in place (`--token hf_…wxyz`) and reported as a Key subject that says
 * where it was (`arn:…:training-job/x#HyperParameters.hf_token`), so a key nobody expected in a tag, a
 * hyperparameter or an agent instruction is found instead of copied raw into `native`, the store and the output.
 *
 * It is cloud-neutral: `defineScanner` (@aigov/scanner-kit) wraps every scanner's streams in it, so each inherits it whole.
 */

/** Where one key was found: a JSON path into the screened value (`native.HyperParameters.hf_token`, `tags.note`). */
export interface AiKeyAt {
  readonly path: string;
  readonly match: AiKeyMatch;
}

/** A value with every AI key in every string (and every mapping key) redacted, and where each key was. */
export interface ScreenedValue<T> {
  readonly value: T;
  readonly found: readonly AiKeyAt[];
}

const PLAIN_NAME = /^[A-Za-z_$][\w$-]*$/;

/** `["native", "HyperParameters", "hf_token"]` → `native.HyperParameters.hf_token`; `["tags", "a:b"]` → `tags["a:b"]`. */
function jsonPath(segments: readonly (string | number)[]): string {
  let path = "";
  for (const segment of segments) {
    if (typeof segment === "number") path += `[${segment}]`;
    else if (!PLAIN_NAME.test(segment)) path += `[${JSON.stringify(segment)}]`;
    else path += path === "" ? segment : `.${segment}`;
  }
  return path;
}

/**
 * Redacts every AI key anywhere in a JSON-shaped value. Parts that hold no key are returned as they are (the same
 * objects), so a clean subject costs one pass over its strings and no copy; a path is spelled only for a key found.
 * A key found anywhere is then scrubbed from every other string of the value, in any case, even where it is glued
 * to other text (a resource id or URL built from a name that holds the key).
 */
export function redactAiKeysIn<T>(value: T): ScreenedValue<T> {
  const found: AiKeyAt[] = [];
  const keyTexts = new Map<string, string>();
  const redacted = mapStrings(value, (text, segments, isName) => {
    if (!mayHoldAiKey(text)) return text;
    const result = redactAiKeys(text);
    if (result.matches.length === 0) return text;
    // A mapping key is found at the path it names, spelled redacted.
    const path = jsonPath(isName ? [...segments, result.text] : segments);
    for (const match of result.matches) found.push({ path, match });
    for (const [lowerCased, replacement] of keyTextsIn(text)) keyTexts.set(lowerCased, replacement);
    return result.text;
  });
  if (keyTexts.size === 0) return { value: redacted, found };
  return { value: mapStrings(redacted, (text) => scrubKeyTexts(text, keyTexts)), found };
}

/** Every occurrence of the known key texts in a string, in any case, replaced by the key's redacted form. */
function scrubKeyTexts(text: string, keyTexts: ReadonlyMap<string, string>): string {
  let lower = text.toLowerCase();
  let out = text;
  for (const [keyText, replacement] of keyTexts) {
    for (let at = lower.indexOf(keyText); at >= 0; at = lower.indexOf(keyText, at + replacement.length)) {
      out = out.slice(0, at) + replacement + out.slice(at + keyText.length);
      lower = lower.slice(0, at) + replacement.toLowerCase() + lower.slice(at + keyText.length);
    }
  }
  return out;
}

/**
 * A JSON-shaped value with `transform` applied to every string and every mapping key, each told the path it is at
 * (a mapping key: the path of the mapping); parts the transform leaves unchanged are returned as they are.
 */
function mapStrings<T>(
  value: T,
  transform: (text: string, segments: readonly (string | number)[], isName: boolean) => string,
): T {
  const segments: (string | number)[] = [];
  const walk = (item: unknown): unknown => {
    if (typeof item === "string") return transform(item, segments, false);
    if (item === null || typeof item !== "object") return item;
    if (Array.isArray(item)) {
      let copy: unknown[] | undefined;
      for (let index = 0; index < item.length; index++) {
        const element = item[index];
        segments.push(index);
        const screened = walk(element);
        segments.pop();
        if (screened !== element) {
          copy ??= [...item];
          copy[index] = screened;
        }
      }
      return copy ?? item;
    }
    let entries: [string, unknown][] | undefined;
    const names = Object.keys(item);
    for (let index = 0; index < names.length; index++) {
      const original = names[index]!;
      const element = (item as Record<string, unknown>)[original];
      // A mapping key is a string the cloud returned too (a tag key, a hyperparameter name).
      const name = transform(original, segments, true);
      segments.push(name);
      const screened = walk(element);
      segments.pop();
      if (name !== original || screened !== element) {
        entries ??= names.map((key) => [key, (item as Record<string, unknown>)[key]]);
        entries[index] = [name, screened];
      }
    }
    // fromEntries defines own properties, so a `__proto__` key from the cloud stays data.
    return entries === undefined ? item : Object.fromEntries(entries);
  };
  return walk(value) as T;
}

/** What a key found in a field belongs to: the resource (or log record) whose field held it. */
export interface KeyHolder extends Pick<Key, "provider" | "account" | "region" | "tags" | "change" | "source"> {
  /** Resource id (ARN, terraform address) or the log record's event id. */
  readonly id: string;
  readonly name: string;
  /** Native type of the holder (`AWS::SageMaker::TrainingJob`) or the API service of a log record. */
  readonly type: string;
  /** `resource-field` for a resource's own fields, `log-record` for a log record's. */
  readonly foundIn: KeyFoundIn;
}

export type KeyFoundIn = "resource-field" | "log-record";

export const THIRD_PARTY_AI_KEY = "third-party-ai-key";

/**
 * One Key per distinct key in a holder's fields; a key repeated in several fields lists them all. Two keys first
 * found in the same field (a tag whose key and value both hold one) are told apart as `#field`, `#field#2`.
 */
function keysAt(holder: KeyHolder, found: readonly AiKeyAt[]): Key[] {
  const byKey = new Map<string, { match: AiKeyMatch; fields: string[] }>();
  for (const { path, match } of found) {
    const seen = byKey.get(match.fingerprint);
    if (seen === undefined) byKey.set(match.fingerprint, { match, fields: [path] });
    else if (!seen.fields.includes(path)) seen.fields.push(path);
  }
  const perField = new Map<string, number>();
  return [...byKey.values()].map(({ match, fields }) => {
    const field = fields[0]!;
    const ordinal = (perField.get(field) ?? 0) + 1;
    perField.set(field, ordinal);
    const location = `${holder.id}#${field}${ordinal === 1 ? "" : `#${ordinal}`}`;
    return {
      subject: "key",
      provider: holder.provider,
      account: holder.account,
      region: holder.region,
      kind: "key",
      type: THIRD_PARTY_AI_KEY,
      vendor: match.vendor,
      id: location,
      name: `${holder.name}:${field}`,
      redacted: match.redacted,
      fingerprint: match.fingerprint,
      location,
      tags: holder.tags,
      native: {
        pattern: match.patternId,
        source: holder.foundIn,
        resourceId: holder.id,
        resourceType: holder.type,
        field,
        fields,
      },
      ...(holder.change === undefined ? {} : { change: holder.change }),
      ...(holder.source === undefined ? {} : { source: holder.source }),
    } satisfies Key;
  });
}

/**
 * The AI keys in a resource's raw configuration, as Key subjects held by `holder`; for collectors that read a
 * configuration but emit no subject of their own (a Lambda function, an ECS task definition).
 */
export function keysInFields(holder: KeyHolder, value: unknown): Key[] {
  return keysAt(holder, redactAiKeysIn(value).found);
}

/** The subject with its keys redacted, followed by one Key subject per key it held. */
export function screenSubject<S extends Subject>(subject: S): [S, ...Key[]] {
  const { value, found } = redactAiKeysIn(subject);
  if (found.length === 0) return [subject];
  const ref = subjectRef(value);
  const holder: KeyHolder = {
    provider: value.provider,
    account: value.account,
    region: value.region,
    id: ref.id,
    name: ref.name,
    type: ref.nativeType,
    tags: value.subject === "api-call" ? {} : value.tags,
    foundIn: value.subject === "api-call" ? "log-record" : "resource-field",
    ...(value.subject !== "api-call" && value.change !== undefined ? { change: value.change } : {}),
    ...(value.source === undefined ? {} : { source: value.source }),
  };
  // `native` is the provider's own document: its paths read as the provider's field names.
  const fields = found.map((at) => ({ ...at, path: at.path.replace(/^native\.(?=.)/, "") }));
  return [value, ...keysAt(holder, fields)];
}

/** Screens what a collector yields: subjects (plus the Keys they held) and gaps, whose messages may echo a name. */
export async function* screenScanItems(items: AsyncIterable<ScanItem>): AsyncGenerator<ScanItem> {
  for await (const item of items) {
    if (item.type === "gap") {
      yield { type: "gap", gap: redactAiKeysIn<CoverageGap>(item.gap).value };
      continue;
    }
    for (const subject of screenSubject(item.subject)) yield { type: "subject", subject };
  }
}

/** Screens a target listing: account names and tags are stored as target labels, so they pass the detector too. */
export async function* screenTargets<T extends TargetItem<unknown>>(items: AsyncIterable<T>): AsyncGenerator<T> {
  for await (const item of items) yield redactAiKeysIn(item).value;
}
