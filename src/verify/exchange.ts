import type { ContractOperation } from "./spec";

/** One request and the response to it, as plain data. */
export interface Exchange {
  requestBody: unknown;
  status: number;
  contentType: string;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
}

/** `text` parsed as JSON, or undefined when it is not JSON. */
export function parsedJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Reads `response` whole into an Exchange (the answer to `requestBody`). */
async function exchangeOf(response: Response, requestBody: unknown): Promise<Exchange> {
  const text = await response.text();
  const contentType = response.headers.get("content-type") ?? "";
  return { requestBody, status: response.status, contentType, text, json: parsedJson(text) };
}

/** How a raw request departs from what the client would send. */
export interface RawOptions {
  /** Header names to leave out (any case), e.g. ["Authorization"]. */
  omitHeaders?: string[];
  /** Extra headers, e.g. Prism's `Prefer`. */
  headers?: Record<string, string>;
  /** Send this text as the body instead of JSON.stringify(body); null sends no body at all. */
  rawBody?: string | null;
  /** Aborts the request (e.g. a timeout). */
  signal?: AbortSignal;
}

/** Where a raw request goes and how: the server's base URL, the key, the fetch to use. */
export interface RawTarget {
  url: string;
  apiKey: string;
  fetch: typeof fetch;
}

/**
 * Sends `body` to the operation with fetch directly (no client, no validation, no redirects
 * followed) and records the answer. Throws what fetch throws when no answer came.
 */
export async function sendRaw(
  target: RawTarget,
  operation: Pick<ContractOperation, "method" | "path">,
  body: unknown,
  options: RawOptions = {},
): Promise<Exchange> {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    accept: "application/json",
    ...options.headers,
  };
  headers.authorization = target.apiKey;
  const omitted = new Set((options.omitHeaders ?? []).map((name) => name.toLowerCase()));
  for (const name of Object.keys(headers)) if (omitted.has(name.toLowerCase())) delete headers[name];
  const payload = options.rawBody === undefined ? JSON.stringify(body) : (options.rawBody ?? undefined);
  const init = {
    method: operation.method,
    headers,
    body: payload,
    redirect: "manual",
    signal: options.signal,
  } as const;
  const response = await target.fetch(`${target.url}${operation.path}`, init);
  return exchangeOf(response, body);
}

/** A fetch that passes every call through and keeps a copy of each exchange (the client reads its own copy). */
export function teeFetch(base: typeof fetch): { fetch: typeof fetch; exchanges: Exchange[] } {
  const exchanges: Exchange[] = [];
  const tee = (async (input, init) => {
    const request = new Request(input, init);
    const sent = request.clone().text();
    const response = await base(request);
    exchanges.push(await exchangeOf(response.clone(), parsedJson(await sent)));
    return response;
  }) as typeof fetch;
  return { fetch: tee, exchanges };
}
