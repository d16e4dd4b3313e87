import { compileGlobs, isUnknown, type Provider, SEVERITIES, type Severity } from "@aigov/core";
import type { InventoryItem, StoredFinding } from "@aigov/store";
import { escapeHtml as e } from "./html-escape.ts";
import type { ReportData } from "./report-data.ts";

/** The rule whose finding says an AI resource has no owner and is not in the registry: shadow AI. */
export const UNGOVERNED_RULE = "ai-resource-ungoverned";

/** The rule whose finding says an AI resource serves a model the policy does not approve. */
const MODEL_NOT_APPROVED_RULE = "ai-model-not-approved";

/** What a security lead asks first: per cloud and account, how much AI runs there and how much of it is governed. */
export interface AccountLine {
  readonly provider: Provider;
  readonly account: string;
  readonly assets: number;
  readonly ungoverned: number;
  readonly keys: number;
  readonly active: Readonly<Record<Severity, number>>;
}

export function accountLines(data: ReportData): AccountLine[] {
  const ungovernedIds = new Set(
    data.findings
      .filter((finding) => finding.ruleId === UNGOVERNED_RULE && finding.lifecycle.state !== "resolved")
      .map((finding) => finding.subject.id),
  );
  const lines = new Map<string, AccountLine & { active: Record<Severity, number> }>();
  const line = (provider: Provider, account: string) => {
    const key = `${provider}\u0000${account}`;
    let found = lines.get(key);
    if (found === undefined) {
      found = {
        provider,
        account,
        assets: 0,
        ungoverned: 0,
        keys: 0,
        active: { info: 0, low: 0, medium: 0, high: 0, critical: 0 },
      };
      lines.set(key, found);
    }
    return found;
  };
  const counts = new Map<AccountLine, { assets: number; ungoverned: number; keys: number }>();
  for (const asset of data.assets) {
    const target = line(asset.provider, known(asset.account));
    const count = counts.get(target) ?? { assets: 0, ungoverned: 0, keys: 0 };
    if (asset.subject === "key") count.keys += 1;
    else {
      count.assets += 1;
      if (ungovernedIds.has(asset.id)) count.ungoverned += 1;
    }
    counts.set(target, count);
  }
  for (const finding of data.findings)
    if (finding.lifecycle.state !== "resolved")
      line(finding.subject.provider, known(finding.subject.account)).active[finding.severity] += 1;
  return [...lines.values()]
    .map((entry) => ({ ...entry, ...(counts.get(entry) ?? { assets: 0, ungoverned: 0, keys: 0 }) }))
    .sort((a, b) => b.ungoverned - a.ungoverned || b.assets - a.assets || a.account.localeCompare(b.account));
}

/** A model in use: where, on how many assets, and whether the policy approves it in that cloud. */
export interface ModelLine {
  readonly model: string;
  readonly provider: Provider;
  readonly approved: boolean;
  readonly assets: number;
  readonly accounts: readonly string[];
}

/**
 * Approved: the policy the report is made with approves it, and the sweep (which may have run with another policy)
 * flagged none of the assets serving it.
 */
export function modelLines(data: ReportData): ModelLine[] {
  const flagged = new Set(
    data.findings
      .filter((finding) => finding.ruleId === MODEL_NOT_APPROVED_RULE && finding.lifecycle.state !== "resolved")
      .map((finding) => finding.subject.id),
  );
  const lines = new Map<
    string,
    { model: string; provider: Provider; assets: number; flagged: number; accounts: Set<string> }
  >();
  for (const asset of data.assets) {
    if (asset.subject !== "asset" || asset.models === undefined || isUnknown(asset.models)) continue;
    for (const model of asset.models) {
      const key = `${asset.provider}\u0000${model}`;
      const line = lines.get(key) ?? {
        model,
        provider: asset.provider,
        assets: 0,
        flagged: 0,
        accounts: new Set<string>(),
      };
      line.assets += 1;
      if (flagged.has(asset.id)) line.flagged += 1;
      line.accounts.add(known(asset.account));
      lines.set(key, line);
    }
  }
  const matchers = new Map<Provider, (model: string) => boolean>();
  const approvedIn = (provider: Provider) => {
    let matcher = matchers.get(provider);
    if (matcher === undefined) {
      matcher = compileGlobs(data.approvedModels[provider]);
      matchers.set(provider, matcher);
    }
    return matcher;
  };
  return [...lines.values()]
    .map((line) => ({
      model: line.model,
      provider: line.provider,
      approved: line.flagged === 0 && approvedIn(line.provider)(line.model),
      assets: line.assets,
      accounts: [...line.accounts].sort(),
    }))
    .sort((a, b) => Number(a.approved) - Number(b.approved) || b.assets - a.assets || a.model.localeCompare(b.model));
}

