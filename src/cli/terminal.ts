import { Writable } from "node:stream";
import { styleText } from "node:util";
import { wrapText } from "./wrap";

/** What a line's colour says: success, failure, a warning (may be billed), or a secondary detail. */
export type Tone = "ok" | "fail" | "warn" | "dim";

/** Colours `text` by `tone`, or returns it unchanged when the stream gets no colour. */
export type Paint = (tone: Tone, text: string) => string;

const FORMAT = { ok: "green", fail: "red", warn: "yellow", dim: "dim" } as const;

/** No colour: for pipes, files and test doubles. */
export const noPaint: Paint = (_tone, text) => text;

/**
 * The colours for one output stream, through `util.styleText`: colour only on a terminal, none with
 * NO_COLOR (or TERM=dumb), forced by FORCE_COLOR (Node's own rules, read from process.env). A
 * stream that is not a Node stream (a test double) gets none.
 */
export function painterFor(stream: unknown): Paint {
  if (!(stream instanceof Writable)) return noPaint;
  return (tone, text) => styleText(FORMAT[tone], text, { stream });
}

/**
 * The width lines must fit on `stream`: `COLUMNS` when set to a positive whole number (an
 * override, as `ls` honours it), else the terminal's width, else undefined (a pipe or a file:
 * lines are not cut).
 */
export function columnsOf(
  stream: { isTTY?: boolean; columns?: number },
  env: Readonly<Record<string, string | undefined>>,
): number | undefined {
  const override = Number(env.COLUMNS);
  if (Number.isInteger(override) && override > 0) return override;
  return stream.isTTY && stream.columns && stream.columns > 0 ? stream.columns : undefined;
}

/**
 * Writes message lines to `stream` (stderr), each wrapped at spaces to the terminal's width (see
 * columnsOf) so a terminal never wraps them mid-word, and painted by `tone` when given.
 */
export function messageWriter(
  stream: { write(text: string): unknown; isTTY?: boolean; columns?: number },
  env: Readonly<Record<string, string | undefined>>,
): (line: string, tone?: Tone) => void {
  const columns = columnsOf(stream, env);
  const paint = painterFor(stream);
  return (line, tone) => {
    const text = wrapText(line, columns);
    stream.write(`${tone ? paint(tone, text) : text}\n`);
  };
}
