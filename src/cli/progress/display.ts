import { noPaint, type Paint } from "../terminal";
import { wrapCommand, wrapText } from "../wrap";
import { fitWidth } from "./format";
import type { LineStyle } from "./render";

/** Where the display writes (stderr); `columns` when it is a terminal. */
export interface DisplayStream {
  write(text: string): unknown;
  columns?: number;
}

/** Shows progress on stderr: a live, redrawn line on a terminal, plain log lines otherwise. */
export interface Display {
  /** Whether this display redraws a live line (a terminal) rather than logging plain lines. */
  readonly live: boolean;
  /** The colours for this display's stream (none when it is not a terminal, or with NO_COLOR). */
  readonly paint: Paint;
  /** Cuts a line to the terminal's width when live (the full text stays in the summary and --json). */
  fit(line: string): string;
  /**
   * Shows a status that changes often. `render` builds the line for the style in use; `phase`
   * names what is shown. Live: redrawn at most every `minRedrawMs`. Plain: logged when the phase
   * changes and then at most every `plainEveryMs`.
   */
  status(phase: string, render: (style: LineStyle) => string): void;
  /** Prints a line that stays (above the live line on a terminal, wrapped at spaces to its width). */
  log(line: string): void;
  /** Prints a command to paste, indented; on a terminal wrapped with ` \` continuations, never cut. */
  logCommand(command: string): void;
  /** Clears the live line (plain: logs the latest status if it was not shown yet); call once at the end. */
  end(): void;
}

/** Options of createDisplay. */
export interface DisplayOptions {
  live: boolean;
  stream: DisplayStream;
  /** The width a live line must fit. @default the stream's columns, else 80 */
  columns?: number;
  /** @default no colour */
  paint?: Paint;
  /** @default Date.now */
  now?: () => number;
  /** @default 100 (at most ~10 redraws a second) */
  minRedrawMs?: number;
  /** @default 10000 */
  plainEveryMs?: number;
}

const CLEAR_LINE = "\r\x1b[K";

/** Makes the display; it keeps only the latest status and when it was shown, so the renderers stay pure. */
export function createDisplay(options: DisplayOptions): Display {
  const { stream, live } = options;
  const now = options.now ?? Date.now;
  const minRedrawMs = options.minRedrawMs ?? 100;
  const plainEveryMs = options.plainEveryMs ?? 10_000;
  let phase: string | undefined;
  let shownAt = Number.NEGATIVE_INFINITY;
  // The latest status, even one the throttle did not draw: a redraw after a log line shows it.
  let latest: ((style: LineStyle) => string) | undefined;
  // Plain mode: the last status line written, so end() can add the final one when the throttle hid it.
  let lastPlain: string | undefined;

  const columns = () => options.columns ?? (stream.columns && stream.columns > 0 ? stream.columns : 80);
  const draw = () => stream.write(`${CLEAR_LINE}${fitWidth(latest!("live"), columns())}`);
  const writePlain = (line: string) => {
    lastPlain = line;
    stream.write(`${line}\n`);
  };

  // Lines that stay: above the live line (redrawn after them) on a terminal, plain lines otherwise.
  const writeAbove = (text: string) => {
    if (!live) {
      stream.write(`${text}\n`);
      return;
    }
    stream.write(`${CLEAR_LINE}${text}\n`);
    if (latest) draw();
  };

  return {
    live,
    paint: options.paint ?? noPaint,
    fit: (line) => (live ? fitWidth(line, columns()) : line),
    status(next, render) {
      latest = render;
      const elapsed = now() - shownAt;
      const changed = next !== phase;
      if (!changed && elapsed < (live ? minRedrawMs : plainEveryMs)) return;
      phase = next;
      shownAt = now();
      if (!live) {
        writePlain(render("plain"));
        return;
      }
      draw();
    },
    log: (line) => writeAbove(live ? wrapText(line, columns()) : line),
    logCommand: (command) => writeAbove(wrapCommand(command, live ? columns() : undefined).join("\n")),
    end() {
      if (live && latest) stream.write(CLEAR_LINE);
      const final = !live && latest ? latest("plain") : undefined;
      if (final !== undefined && final !== lastPlain) writePlain(final);
      latest = undefined;
      phase = undefined;
    },
  };
}
