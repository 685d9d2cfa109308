/** What the key is replaced with wherever it could surface: the one marker of the package. */
export const REDACTED = "[redacted]";

/** Replaces every occurrence of `secret` in `text`. */
export function redactText(text: string, secret: string): string {
  return secret && text.includes(secret) ? text.split(secret).join(REDACTED) : text;
}

/** A copy of `headers` with `secret` removed from every value (the same object when none has it). */
export function redactHeaders(headers: Headers, secret: string): Headers {
  let found = false;
  headers.forEach((value) => {
    if (secret && value.includes(secret)) found = true;
  });
  if (!found) return headers;
  const copy = new Headers();
  headers.forEach((value, name) => copy.append(name, redactText(value, secret)));
  return copy;
}
