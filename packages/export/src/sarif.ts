import { isAbsolute, relative, sep } from "node:path";
import { pathToFileURL } from "node:url";
import type { Finding, Severity } from "@aigov/core";
import type { Log, ReportingDescriptor, Result } from "sarif";
import { PRODUCT } from "./product.ts";

/** Rule metadata SARIF shows beside results; a core `Rule` fits. Without it, a finding's own copy is used. */
export interface SarifRuleInfo {
  readonly id: string;
  readonly title: string;
  readonly severity: Severity;
  readonly description?: string;
  readonly risk?: string;
  readonly remediation: { readonly text: string; readonly terraform?: string; readonly cli?: string };
  readonly references: readonly string[];
  readonly frameworks: Readonly<Record<string, readonly string[]>>;
}

export interface SarifOptions {
  /** Rules that produced the findings (for full descriptions); optional. */
  readonly rules?: readonly SarifRuleInfo[];
  /** The file a finding without a source file points to (GitHub needs a location on every result). */
  readonly defaultUri?: string;
  /** Files inside this directory are named relative to it, as code scanning finds them in the repository (default: the working directory). */
  readonly baseDir?: string;
  readonly informationUri?: string;
}

/** GitHub code scanning reads `security-severity` (0.1–3.9 low, 4–6.9 medium, 7–8.9 high, 9+ critical). */
const SECURITY_SEVERITY: Readonly<Record<Severity, string>> = {
  info: "0.0",
  low: "3.0",
  medium: "5.5",
  high: "8.0",
  critical: "9.5",
};
const LEVEL: Readonly<Record<Severity, Result.level>> = {
  info: "note",
  low: "note",
  medium: "warning",
  high: "error",
  critical: "error",
};

function ruleDescriptor(rule: SarifRuleInfo): ReportingDescriptor {
  const remediation = [
    rule.remediation.text,
    rule.remediation.terraform && `Terraform:\n\n\`\`\`hcl\n${rule.remediation.terraform.trimEnd()}\n\`\`\``,
    rule.remediation.cli && `CLI: \`${rule.remediation.cli}\``,
  ]
    .filter((part): part is string => typeof part === "string" && part !== "")
    .join("\n\n");
  const frameworkTags = Object.entries(rule.frameworks).flatMap(([framework, controls]) =>
    controls.map((control) => `${framework}/${control}`),
  );
  return {
    id: rule.id,
    name: rule.id.replace(/(^|-)([a-z0-9])/g, (_, __, letter: string) => letter.toUpperCase()),
    shortDescription: { text: rule.title },
    fullDescription: { text: [rule.description, rule.risk].filter(Boolean).join(" ").trim() || rule.title },
    help: { text: remediation, markdown: remediation },
    ...(rule.references[0] === undefined ? {} : { helpUri: rule.references[0] }),
    defaultConfiguration: { level: LEVEL[rule.severity] },
    properties: {
      tags: ["security", "ai-governance", ...frameworkTags],
      "security-severity": SECURITY_SEVERITY[rule.severity],
      precision: "high",
      "problem.severity": LEVEL[rule.severity] === "note" ? "recommendation" : LEVEL[rule.severity],
    },
  };
}

/**
 * A file as a URI reference: relative to the base directory when inside it, else a file: URI (SARIF forbids a
 * relative reference that starts with a slash). Forward slashes; spaces and `<stdin>` percent-encoded.
 */
function fileUri(file: string, baseDir: string): string {
  if (!isAbsolute(file)) return relativeReference(file);
  const inside = relative(baseDir, file);
  return inside !== "" && !inside.startsWith("..") && !isAbsolute(inside)
    ? relativeReference(inside.split(sep).join("/"))
    : pathToFileURL(file).href;
}

/** A cloud resource (an ARN, an Azure id, `principal=…`) has no file: its id, made a valid relative reference. */
function subjectUri(id: string): string {
  return relativeReference(id.replace(/^[\\/]+/, ""));
}

/**
 * A path as a relative reference: each segment percent-encoded whole, so the colons of an ARN (RFC 3986: a relative
 * reference's first segment has none) and an id's `#` or `?` stay part of the path.
 */
function relativeReference(path: string): string {
  return path.replace(/\\/g, "/").split("/").map(encodeURIComponent).join("/");
}

/** SARIF 2.1.0 for GitHub code scanning: one run, rule metadata, stable fingerprints, waivers as suppressions. */
export function toSarif(findings: readonly Finding[], options: SarifOptions = {}): Log {
  const byId = new Map<string, SarifRuleInfo>();
  for (const rule of options.rules ?? []) byId.set(rule.id, rule);
  for (const finding of findings) {
    if (!byId.has(finding.ruleId)) {
      byId.set(finding.ruleId, {
        id: finding.ruleId,
        title: finding.title,
        severity: finding.severity,
        remediation: finding.remediation,
        references: finding.references,
        frameworks: finding.frameworks,
      });
    }
  }
  const used = [...new Set(findings.map((finding) => finding.ruleId))].sort();
  const descriptors = used.map((id) => ruleDescriptor(byId.get(id)!));
  const index = new Map(used.map((id, position) => [id, position]));
  const results: Result[] = findings.map((finding) => {
    const file = finding.source?.file ?? options.defaultUri;
    const uri = file === undefined ? subjectUri(finding.subject.id) : fileUri(file, options.baseDir ?? process.cwd());
    const fix = finding.remediation.text;
    const result: Result = {
      ruleId: finding.ruleId,
      ruleIndex: index.get(finding.ruleId)!,
      level: LEVEL[finding.severity],
      kind: finding.status === "unknown" ? "review" : "fail",
      message: { text: `${finding.message}. Fix: ${fix}` },
      locations: [
        {
          physicalLocation: { artifactLocation: { uri }, region: { startLine: finding.source?.line ?? 1 } },
          logicalLocations: [{ fullyQualifiedName: finding.source?.path ?? finding.subject.id, kind: "resource" }],
        },
      ],
      // The finding id hashes rule + subject identity: the same alert across runs, branches and machines.
      partialFingerprints: { "aigovFindingId/v1": finding.id },
      properties: {
        status: finding.status,
        severity: finding.severity,
        subject: finding.subject.id,
        ...(finding.change === undefined ? {} : { change: finding.change.action }),
      },
    };
    if (finding.waiver !== undefined && finding.status === "waived") {
      result.suppressions = [
        {
          kind: "external",
          status: "accepted",
          justification: `${finding.waiver.reason} (approved by ${finding.waiver.approver}${finding.waiver.expires === undefined ? "" : `, expires ${finding.waiver.expires}`})`,
        },
      ];
    }
    return result;
  });
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: PRODUCT.name,
            version: PRODUCT.version,
            semanticVersion: PRODUCT.version,
            informationUri: options.informationUri ?? "https://github.com/aigov/aigov",
            rules: descriptors,
          },
        },
        results,
        columnKind: "utf16CodeUnits",
      },
    ],
  };
}
