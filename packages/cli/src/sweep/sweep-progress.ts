import { countOf } from "../count-text.ts";
import { type StatusDisplay, showStatusLine } from "../status-line.ts";
import type { SweepProgress } from "./sweep-run.ts";

/** A sweep's progress on stderr (see showStatusLine). */
export function showProgress(
  progress: SweepProgress,
  stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number },
  options: { intervalMs?: number; tty?: boolean } = {},
): StatusDisplay {
  return showStatusLine(() => progressLine(progress, Date.now()), "aigov sweep", stream, options);
}

export function progressLine(progress: SweepProgress, now: number): string {
  const elapsed = now - progress.startedAt;
  const total = progress.targetsTotal;
  const targets =
    total === undefined
      ? `${progress.targetsDone}/${progress.targetsSeen}+ targets`
      : `${progress.targetsDone}/${total} targets`;
  const bar = total === undefined || total === 0 ? "" : `${renderBar(progress.targetsDone / total, 20)} `;
  return `${bar}${targets} · ${countOf(progress.assets, "asset")} · ${countOf(progress.findings, "finding")} · ${progress.apiCalls} API calls · ${countOf(progress.errors, "error")} · ${formatDuration(elapsed)} elapsed${eta(progress, elapsed)}`;
}

function eta(progress: SweepProgress, elapsed: number): string {
  const total = progress.targetsTotal;
  if (total === undefined || progress.targetsDone === 0 || progress.targetsDone >= total) return "";
  return ` · ETA ${formatDuration((elapsed / progress.targetsDone) * (total - progress.targetsDone))}`;
}

function renderBar(fraction: number, width: number): string {
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
  return `[${"#".repeat(filled)}${".".repeat(width - filled)}]`;
}

export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(seconds % 60).padStart(2, "0")}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, "0")}m`;
}
