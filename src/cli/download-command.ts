import { shellQuote } from "./shell-quote";

/**
 * The `sora-video download` command that saves an already generated (paid) video again, for free:
 * the full URL (a signed URL needs its query string to work), quoted for a shell, with `--out`
 * when given. Printed through the CLI's redacting writer, so a key a server echoed into the URL
 * never shows.
 */
export function downloadCommand(url: string, out: string | undefined): string {
  return `sora-video download ${shellQuote(url)}${out === undefined ? "" : ` --out ${shellQuote(out)}`}`;
}
