/** What the key is replaced with wherever it could surface: the one marker of the package. */
export const REDACTED = "[redacted]";

/**
 * A key at least this long is taken out wherever its text appears, even inside a longer word
 * (`req-<key>`): real keys are `sk-…` and 40+ characters, so such text is the key. A shorter key
 * (`test`, `sk`, `url`) is taken out only where it stands alone (see STANDALONE_BEFORE/AFTER):
 * taking it out of every word would mangle paths (`/tmp/smalldi[redacted]/o`) and messages.
 */
export const ANYWHERE_KEY_LENGTH = 8;

// What may stand before and after a short key for it to count as the key: the start or end of
// the text, white space, quotes, brackets, and (after it) sentence punctuation; `=` and `:`
// before it (`key=test`, `Authorization: test`). A `/`, `-`, `_` or `.` before it joins it to
// a longer word (a path, an id, a file name), which is left as it is.
const STANDALONE_BEFORE = "(?<=^|[\\s\"'`(\\[{<=:,])";
const STANDALONE_AFTER = "(?=$|[\\s\"'`)\\]}>,;.:!?])";

/**
 * `text` as it may leave the package: `secret` replaced by REDACTED wherever it appears when it
 * is at least ANYWHERE_KEY_LENGTH long, else only where it stands alone. The one rule of the
 * package: everything that redacts text calls it.
 */
export function redactText(text: string, secret: string): string {
  if (!secret || !text.includes(secret)) return text;
  if (secret.length >= ANYWHERE_KEY_LENGTH) return text.replaceAll(secret, REDACTED);
  const escaped = secret.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  return text.replace(new RegExp(`${STANDALONE_BEFORE}${escaped}${STANDALONE_AFTER}`, "gu"), REDACTED);
}

/**
 * A property name as it may leave the package: a long key is taken out of it as from any text; a
 * short one never (a name that is exactly `url` or `data` is the format's own field, not the key).
 */
export function redactName(name: string, secret: string): string {
  return secret.length >= ANYWHERE_KEY_LENGTH ? redactText(name, secret) : name;
}

/**
 * A copy of a JSON value (plain data: what JSON.parse gives) with redactText applied to every string in it and redactName to
 * every property name: for documents that leave the package (--json output, journal records,
 * error bodies, job data), so they stay valid JSON, with their field names, whatever the key holds.
 */
export function redactValue<T>(value: T, secret: string): T {
  if (!secret) return value;
  if (typeof value === "string") return redactText(value, secret) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => redactValue(item, secret)) as T;
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([name, item]) => [redactName(name, secret), redactValue(item, secret)]),
  ) as T;
}

/** A copy of `headers` with `secret` removed from every value (an error's headers: a copy is cheap there). */
export function redactHeaders(headers: Headers, secret: string): Headers {
  const copy = new Headers();
  headers.forEach((value, name) => copy.append(name, redactText(value, secret)));
  return copy;
}
