import { stripVTControlCharacters } from "node:util";

// A shell word as shellQuote writes it: quoted runs ('…', with \' between them) and plain characters.
const SHELL_WORD = /(?:'[^']*'|\\.|[^\s'\\])+/g;

/** Columns a text takes: colour codes take none. */
const width = (text: string) => Array.from(stripVTControlCharacters(text)).length;
/** The widest line for `columns`: one column spare, so the cursor never wraps (as fitWidth). */
const lineWidth = (columns: number) => Math.max(10, columns - 1);

/**
 * Greedy word wrap: the first line starts with `indent`, the next ones with `indent` and two more
 * spaces, and every cut line ends in `mark`; a word is never cut (one longer than the width stays
 * whole on its own line).
 */
function wrapWords(words: readonly string[], columns: number, indent: string, mark: string): string[] {
  const max = lineWidth(columns);
  const lines: string[] = [];
  let line = "";
  for (const word of words) {
    const next = line === "" ? `${lines.length === 0 ? indent : `${indent}  `}${word}` : `${line} ${word}`;
    if (line !== "" && width(`${next}${mark}`) > max) {
      lines.push(`${line}${mark}`);
      line = `${indent}  ${word}`;
    } else {
      line = next;
    }
  }
  return [...lines, line];
}

/**
 * A command's words for wrapping: each flag kept with its value (`--out cat.mp4`) so a line never
 * ends between them, unless the pair alone is wider than a line (`max` columns at `indent`).
 */
function commandUnits(command: string, indent: string, max: number): string[] {
  const units: string[][] = [];
  for (const word of command.match(SHELL_WORD) ?? []) {
    const last = units.at(-1);
    if (last?.length === 1 && /^-\S*$/.test(last[0]!) && !word.startsWith("-")) last.push(word);
    else units.push([word]);
  }
  const fits = (unit: string[]) => width(`${indent}  ${unit.join(" ")} \\`) <= max;
  return units.flatMap((unit) => (fits(unit) ? [unit.join(" ")] : unit));
}

/**
 * Lays out a printed command so it fits `columns` and still pastes as one command: words move to
 * continuation lines ending in ` \`, a flag with its value; a word is never cut (a signed URL
 * longer than the width stays whole on its own line). Without `columns` it stays on one line.
 */
export function wrapCommand(command: string, columns: number | undefined, indent = "  "): string[] {
  if (columns === undefined) return [`${indent}${command}`];
  return wrapWords(commandUnits(command, indent, lineWidth(columns)), columns, indent, " \\");
}

/**
 * Wraps each line of a message to `columns` at spaces, continuation lines indented by two more
 * spaces than the line's own indent, so a terminal never wraps it mid-word; nothing is cut.
 * Without `columns` the text is unchanged.
 */
export function wrapText(text: string, columns: number | undefined): string {
  if (columns === undefined) return text;
  return text
    .split("\n")
    .flatMap((line) => {
      if (width(line) < columns) return [line];
      const indent = /^ */.exec(line)![0];
      return wrapWords(line.trim().split(/ +/), columns, indent, "");
    })
    .join("\n");
}
