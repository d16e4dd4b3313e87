import { isUnknown, type RecordedGap, SEVERITIES, type Severity } from "@aigov/core";
import type { InventoryItem, StoredFinding } from "@aigov/store";
import { escapeHtml as e } from "./html-escape.ts";
import type { ReportData } from "./report-data.ts";
import { findingGroups, governanceSection, modelLines, UNGOVERNED_RULE } from "./report-governance.ts";
import { REPORT_SCRIPT } from "./report-script.ts";
import { REPORT_STYLE } from "./report-style.ts";
import { horizontalBars, stackedColumns } from "./svg-chart.ts";

export const SEVERITY_COLORS: Readonly<Record<Severity, string>> = {
  critical: "#7f1d1d",
  high: "#dc2626",
  medium: "#f59e0b",
  low: "#3b82f6",
  info: "#9ca3af",
};

const BY_SEVERITY_DESC = [...SEVERITIES].reverse();

/**
 * One self-contained HTML page: inline CSS, inline script, inline SVG, and a Content-Security-Policy that forbids
 * any request, so it opens offline, from an email attachment or a CI artifact, and leaks nothing when opened.
 * The numbers a test or a reader checks carry ids (`#n-findings-active`, `#n-assets` …).
 */
export function renderReport(data: ReportData): string {
  const active = data.findings.filter((finding) => finding.lifecycle.state !== "resolved");
  const resolved = data.findings.length - active.length;
  const bySeverity = Object.fromEntries(
    SEVERITIES.map((s) => [s, active.filter((f) => f.severity === s).length]),
  ) as Record<Severity, number>;
  const assets = data.assets.filter((asset) => asset.subject === "asset").length;
  const keys = data.assets.length - assets;
  const targetStatus = (status: string) => data.targets.filter((target) => target.status === status).length;
  const latest = data.latestRun;
  const kinds = countBy(data.assets, (asset) => asset.kind);
  const ungoverned = new Set(
    active.filter((finding) => finding.ruleId === UNGOVERNED_RULE).map((finding) => finding.subject.id),
  ).size;
  const unapprovedModels = modelLines(data).filter((line) => !line.approved).length;
  const change = data.trends.at(-1);

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>aigov report</title>
<style>${REPORT_STYLE}</style>
</head>
<body>
<header>
  <h1>aigov report</h1>
  <p class="muted">Generated ${date(data.generatedAt)} from <code>${e(data.store)}</code>${
    latest === undefined
      ? " · no finished run yet"
      : ` · latest run <b id="latest-run">#${latest.id}</b> (${e(latest.status)}, ${date(latest.startedAt)})`
  }</p>
  <nav><a href="#governance">Ownership</a> <a href="#models">Models</a> <a href="#findings">Findings</a> <a href="#inventory">AI inventory</a> <a href="#coverage">Coverage</a> <a href="#trends">Trends</a></nav>
</header>
<main>
<section class="cards">
  ${card("AI assets", assets, "n-assets")}
  ${card("Ungoverned AI", ungoverned, "n-ungoverned", ungoverned > 0 ? SEVERITY_COLORS.high : undefined)}
  ${card("Unapproved models", unapprovedModels, "n-unapproved-models", unapprovedModels > 0 ? SEVERITY_COLORS.high : undefined)}
  ${card("AI keys", keys, "n-keys")}
  ${card("Active findings", active.length, "n-findings-active")}
  ${BY_SEVERITY_DESC.filter((s) => s === "critical" || s === "high")
    .map((s) => card(s[0]!.toUpperCase() + s.slice(1), bySeverity[s], `n-severity-${s}`, SEVERITY_COLORS[s]))
    .join("\n  ")}
  ${card("Resolved", resolved, "n-findings-resolved")}
  ${card("Targets", data.targets.length, "n-targets")}
  ${card("Coverage gaps", data.gaps.length, "n-gaps", data.gaps.length > 0 ? SEVERITY_COLORS.medium : undefined)}
</section>
${
  change === undefined
    ? ""
    : `<p class="lead" id="since-last-run">What the latest run changed: <b id="n-new">${change.new}</b> new, <b id="n-reopened">${change.reopened}</b> reopened, <b id="n-resolved-last">${change.resolved}</b> resolved.</p>`
}
${governanceSection(data)}

<section class="charts">
  <figure><figcaption>Active findings by severity</figcaption>${horizontalBars(
    "Active findings by severity",
    BY_SEVERITY_DESC.map((s) => ({ label: s, value: bySeverity[s], color: SEVERITY_COLORS[s] })),
  )}</figure>
  <figure><figcaption>AI inventory by kind</figcaption>${horizontalBars(
    "AI inventory by kind",
    kinds.map(([kind, count]) => ({ label: kind, value: count, color: "#0f766e" })),
  )}</figure>
</section>

<section id="findings">
  <h2>Findings</h2>
  ${findingGroups(active)}
  <h3>Every finding</h3>
  <div class="filters" data-table="findings-table">
    ${select("severity", "Severity", BY_SEVERITY_DESC)}
    ${select("state", "State", ["active", "new", "open", "reopened", "waived", "resolved"], "active")}
    ${select("provider", "Cloud", unique(data.findings.map((f) => f.subject.provider)))}
    ${select("account", "Account", unique(data.findings.map((f) => text(f.subject.account))))}
    ${select("rule", "Rule", unique(data.findings.map((f) => f.ruleId)))}
    <label>Search <input type="search" data-filter="text" placeholder="name, id, message"></label>
    <span class="muted">Showing <b id="findings-shown">${active.length}</b> of ${data.findings.length}</span>
  </div>
  <table id="findings-table">
    <thead><tr><th>Severity</th><th>State</th><th>Rule</th><th>Subject</th><th>Where</th><th>First seen</th><th>Last seen</th></tr></thead>
    <tbody>
${data.findings.map(findingRow).join("\n")}
    </tbody>
  </table>
</section>

<section id="inventory">
  <h2>AI inventory (bill of materials)</h2>
  <div class="filters" data-table="inventory-table">
    ${select("provider", "Cloud", unique(data.assets.map((a) => a.provider)))}
    ${select("account", "Account", unique(data.assets.map((a) => text(a.account))))}
    ${select("kind", "Kind", unique(data.assets.map((a) => a.kind)))}
    <label>Search <input type="search" data-filter="text" placeholder="name, type, model"></label>
    <span class="muted">Showing <b id="inventory-shown">${data.assets.length}</b> of ${data.assets.length}</span>
  </div>
  <table id="inventory-table">
    <thead><tr><th>Cloud</th><th>Account</th><th>Region</th><th>Kind</th><th>Type</th><th>Name</th><th>Models / key</th><th>Owner</th><th>Public</th></tr></thead>
    <tbody>
${data.assets.map(assetRow).join("\n")}
    </tbody>
  </table>
</section>

<section id="coverage">
  <h2>Coverage</h2>
  <p>${data.targets.length} targets: <b id="n-targets-complete">${targetStatus("complete")}</b> complete, <b id="n-targets-partial">${targetStatus("partial")}</b> partial, <b id="n-targets-failed">${targetStatus("failed")}</b> failed. ${
    data.gaps.length === 0
      ? "No coverage gaps."
      : "What a gap hides is not judged: a partial target's findings are never marked resolved."
  }</p>
  ${data.gaps.length === 0 ? "" : gapTable(data.gaps)}
  <details><summary>Targets</summary>
  <table id="targets-table"><thead><tr><th>Target</th><th>Label</th><th>Status</th><th>Assets</th><th>Run</th><th>Swept</th></tr></thead><tbody>
${data.targets.map((t) => `<tr><td><code>${e(t.key)}</code></td><td>${e(t.label)}</td><td class="status-${e(t.status)}">${e(t.status)}</td><td>${t.assets}</td><td>#${t.run}</td><td class="date">${date(t.sweptAt)}</td></tr>`).join("\n")}
  </tbody></table></details>
</section>

<section id="trends">
  <h2>Trends over runs</h2>
  <figure><figcaption>Findings seen per run, by severity</figcaption>${stackedColumns(
    "Findings per run",
    data.trends.map((t) => ({
      label: `#${t.run}`,
      parts: SEVERITIES.map((s) => ({ name: s, value: t.bySeverity[s], color: SEVERITY_COLORS[s] })),
    })),
  )}</figure>
  <table id="runs-table"><thead><tr><th>Run</th><th>Started</th><th>Status</th><th>Shard</th><th>Targets</th><th>Assets</th><th>Findings</th><th>New</th><th>Reopened</th><th>Resolved</th><th>Gaps</th></tr></thead><tbody>
${[...data.trends]
  .reverse()
  .map(
    (t) =>
      `<tr><td>#${t.run}</td><td class="date">${date(t.startedAt)}</td><td class="status-${e(t.status)}">${e(t.status)}</td><td>${e(t.shard ?? "")}</td><td>${t.targets}</td><td>${t.assets}</td><td>${SEVERITIES.reduce((sum, s) => sum + t.bySeverity[s], 0)}</td><td>${t.new}</td><td>${t.reopened}</td><td>${t.resolved}</td><td>${t.gaps}</td></tr>`,
  )
  .join("\n")}
  </tbody></table>
</section>
</main>
<script>${REPORT_SCRIPT}</script>
</body>
</html>
`;
}

function card(label: string, value: number, id: string, color?: string): string {
  return `<div class="card"${color === undefined ? "" : ` style="border-top-color:${color}"`}><div class="n" id="${id}">${value}</div><div class="label">${e(label)}</div></div>`;
}

function select(name: string, label: string, values: readonly string[], selected = ""): string {
  const options = ["", ...values]
    .map(
      (value) =>
        `<option value="${e(value)}"${value === selected ? " selected" : ""}>${value === "" ? "all" : e(value)}</option>`,
    )
    .join("");
  return `<label>${e(label)} <select data-filter="${e(name)}">${options}</select></label>`;
}

function findingRow(finding: StoredFinding): string {
  const state = finding.lifecycle.state;
  const where = `${finding.subject.provider} ${text(finding.subject.account)}\u00a0${text(finding.subject.region)}`;
  const search =
    `${finding.ruleId} ${finding.title} ${finding.subject.name} ${finding.subject.id} ${finding.message}`.toLowerCase();
  // Evidence as facts a reader checks: "owner is absent, expected to exist", not a JSON dump.
  const evidence = finding.evidence
    .map(
      (item) =>
        `<li><code>${e(item.field)}</code> is <b>${e(readableValue(item.value))}</b><span class="muted">, expected ${e(readableExpectation(item.expected))}</span></li>`,
    )
    .join("");
  return `<tr class="finding" data-severity="${e(finding.severity)}" data-state="${e(state)}" data-provider="${e(finding.subject.provider)}" data-account="${e(text(finding.subject.account))}" data-rule="${e(finding.ruleId)}" data-text="${e(search)}"${state === "resolved" ? " hidden" : ""}>
<td><span class="sev sev-${e(finding.severity)}">${e(finding.severity)}</span></td><td class="state-${e(state)}">${e(state)}${finding.status === "unknown" ? " (unknown)" : ""}</td>
<td><details><summary><code>${e(finding.ruleId)}</code> ${e(finding.title)}</summary><p>${e(finding.message)}</p>${evidence === "" ? "" : `<ul>${evidence}</ul>`}<p><b>Fix:</b> ${e(finding.remediation.text)}</p>${
    finding.remediation.cli === undefined ? "" : `<pre>${e(finding.remediation.cli)}</pre>`
  }<p class="muted">id ${e(finding.id)}</p></details></td>
<td>${e(finding.subject.name)}<div class="muted small">${e(finding.subject.nativeType)}</div></td><td>${e(where)}</td><td class="date">${date(finding.lifecycle.firstSeen)}</td><td class="date">${date(finding.lifecycle.lastSeen)}</td></tr>`;
}

function assetRow(asset: InventoryItem): string {
  const detail =
    asset.subject === "key"
      ? `${asset.vendor}${asset.redacted === undefined ? "" : ` <code>${e(asset.redacted)}</code>`}`
      : asset.models === undefined || isUnknown(asset.models)
        ? ""
        : asset.models.map((model) => `<code>${e(model)}</code>`).join(" ");
  const owner = asset.subject === "asset" && asset.owner !== undefined ? text(asset.owner) : "";
  const isPublic =
    asset.subject === "asset" && asset.public !== undefined
      ? isUnknown(asset.public)
        ? "unknown"
        : asset.public
          ? "yes"
          : "no"
      : "";
  const search =
    `${asset.name} ${asset.type} ${asset.id} ${asset.subject === "asset" && Array.isArray(asset.models) ? asset.models.join(" ") : ""}`.toLowerCase();
  return `<tr data-provider="${e(asset.provider)}" data-account="${e(text(asset.account))}" data-kind="${e(asset.kind)}" data-text="${e(search)}"><td>${e(asset.provider)}</td><td>${e(text(asset.account))}</td><td>${e(text(asset.region))}</td><td>${e(asset.kind)}</td><td class="small">${e(asset.type)}</td><td title="${e(asset.id)}">${e(asset.name)}</td><td>${detail}</td><td>${e(owner)}</td><td>${e(isPublic)}</td></tr>`;
}

function gapTable(gaps: readonly RecordedGap[]): string {
  const rows = gaps
    .map(
      (gap) =>
        `<tr><td>${e(gap.provider)}</td><td>${e(gap.account)}</td><td>${e(gap.region ?? "")}</td><td>${e(gap.operation === undefined ? gap.service : `${gap.service}:${gap.operation}`)}</td><td><code>${e(gap.code)}</code></td><td class="small">${e(gap.message)}</td></tr>`,
    )
    .join("\n");
  return `<table id="gaps-table"><thead><tr><th>Cloud</th><th>Account</th><th>Region</th><th>Service</th><th>Code</th><th>Message</th></tr></thead><tbody>\n${rows}\n</tbody></table>`;
}

/** A value as a sentence reads it: strings unquoted, lists with commas, objects as `key: value`; never JSON. */
function readableValue(value: unknown): string {
  if (value === undefined || value === null) return "absent";
  if (isUnknown(value)) return "unknown";
  if (Array.isArray(value)) return value.length === 0 ? "none" : value.map(readableValue).join(", ");
  if (typeof value === "object")
    return Object.entries(value)
      .map(([key, item]) => `${key}: ${readableValue(item)}`)
      .join("; ");
  return String(value);
}

/** The engine's expectation (`in ["a","b"]`) with its JSON lists read out: `in a, b`. */
function readableExpectation(text: string): string {
  return text.replace(/\[(?:"(?:[^"\\]|\\.)*"(?:,\s*"(?:[^"\\]|\\.)*")*)?\]/g, (list) =>
    readableValue(JSON.parse(list) as unknown),
  );
}

/** `2026-12-05 06:40 UTC`: minutes are what a reader compares, and the cell never wraps. */
function date(iso: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
  return `<time datetime="${e(iso)}">${e(match === null ? iso : `${match[1]} ${match[2]} UTC`)}</time>`;
}

function text(value: unknown): string {
  if (value === undefined || value === null) return "";
  return isUnknown(value) ? "unknown" : String(value);
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values.filter((value) => value !== ""))].sort();
}

function countBy<T>(items: readonly T[], key: (item: T) => string): [string, number][] {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}
