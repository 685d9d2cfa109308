import { redactText, redactValue } from "../redact";
import type { CliContext } from "./context";

/** The key as the CLI reads it (trimmed, as clientConfig sends it); "" when none is set. */
export function cliKey(env: CliContext["env"]): string {
  return env.ONEROUTER_API_KEY?.trim() ?? "";
}

/** One JSON document per line, redacted value by value so it stays valid JSON whatever the key holds. */
function redactDocuments(text: string, key: string): string {
  return text
    .split("\n")
    .map((line) => {
      if (!line.startsWith("{") && !line.startsWith("[")) return redactText(line, key);
      try {
        return JSON.stringify(redactValue(JSON.parse(line), key));
      } catch {
        return redactText(line, key);
      }
    })
    .join("\n");
}

/**
 * The same stream (its prototype keeps isTTY, columns and what colour needs) whose writes have
 * the key taken out: the one redacting writer for everything the CLI prints. With `json`, each
 * line that is a JSON document is redacted in its values (a key such as `"` cannot break it).
 */
export function redactingOutput<T extends { write(text: string): unknown }>(stream: T, key: string, json: boolean): T {
  if (!key) return stream;
  const wrapped: T = Object.create(stream as object);
  const write = stream.write.bind(stream) as (text: string, ...rest: unknown[]) => unknown;
  wrapped.write = (text: string, ...rest: unknown[]) =>
    write(json ? redactDocuments(text, key) : redactText(text, key), ...rest);
  return wrapped;
}
