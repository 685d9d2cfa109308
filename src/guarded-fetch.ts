import { ConfigurationError, ResponseValidationError } from "./errors";
import { ERROR_BODY_LIMIT, SUCCESS_BODY_LIMIT, readCappedText, requestIdOf } from "./read-body";
import { redactHeaders, redactText } from "./redact";
import type { ResolvedOptions } from "./options";

const STALE_AFTER_REBUILD = ["content-length", "content-encoding", "transfer-encoding"];

/** The same answer, its body already read (as `text`): the caller's data is never rewritten. */
function rebuilt(response: Response, text: string): Response {
  const headers = new Headers(response.headers);
  for (const name of STALE_AFTER_REBUILD) headers.delete(name);
  return new Response(text, { status: response.status, statusText: response.statusText, headers });
}

/** The answer with its body capped (64 KiB for an error, 1 MiB for a success), as received otherwise. */
async function capped(response: Response, key: string): Promise<Response> {
  if (response.type === "opaqueredirect") return response;
  if (!response.ok) return rebuilt(response, (await readCappedText(response, ERROR_BODY_LIMIT)).text);
  const declared = Number(response.headers.get("content-length") ?? Number.NaN);
  if (declared <= SUCCESS_BODY_LIMIT) return response;
  const { text, complete } = await readCappedText(response, SUCCESS_BODY_LIMIT);
  if (complete) return rebuilt(response, text);
  const issue = {
    path: "",
    message: `is larger than ${SUCCESS_BODY_LIMIT} characters (a real answer is under 2 KB); reading stopped there`,
  };
  // This error leaves the package: it carries the key nowhere.
  const requestId = requestIdOf(redactHeaders(response.headers, key));
  throw new ResponseValidationError([issue], redactText(text.slice(0, ERROR_BODY_LIMIT), key), requestId);
}

/** The fetch openapi-fetch is given: it always receives a Request. */
export type GuardedFetch = (request: Request) => Promise<Response>;

/**
 * The fetch under the client's openapi-fetch `api`, so its rules hold for every call, `sora.api`
 * included: the key goes only to the client's own origin; redirects are never followed (the key
 * would go with them); error bodies are read to 64 KiB at most and success bodies to 1 MiB
 * (beyond: ResponseValidationError). The answer itself is passed on as received: the caller's data
 * is never rewritten; the key is taken out where text leaves the package (errors, logs, output).
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
    return capped(await options.fetch(request), options.apiKey);
  };
}
