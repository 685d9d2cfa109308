/** Quotes `text` for a POSIX shell (single quotes), so a printed command can be pasted as it is. */
export function shellQuote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, "'\\''")}'`;
}
