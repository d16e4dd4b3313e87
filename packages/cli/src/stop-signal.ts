/**
 * Resolves on the first SIGINT or SIGTERM, for the long-running commands (`serve`, `sim`). Call it before printing
 * the address: a script may send the signal as soon as it reads it.
 */
export function stopSignal(): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}
