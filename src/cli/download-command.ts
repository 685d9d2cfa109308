import { redactText } from "../redact";
import { shellQuote } from "./shell-quote";

/**
 * The `sora-video download` command that saves an already generated (paid) video again, for free:
 * the full URL (a signed URL needs its query string to work), quoted for a shell, with `--out`
 * when given. The API key is removed from it, should a server ever have echoed it into the URL.
 */
export function downloadCommand(url: string, out: string | undefined, apiKey: string | undefined): string {
  const command = `sora-video download ${shellQuote(url)}${out === undefined ? "" : ` --out ${shellQuote(out)}`}`;
  return redactText(command, apiKey ?? "");
}
