/** Error bodies are kept up to this many characters; the rest is dropped. */
export const ERROR_BODY_LIMIT = 64 * 1024;

/** The most a success body may hold, in characters: a real answer is under 2 KB. */
export const SUCCESS_BODY_LIMIT = 1024 * 1024;

/** Text read from a body, and whether it is the whole body. */
export interface CappedText {
  text: string;
  /** False when the body went on past the limit (the rest was not read). */
  complete: boolean;
}

/** Reads at most `limit` characters of a body, then cancels the rest of the stream. */
export async function readCappedText(response: Response, limit: number = ERROR_BODY_LIMIT): Promise<CappedText> {
  if (!response.body) return { text: "", complete: true };
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { text: text + decoder.decode(), complete: true };
    text += decoder.decode(value, { stream: true });
    if (text.length > limit) {
      reader.cancel().catch(() => undefined);
      return { text: text.slice(0, limit), complete: false };
    }
  }
}

/** Parses text as JSON when it is JSON; otherwise returns the text itself. */
export function jsonOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

const REQUEST_ID_HEADERS = ["x-request-id", "request-id", "x-amzn-requestid", "x-correlation-id"];

/** The provider's request ID, from the first response header that carries one. */
export function requestIdOf(headers: Headers): string | undefined {
  for (const name of REQUEST_ID_HEADERS) {
    const value = headers.get(name);
    if (value) return value;
  }
  return undefined;
}
