import { ConfigurationError, ResponseValidationError } from "./errors";
import { ERROR_BODY_LIMIT, SUCCESS_BODY_LIMIT, readCappedText, requestIdOf } from "./read-body";
import { REDACTED, redactHeaders, redactText } from "./redact";
import type { ResolvedOptions } from "./options";

const STALE_AFTER_REBUILD = ["content-length", "content-encoding", "transfer-encoding"];

function echoesKey(response: Response, key: string): boolean {
  if (response.statusText.includes(key)) return true;
  let found = false;
  response.headers.forEach((value) => {
    if (value.includes(key)) found = true;
  });
  return found;
}

/** The same answer with the key taken out of its body, status line and headers. */
function rebuilt(response: Response, text: string, key: string): Response {
  const headers = new Headers(redactHeaders(response.headers, key));
  for (const name of STALE_AFTER_REBUILD) headers.delete(name);
  const statusText = response.statusText.split(key).join(REDACTED);
  return new Response(redactText(text, key), { status: response.status, statusText, headers });
}

async function sanitized(response: Response, key: string): Promise<Response> {
  if (response.type === "opaqueredirect") return response;
  if (!response.ok) return rebuilt(response, (await readCappedText(response, ERROR_BODY_LIMIT)).text, key);
  const declared = Number(response.headers.get("content-length") ?? Number.NaN);
  if (declared <= SUCCESS_BODY_LIMIT && !echoesKey(response, key)) return response;
  const { text, complete } = await readCappedText(response, SUCCESS_BODY_LIMIT);
  if (complete) return rebuilt(response, text, key);
  const issue = {
    path: "",
    message: `is larger than ${SUCCESS_BODY_LIMIT} characters (a real answer is under 2 KB); reading stopped there`,
  };
  const requestId = requestIdOf(redactHeaders(response.headers, key));
  throw new ResponseValidationError([issue], redactText(text.slice(0, ERROR_BODY_LIMIT), key), requestId);
}

/** The fetch openapi-fetch is given: it always receives a Request. */
export type GuardedFetch = (request: Request) => Promise<Response>;

/**
 * The fetch under the client's openapi-fetch `api`, so its rules hold for every call, `sora.api`
 * included: the key goes only to the client's own origin; redirects are never followed (the key
 * would go with them); error bodies are read to 64 KiB at most and success bodies to 1 MiB
 * (beyond: ResponseValidationError); the key never comes back out of a body, status line or header.
 */
export function guardedFetch(options: ResolvedOptions): GuardedFetch {
  const origin = new URL(options.baseUrl).origin;
  return async (input) => {
    const target = new URL(input.url).origin;
    if (target !== origin) {
      throw new ConfigurationError(
        "baseUrl",
        `Refusing to send the API key to ${target}: this client talks only to ${origin}.`,
      );
    }
    const request = input.redirect === "manual" ? input : new Request(input, { redirect: "manual" });
    return sanitized(await options.fetch(request), options.apiKey);
  };
}
