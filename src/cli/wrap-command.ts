// A shell word as shellQuote writes it: quoted runs ('…', with \' between them) and plain characters.
const SHELL_WORD = /(?:'[^']*'|\\.|[^\s'\\])+/g;

/**
 * Lays out a printed command so it fits `columns` and still pastes as one command: words move to
 * continuation lines ending in ` \`; a word is never cut (a signed URL longer than the width stays
 * whole on its own line). Without `columns` (not a terminal) the command stays on one line.
 */
export function wrapCommand(command: string, columns: number | undefined, indent = "  "): string[] {
  if (columns === undefined) return [`${indent}${command}`];
  const max = Math.max(10, columns - 1);
  const lines: string[] = [];
  let line = "";
  for (const word of command.match(SHELL_WORD) ?? []) {
    const start = line === "" ? `${lines.length === 0 ? indent : `${indent}  `}${word}` : `${line} ${word}`;
    if (line !== "" && Array.from(`${start} \\`).length > max) {
      lines.push(`${line} \\`);
      line = `${indent}  ${word}`;
    } else {
      line = start;
    }
  }
  return [...lines, line];
}
