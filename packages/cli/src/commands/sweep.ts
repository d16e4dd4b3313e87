import { loadPolicy } from "@aigov/core";
import type { Command } from "../command.ts";
import { executeSweep, SWEEP_OPTIONS } from "../sweep/sweep-execution.ts";
import { sweepTargets } from "../sweep/sweep-targets.ts";

export const command: Command = {
  name: "sweep",
  summary: "scan the configured clouds for AI, judge it, and record it in the store",
  usage: `aigov sweep [--policy aigov.yaml] [--store FILE] [--shard i/N] [--concurrency N] [--fail-on SEVERITY] [--fail-on-gaps]
            [--aws-account ID…] [--aws-organization] [--aws-role NAME|ARN-TEMPLATE] [--aws-external-id ID] [--aws-region R…|all-enabled]
            [--aws-endpoint URL] [--aws-read-ssm-parameter-values] [--keep-runs N] [--keep-days N] [--progress-interval SECONDS] [--no-export] [--format text|json] [--output FILE]

Targets come from the policy's targets: section (see docs/operations/README.md) or the --aws-* flags.
--shard i/N sweeps the targets whose key hashes to i of N (0-based), so N runners cover everything once.
--aws-read-ssm-parameter-values also reads SSM String/StringList values for AI keys (an opt-in: its permission can
read SecureStrings under the aws/ssm key; see docs/permissions/aws/README.md).
After the run, the findings go to every sink under the policy's sinks: (what changed since the last export), unless --no-export.
Exit codes: 0 no finding at or above the threshold, 1 some, 2 nothing could be swept (or gaps with --fail-on-gaps).`,
  options: {
    ...SWEEP_OPTIONS,
    "aws-account": { type: "string", multiple: true },
    "aws-organization": { type: "boolean" },
    "aws-role": { type: "string" },
    "aws-external-id": { type: "string" },
    "aws-region": { type: "string", multiple: true },
    "aws-endpoint": { type: "string" },
    "aws-read-ssm-parameter-values": { type: "boolean" },
  },
  async run(context) {
    const policy = await loadPolicy(context.stringOption("policy"), context.io.cwd);
    const list = (name: string) => {
      const value = context.options[name];
      return Array.isArray(value) ? value.map(String) : undefined;
    };
    const role = context.stringOption("aws-role");
    const externalId = context.stringOption("aws-external-id");
    const endpoint = context.stringOption("aws-endpoint");
    const accounts = list("aws-account");
    const regions = list("aws-region");
    const targets = sweepTargets(policy, {
      ...(accounts === undefined ? {} : { accounts }),
      ...(regions === undefined ? {} : { regions }),
      ...(context.options["aws-organization"] === true ? { organization: true } : {}),
      ...(role === undefined ? {} : { role }),
      ...(externalId === undefined ? {} : { externalId }),
      ...(endpoint === undefined ? {} : { endpoint }),
      ...(context.options["aws-read-ssm-parameter-values"] === true ? { readSsmParameterValues: true } : {}),
    });
    const store = {
      store: context.stringOption("store"),
      keepRuns: context.stringOption("keep-runs"),
      keepDays: context.stringOption("keep-days"),
    };
    return executeSweep(context, { policy, targets, store });
  },
};
