import { createWriteStream } from "node:fs";
import { finished } from "node:stream/promises";
import {
  type RecordedGap,
  escapeControlCharacters,
  isUnknown,
  type Maybe,
  type ScanNotice,
  SEVERITIES,
} from "@aigov/core";
import type { InventoryItem, RunRecord, StoredFinding } from "@aigov/store";
import { countOf } from "../count-text.ts";
import { fitText } from "../text-wrap.ts";
import { renderTable } from "../table.ts";
import { PLAIN, type Terminal } from "../terminal.ts";
import { formatDuration } from "./sweep-progress.ts";
import type { SweepSummary } from "./sweep-summary.ts";

/** About how much of `--format json` is written at once (characters, about bytes for its mostly ASCII text). */
const WRITE_CHUNK_CHARACTERS = 65_536;

/** Findings listed in the text summary; the rest are one `aigov findings` away. */
const TEXT_FINDINGS_LIMIT = 40;

export interface SweepResultSource {
  readonly run: RunRecord;
  readonly summary: SweepSummary;
  readonly store: string;
  findings(): Iterable<StoredFinding>;
  assets(): Iterable<InventoryItem>;
  /** `JSON.stringify` of each of findings() / assets(), when the source has that text at hand (the store does). */
  findingsJson?(): Iterable<string>;
  assetsJson?(): Iterable<string>;
  readonly gaps: readonly RecordedGap[];
}

/**
 * The requests a sweep sent, with how long each took on average and how many were in flight at most. Calls much
 * slower than the cloud answers, with the bound reached, say the sweep's own thread set its pace (a faster CPU
 * helps); calls about as fast as the cloud answers say the cloud's latency and rate limits did.
 */
function apiCallsText(summary: SweepSummary): string {
  const calls = `${summary.apiCalls} API calls`;
  if (summary.apiCalls === 0 || summary.requestSeconds === 0) return calls;
  const meanMs = Math.round((summary.requestSeconds * 1000) / summary.apiCalls);
  return `${calls} (${meanMs} ms each on average, up to ${summary.peakRequestsInFlight} at once)`;
}

/** The text a person reads at the end of a sweep (stdout). */
export function renderSweepText(source: SweepResultSource, terminal: Terminal = PLAIN): string {
  const { run, summary } = source;
  const t = summary.targets;
  const out: string[] = [];
  const shard = run.shard === undefined ? "" : ` · shard ${run.shard}`;
  const targets = `${countOf(t.total, "target")} (${t.complete} complete, ${t.partial} partial, ${t.failed} failed)`;
  out.push(
    `aigov sweep · run ${run.id}${shard} · ${targets} · ${apiCallsText(summary)} · ${formatDuration(summary.durationMs)}`,
  );
  out.push("");
  // Nothing swept, nothing to count: what stopped the sweep is all there is to read.
  if (summary.status === "failed") {
    out.push(...coverageLines(source, terminal));
    return fitText(out.join("\n"), terminal.width);
  }
  out.push(
    `AI inventory: ${summary.assets} assets, ${summary.keys} keys, ${summary.apiCallsObserved} AI API calls in logs`,
  );
  if (summary.inventory.length > 0) {
    out.push(
      renderTable(
        ["CLOUD", "KIND", "MODEL", "COUNT"],
        summary.inventory.map((line) => [line.provider, line.kind, line.model, String(line.count)]),
        terminal,
        { indent: 2 },
      ),
    );
  }
  out.push("");
  const f = summary.findings;
  const bySeverity = [...SEVERITIES]
    .reverse()
    .map((severity) => `${f.bySeverity[severity]} ${severity}`)
    .join(", ");
  out.push(
    `Findings: ${f.total} (${bySeverity}) · ${f.new} new · ${f.reopened} reopened · ${f.resolved} resolved since the last run · ${f.waived} waived · ${f.unknown} unknown`,
  );
  const findings = [...take(source.findings(), TEXT_FINDINGS_LIMIT + 1)];
  if (findings.length > 0) {
    const rows = findings
      .slice(0, TEXT_FINDINGS_LIMIT)
      .map((finding) => [
        finding.severity,
        finding.lifecycle.state,
        finding.ruleId,
        `${finding.subject.provider}/${known(finding.subject.account)}/${known(finding.subject.region)}`,
        finding.subject.name,
      ]);
    out.push(
      renderTable(["SEVERITY", "STATE", "RULE", "WHERE", "SUBJECT"], rows, terminal, { indent: 2, fold: ["SUBJECT"] }),
    );
    if (findings.length > TEXT_FINDINGS_LIMIT) out.push(`  … more: aigov findings --store ${source.store}`);
  }
  out.push("");
  out.push(...coverageLines(source, terminal));
  for (const notice of summary.notices.filter((n) => n.kind === "coverage"))
    out.push(`Not read (${notice.provider}): ${notice.message}`);
  out.push("");
  out.push(
    f.blocking > 0
      ? `Result: ${terminal.paint(["bold", "red"], `${countOf(f.blocking, "finding")} at or above ${f.threshold}`)}: exit 1`
      : `Result: ${terminal.paint("green", `no findings at or above ${f.threshold}`)}: exit 0`,
  );
  return fitText(out.join("\n"), terminal.width);
}

