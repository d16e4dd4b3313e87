import { styleText } from "node:util";

/** A style `util.styleText` knows: "red", "bold", ["bold", "red"] … */
export type Style = Parameters<typeof styleText>[0];

/** What a command may do on one of its output streams: colour, and how wide a line may be. */
export interface Terminal {
  readonly color: boolean;
  /** The terminal's columns; undefined when the stream is not a terminal (a pipe or file keeps whole lines). */
  readonly width: number | undefined;
  /** `text` in `style` when colour is on, else `text` unchanged. */
  paint(style: Style, text: string): string;
}

/** No colour and no width limit: a file, a pipe, a test. */
export const PLAIN: Terminal = { color: false, width: undefined, paint: (_style, text) => text };

/**
 * Colour on a terminal only: --no-color and NO_COLOR (no-color.org: set and not empty) turn it off, FORCE_COLOR
 * (not 0 or false) turns it on where the output is not a terminal, TERM=dumb off. The decision is made here with
 * the command's own environment, so `styleText` is told not to second-guess it.
 */
export function terminalFor(
  stream: { isTTY?: boolean; columns?: number },
  env: NodeJS.ProcessEnv,
  noColorFlag: boolean,
): Terminal {
  const tty = stream.isTTY === true;
  const force = env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "0" && env.FORCE_COLOR !== "false";
  const color =
    !noColorFlag &&
    (env.NO_COLOR === undefined || env.NO_COLOR === "") &&
    (force || (tty && env.TERM !== "dumb" && env.FORCE_COLOR !== "0" && env.FORCE_COLOR !== "false"));
  const width = tty && typeof stream.columns === "number" && stream.columns > 0 ? stream.columns : undefined;
  return {
    color,
    width,
    paint: color ? (style, text) => styleText(style, text, { validateStream: false }) : (_style, text) => text,
  };
}
