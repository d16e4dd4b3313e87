// `aigov gate plan.json` reads a plan of tens of megabytes. For a large plan bin/aigov.js starts that read here, on
// libuv's thread pool, before it loads the bundle: the file is read while the main thread compiles the command, the
// rules and the policy (some 50 ms of a fresh process), instead of after them. The gate takes these bytes only when
// they are the whole of the regular file it reads (readGateSource in packages/iac/src/gate-input.ts), and validates
// and reads them as it would have read them itself; anything else (an error, a special file, a file that grew
// meanwhile, another path than the one the gate reads) leaves the gate to read the file itself, as it would without
// this, with the same errors.
import { close, closeSync, constants, fstatSync, openSync, read } from "node:fs";
import { resolve } from "node:path";

/**
 * The options of `aigov gate` (its own and the global ones) that take a value, long and short: the word after them
 * is that value, not the plan. packages/cli/test/plan-read-ahead.test.ts checks them against the command's table.
 */
export const GATE_VALUE_OPTIONS = ["--format", "--output", "--policy", "--rules", "--fail-on", "--var-file", "--var"];
export const GATE_VALUE_SHORT_OPTIONS = ["-f", "-o", "-p"];

/** Larger files are left to the gate's own read (and its error: Node reads at most 2 GiB into one buffer). */
const MAX_READ_AHEAD = 2 ** 30;

/**
 * The one path `aigov gate …` names as its input in these arguments (those after `aigov`), or undefined when they
 * are not a gate, name none, several, or stdin (`-`).
 * @param {readonly string[]} args
 */
export function gateInputArgument(args) {
  if (args[0] !== "gate") return undefined;
  /** @type {string[]} */
  const positionals = [];
  for (let index = 1; index < args.length; index++) {
    const arg = args[index];
    if (arg === "--") {
      positionals.push(...args.slice(index + 1));
      break;
    }
    if (arg.startsWith("--")) {
      if (!arg.includes("=") && GATE_VALUE_OPTIONS.includes(arg)) index++;
    } else if (arg.startsWith("-") && arg !== "-") {
      if (GATE_VALUE_SHORT_OPTIONS.includes(arg)) index++;
    } else positionals.push(arg);
  }
  return positionals.length === 1 && positionals[0] !== "-" ? positionals[0] : undefined;
}

/**
 * Plans from this size on are read ahead: a smaller plan's read is over in a few milliseconds, and is done without
 * starting libuv's thread pool (four threads).
 */
export const READ_AHEAD_BYTES = 4 * 2 ** 20;

/**
 * Starts reading the input `aigov gate` names in `args` (see gateInputArgument), resolved against the working
 * directory, on the thread pool when it is a regular file of READ_AHEAD_BYTES or more. Returns its absolute path and
 * the promise of its bytes (undefined when they are not the whole regular file), or undefined when there is nothing
 * to read ahead. Never throws; the promise never rejects.
 * @param {readonly string[]} args
 * @returns {{ path: string; bytes: Promise<Buffer | undefined> } | undefined}
 */
export function startGateInputRead(args) {
  const file = gateInputArgument(args);
  if (file === undefined) return undefined;
  const path = resolve(file);
  // Opened and sized here, at once: the read then starts on a pool thread before the bundle loads (a chain of
  // callbacks would wait for the main thread between its steps). Opened without blocking: a FIFO would otherwise wait
  // for a writer.
  let fd;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    return undefined;
  }
  let size = -1;
  try {
    const stats = fstatSync(fd);
    if (stats.isFile() && stats.size >= READ_AHEAD_BYTES && stats.size <= MAX_READ_AHEAD) size = stats.size;
  } catch {}
  if (size < 0) {
    closeSync(fd);
    return undefined;
  }
  // Neither filled nor zeroed: the read writes every byte of it (checked), on the pool thread.
  return { path, bytes: readWhole(fd, Buffer.allocUnsafeSlow(size)) };
}

/**
 * Reads the open file into `buffer`, its size: the buffer, or undefined when the read fails or the file does not end
 * there (it grew since). Both reads are asked for at once, so that no round trip waits for the main thread (busy
 * loading the bundle) between them. Closes the file.
 * @param {number} fd
 * @param {Buffer} buffer
 * @returns {Promise<Buffer | undefined>}
 */
function readWhole(fd, buffer) {
  return new Promise((resolvePromise) => {
    let pending = 2;
    let whole = true;
    /** @param {boolean} good */
    const settle = (good) => {
      whole &&= good;
      if (--pending > 0) return;
      resolvePromise(whole ? buffer : undefined);
      close(fd, () => {});
    };
    read(fd, buffer, 0, buffer.length, 0, (readError, count) => settle(!readError && count === buffer.length));
    read(fd, Buffer.alloc(1), 0, 1, buffer.length, (moreError, more) => settle(!moreError && more === 0));
  });
}
