export interface StatusDisplay {
  stop(): void;
}

/**
 * A status line on stderr while long work runs: redrawn in place on a terminal, a plain line every `intervalMs`
 * otherwise (CI logs and `kubectl logs` keep every line, so they get fewer of them).
 */
export function showStatusLine(
  line: () => string,
  prefix: string,
  stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number },
  options: { intervalMs?: number; tty?: boolean } = {},
): StatusDisplay {
  const tty = options.tty ?? stream.isTTY === true;
  const interval = options.intervalMs ?? (tty ? 100 : 10_000);
  const timer = setInterval(() => {
    const text = line();
    if (tty) stream.write(`\r\x1b[K${text.slice(0, Math.max(20, (stream.columns || 120) - 1))}`);
    else stream.write(`${prefix}: ${text}\n`);
  }, interval);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      if (tty) stream.write("\r\x1b[K");
    },
  };
}