/** The section the report opens with. */
export function governanceSection(data: ReportData): string {
  const accounts = accountLines(data);
  const models = modelLines(data);
  const rows = accounts
    .map((line) => {
      const governed = line.assets - line.ungoverned;
      const share = line.assets === 0 ? 100 : Math.round((governed / line.assets) * 100);
      return `<tr data-account="${e(line.account)}"><td>${e(line.provider)}</td><td><code>${e(line.account)}</code></td><td class="num">${line.assets}</td><td class="num">${governed}</td><td class="num${line.ungoverned > 0 ? " bad" : ""}">${line.ungoverned}</td><td><div class="meter" title="${share}% governed"><span style="width:${share}%"></span></div></td><td class="num">${line.keys}</td><td class="num">${severityCounts(line.active)}</td></tr>`;
    })
    .join("\n");
  // An account the sweep could not enter has no AI to count: it is listed as unknown, never left out.
  const seen = new Set(accounts.map((line) => `${line.provider}\u0000${line.account}`));
  const unswept = new Map<string, string>();
  for (const gap of data.gaps) {
    const key = `${gap.provider}\u0000${gap.account}`;
    if (gap.account === "unknown" || seen.has(key) || unswept.has(key)) continue;
    unswept.set(
      key,
      `<tr data-account="${e(gap.account)}" class="unswept"><td>${e(gap.provider)}</td><td><code>${e(gap.account)}</code></td><td colspan="6" class="bad">not swept: <code>${e(gap.code)}</code> (see Coverage); its AI is unknown</td></tr>`,
    );
  }
  const modelRows = models
    .map(
      (line) =>
        `<tr data-approved="${line.approved}"><td><code>${e(line.model)}</code></td><td>${e(line.provider)}</td><td>${line.approved ? '<span class="ok">approved</span>' : '<span class="bad">not approved</span>'}</td><td class="num">${line.assets}</td><td>${line.accounts.map((account) => `<code>${e(account)}</code>`).join(" ")}</td></tr>`,
    )
    .join("\n");
  const unapproved = models.filter((line) => !line.approved).length;
  return `<section id="governance">
  <h2>Where AI runs, and who owns it</h2>
  <p class="lead">AI assets per cloud and account: <b>governed</b> ones have an owner or are in the AI registry; <b>ungoverned</b> ones are shadow AI (rule <code>${UNGOVERNED_RULE}</code>).</p>
  <table id="governance-table"><thead><tr><th>Cloud</th><th>Account</th><th class="num">AI assets</th><th class="num">Governed</th><th class="num">Ungoverned</th><th>Governed share</th><th class="num">AI keys</th><th class="num">Active findings</th></tr></thead><tbody>
${rows}
${[...unswept.values()].join("\n")}
  </tbody></table>
  <h2 id="models">Models in use</h2>
  <p class="lead"><b id="n-models">${models.length}</b> models, <b id="n-models-unapproved">${unapproved}</b> not approved (the policy's <code>approved_models</code>, and rule <code>${MODEL_NOT_APPROVED_RULE}</code> in the sweeps).</p>
  <table id="models-table"><thead><tr><th>Model</th><th>Cloud</th><th>Approval</th><th class="num">Assets</th><th>Accounts</th></tr></thead><tbody>
${modelRows}
  </tbody></table>
</section>`;
}

/** Active findings grouped by rule (what kind of problem) and by resource (what to fix first). */
export function findingGroups(active: readonly StoredFinding[]): string {
  const byRule = group(active, (finding) => finding.ruleId);
  const byResource = group(active, (finding) => finding.subject.id);
  const ruleRows = byRule
    .map(({ findings }) => {
      const first = findings[0]!;
      const resources = new Set(findings.map((finding) => finding.subject.id)).size;
      return `<tr><td><span class="sev sev-${e(first.severity)}">${e(first.severity)}</span></td><td><code>${e(first.ruleId)}</code><div>${e(first.title)}</div></td><td class="num">${findings.length}</td><td class="num">${resources}</td></tr>`;
    })
    .join("\n");
  const resourceRows = byResource
    .slice(0, 25)
    .map(({ findings }) => {
      const subject = findings[0]!.subject;
      const rules = findings.map((finding) => `<code>${e(finding.ruleId)}</code>`).join(", ");
      return `<tr><td><span class="sev sev-${e(worst(findings))}">${e(worst(findings))}</span></td><td>${e(subject.name)}<div class="muted small">${e(subject.nativeType)}</div></td><td class="nowrap">${e(subject.provider)} <code>${e(known(subject.account))}</code></td><td class="num">${findings.length}</td><td>${rules}</td></tr>`;
    })
    .join("\n");
  return `<div class="groups">
  <div><h3>By rule</h3><table id="rules-table"><thead><tr><th>Severity</th><th>Rule</th><th class="num">Findings</th><th class="num">Resources</th></tr></thead><tbody>
${ruleRows}
  </tbody></table></div>
  <div><h3>By resource${byResource.length > 25 ? ` (the 25 worst of ${byResource.length})` : ""}</h3><table id="resources-table"><thead><tr><th>Worst</th><th>Resource</th><th>Where</th><th class="num">Findings</th><th>Rules</th></tr></thead><tbody>
${resourceRows}
  </tbody></table></div>
</div>`;
}

function group(findings: readonly StoredFinding[], key: (finding: StoredFinding) => string) {
  const groups = new Map<string, StoredFinding[]>();
  for (const finding of findings) {
    const list = groups.get(key(finding)) ?? [];
    list.push(finding);
    groups.set(key(finding), list);
  }
  return [...groups.values()]
    .map((list) => ({ findings: list, rank: SEVERITIES.indexOf(worst(list)) }))
    .sort((a, b) => b.rank - a.rank || b.findings.length - a.findings.length);
}

function worst(findings: readonly StoredFinding[]): Severity {
  return findings.reduce<Severity>(
    (max, finding) => (SEVERITIES.indexOf(finding.severity) > SEVERITIES.indexOf(max) ? finding.severity : max),
    "info",
  );
}

function severityCounts(counts: Readonly<Record<Severity, number>>): string {
  const parts = [...SEVERITIES]
    .reverse()
    .filter((severity) => counts[severity] > 0)
    .map((severity) => `<span class="sev sev-${severity}" title="${severity}">${counts[severity]}</span>`);
  return parts.length === 0 ? "0" : parts.join(" ");
}

function known(value: InventoryItem["account"]): string {
  return isUnknown(value) ? "unknown" : value;
}