/** What the sweep covered: complete, or its gaps (a cloud it had no credentials for as a paragraph, the rest a table). */
function coverageLines(source: SweepResultSource, terminal: Terminal): string[] {
  const { summary } = source;
  const t = summary.targets;
  const out: string[] = [];
  if (source.gaps.length === 0) {
    out.push(t.total === 0 ? "Coverage: nothing was swept (no targets)" : "Coverage: complete (no gaps)");
  } else {
    const failed = summary.status === "failed";
    out.push(
      `Coverage: ${terminal.paint(failed ? ["bold", "red"] : "yellow", failed ? "FAILED" : "PARTIAL")}: ${countOf(source.gaps.length, "gap")}; what a gap hides is not judged`,
    );
    // A cloud the sweep had no identity for is one paragraph (where it looked, how to give one), not a table cell
    // cut at the terminal's edge.
    const noCredentials = source.gaps.filter((gap) => gap.code === "NoCredentials");
    for (const gap of noCredentials) out.push(`  ${oneLine(gap.message)}`);
    const others = source.gaps.filter((gap) => gap.code !== "NoCredentials");
    if (others.length > 0)
      out.push(
        renderTable(
          ["CLOUD", "ACCOUNT", "REGION", "SERVICE", "CODE", "MESSAGE"],
          others.map((gap) => [
            gap.provider,
            gap.account,
            gap.region ?? "-",
            gap.operation === undefined ? gap.service : `${gap.service}:${gap.operation}`,
            gap.code,
            oneLine(gap.message),
          ]),
          terminal,
          { indent: 2, fold: ["MESSAGE"] },
        ),
      );
  }
  return out;
}

/** A scanner notice as the stderr message a sweep writes once: what, and on the next line what to do. */
export function noticeText(notice: ScanNotice): string {
  const label = notice.kind === "warning" ? "warning" : "not read";
  return `aigov sweep: ${label}: ${notice.provider}: ${escapeControlCharacters(notice.message)}\n  hint: ${escapeControlCharacters(notice.hint)}`;
}

/**
 * `--format json`: `{run, summary, findings, assets, gaps}`, written piece by piece so a large estate is never one
 * string in memory. `findings` are what this run saw plus what it resolved (status "resolved"), each with its
 * `lifecycle`; `assets` are the normalized assets and keys (the AI bill of materials).
 */
export async function writeSweepJson(source: SweepResultSource, target: NodeJS.WritableStream | string): Promise<void> {
  const stream: NodeJS.WritableStream = typeof target === "string" ? createWriteStream(target) : target;
  // A file that fails (a full disk) says so on the next write, or at the end: never as an unhandled 'error' event.
  let failed: Error | undefined;
  if (typeof target === "string")
    stream.on("error", (error: Error) => {
      failed = error;
    });
  const send = (text: string) =>
    new Promise<void>((resolve, reject) => {
      if (failed !== undefined) return reject(failed);
      if (stream.write(text, (error) => (error ? reject(error) : undefined))) resolve();
      else stream.once("drain", resolve);
    });
  const run = { ...source.run, store: source.store };
  delete (run as { summary?: unknown }).summary;
  // Pieces are gathered into writes of about 64 KiB: a write per finding (a 1,000-account sweep has 119,000) costs
  // a promise, the stream's bookkeeping and, to a file, a system call each.
  const sendPending = () => {
    const chunk = pending;
    pending = "";
    return send(chunk);
  };
  /** A JSON array's items, one per line, each given as its JSON text. */
  const appendItems = async (items: Iterable<string>) => {
    let first = true;
    for (const item of items) {
      pending += `${first ? "\n" : ",\n"}${item}`;
      first = false;
      if (pending.length >= WRITE_CHUNK_CHARACTERS) await sendPending();
    }
  };
  let pending = `{"run":${JSON.stringify(run)},\n"summary":${JSON.stringify(source.summary)},\n"findings":[`;
  await appendItems(source.findingsJson?.() ?? jsonTexts(source.findings()));
  pending += `],\n"assets":[`;
  await appendItems(source.assetsJson?.() ?? jsonTexts(source.assets()));
  pending += `],\n"gaps":${JSON.stringify(source.gaps)}}\n`;
  await sendPending();
  if (typeof target === "string") {
    stream.end();
    await finished(stream);
  }
}

function* jsonTexts(items: Iterable<unknown>): Generator<string> {
  for (const item of items) yield JSON.stringify(item);
}

function* take<T>(items: Iterable<T>, limit: number): Generator<T> {
  if (limit <= 0) return;
  let count = 0;
  for (const item of items) {
    yield item;
    count += 1;
    if (count >= limit) return;
  }
}

function known(value: Maybe<string>): string {
  return isUnknown(value) ? "?" : value;
}

/** Cut to the terminal's width by the table, if at all: a log or a pipe keeps the whole message. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}
