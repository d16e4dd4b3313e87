import { escapeControlCharacters } from "@aigov/core";
import type { RunTaskEvent } from "./server.ts";

/**
 * One log line for a run task event: `run-task result 200 [run-1 acme/prod]: passed: …`. Run ids, workspace names
 * and messages come from requests and from HCP Terraform's answers, so each is escaped: a value cannot end the
 * line and write one of its own.
 */
export function formatRunTaskEvent(event: RunTaskEvent): string {
  const where = [event.runId, event.workspace]
    .filter((part) => part !== undefined)
    .map(escapeControlCharacters)
    .join(" ");
  const status = event.status === undefined ? "" : ` ${event.status}`;
  return `run-task ${event.kind}${status}${where === "" ? "" : ` [${where}]`}: ${escapeControlCharacters(event.message)}`;
}
