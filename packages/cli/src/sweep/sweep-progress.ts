import type { SweepProgress } from "./sweep-run.ts";

export interface ProgressDisplay {
  stop(): void;
}

/**
 * Progress on stderr while a sweep runs: a redrawn line on a terminal, a plain line every `intervalMs` otherwise
 * (CI logs and `kubectl logs` keep every line, so they get fewer of them).
 */
export function showProgress(
  progress: SweepProgress,
  stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number },
  options: { intervalMs?: number; tty?: boolean } = {},
): ProgressDisplay {
  const tty = options.tty ?? stream.isTTY === true;
  const interval = options.intervalMs ?? (tty ? 100 : 10_000);
  const timer = setInterval(() => {
    const line = progressLine(progress, Date.now());
    if (tty) stream.write(`\r\x1b[K${line.slice(0, Math.max(20, (stream.columns || 120) - 1))}`);
    else stream.write(`aigov sweep: ${line}\n`);
  }, interval);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      if (tty) stream.write("\r\x1b[K");
    },
  };
}

export function progressLine(progress: SweepProgress, now: number): string {
  const elapsed = now - progress.startedAt;
  const total = progress.targetsTotal;
  const targets =
    total === undefined
      ? `${progress.targetsDone}/${progress.targetsSeen}+ targets`
      : `${progress.targetsDone}/${total} targets`;
  const bar = total === undefined || total === 0 ? "" : `${renderBar(progress.targetsDone / total, 20)} `;
  return `${bar}${targets} · ${progress.assets} assets · ${progress.findings} findings · ${progress.apiCalls} API calls · ${progress.errors} errors · ${formatDuration(elapsed)} elapsed${eta(progress, elapsed)}`;
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
