import { redactName, redactText } from "../../redact";
import { redactUrl } from "../download/safe-url";

const URL_IN_TEXT = /\bhttps?:\/\/[^\s"'<>\\]+/gi;

/**
 * Headers never kept in a recording or a report, whatever their value: credentials and cookies,
 * and any header whose name says it carries a secret.
 */
const SECRET_HEADER = /^(authorization|proxy-authorization|cookie|set-cookie)$|token|secret|api-?key|signature/i;

function withoutQuery(match: string): string {
  try {
    const url = new URL(match);
    return url.search || url.username || url.password || url.hash ? redactUrl(url) : match;
  } catch {
    return match;
  }
}

/**
 * Text as it may be saved or printed: the key replaced by the package's one marker, and every
 * http(s) URL in it cut to origin and path (signed video URLs carry their secret in the query).
 */
export function scrubText(text: string, apiKey: string): string {
  return redactText(text, apiKey).replace(URL_IN_TEXT, withoutQuery);
}

/** A JSON value with `scrubText` applied to every string in it, and redactName to every property name. */
export function scrubJson(value: unknown, apiKey: string): unknown {
  if (typeof value === "string") return scrubText(value, apiKey);
  if (Array.isArray(value)) return value.map((item) => scrubJson(item, apiKey));
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [redactName(key, apiKey), scrubJson(item, apiKey)]),
  );
}

/** Response headers as plain data, without secret-bearing headers, every value scrubbed. */
export function scrubHeaders(headers: Headers, apiKey: string): Record<string, string> {
  const kept: Record<string, string> = {};
  headers.forEach((value, name) => {
    if (!SECRET_HEADER.test(name)) kept[name] = scrubText(value, apiKey);
  });
  return kept;
}
