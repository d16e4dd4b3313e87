import type { Asset, ScanItem } from "@aigov/core";

/** The agent types whose role the sweep reads, and where each keeps it. */
const ROLE_FIELD: Readonly<Record<string, string>> = {
  "AWS::Bedrock::Agent": "agentResourceRoleArn",
  "AWS::BedrockAgentCore::Runtime": "roleArn",
};

/**
 * Agents of a region target that act as the same IAM role. The agents are held back until the region's collectors
 * finish (there are few), then released with `native.executionRoleShared` and the other agents' ids
 * (`native.executionRoleSharedWith`). Agents of other regions sharing the role are not seen: IAM roles are global,
 * the sweep's targets regional.
 */
export class SharedAgentRoles {
  private readonly held: Asset[] = [];

  /** The item to pass on now, or undefined when it is an agent held back. */
  pass(item: ScanItem): ScanItem | undefined {
    if (item.type !== "subject" || item.subject.subject !== "asset") return item;
    const field = ROLE_FIELD[item.subject.type];
    if (field === undefined || typeof item.subject.native[field] !== "string") return item;
    this.held.push(item.subject);
    return undefined;
  }

  *release(): Generator<ScanItem> {
    const byRole = new Map<string, Asset[]>();
    for (const agent of this.held) {
      const role = String(agent.native[ROLE_FIELD[agent.type] ?? ""]);
      byRole.set(role, [...(byRole.get(role) ?? []), agent]);
    }
    for (const agent of this.held) {
      const others = (byRole.get(String(agent.native[ROLE_FIELD[agent.type] ?? ""])) ?? []).filter((a) => a !== agent);
      const native = {
        ...agent.native,
        executionRoleShared: others.length > 0,
        executionRoleSharedWith: others.map((a) => a.id),
      };
      yield { type: "subject", subject: { ...agent, native } };
    }
  }
}
