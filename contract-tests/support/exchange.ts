import { createSoraClient, longCallFetch, type SoraClient, type SoraClientOptions } from "../../src/node/index";
import { redactText } from "../../src/redact";
import type { OperationPath } from "../../src/types";
import type { ContractOperation } from "./spec";
import type { Target } from "./target";

/** One request and the response to it, as plain data. */
export interface Exchange {
  requestBody: unknown;
  status: number;
  contentType: string;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

async function record(response: Response, requestBody: unknown): Promise<Exchange> {
  const text = await response.text();
  return {
    requestBody,
    status: response.status,
    contentType: response.headers.get("content-type") ?? "",
    text,
    json: parsed(text),
  };
}

/** How a raw request departs from what the client would send. */
export interface RawOptions {
  /** Header names to leave out (any case), e.g. ["Authorization"]. */
  omitHeaders?: string[];
  /** Extra headers, e.g. Prism's `Prefer`. */
  headers?: Record<string, string>;
  /** Send this text as the body instead of JSON.stringify(body); null sends no body at all. */
  rawBody?: string | null;
}

/** Sends `body` to the operation with fetch directly (no client, no validation), and records the answer. */
export async function postRaw(
  target: Target,
  operation: ContractOperation,
  body: unknown,
  options: RawOptions = {},
): Promise<Exchange> {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    accept: "application/json",
    ...options.headers,
  };
  headers.authorization = target.config.apiKey;
  const omitted = new Set((options.omitHeaders ?? []).map((name) => name.toLowerCase()));
  for (const name of Object.keys(headers)) if (omitted.has(name.toLowerCase())) delete headers[name];
  const payload = options.rawBody === undefined ? JSON.stringify(body) : (options.rawBody ?? undefined);
  const init = { method: operation.method, headers, body: payload, redirect: "manual" } as const;
  const response = await longCallFetch(`${target.url}${operation.path}`, init);
  return record(response, body);
}

/** A fetch that passes every call through and keeps a copy of each exchange (the client reads its own copy). */
export function teeFetch(base: typeof fetch = longCallFetch): { fetch: typeof fetch; exchanges: Exchange[] } {
  const exchanges: Exchange[] = [];
  const tee = (async (input, init) => {
    const request = new Request(input, init);
    const sent = request.clone().text();
    const response = await base(request);
    exchanges.push(await record(response.clone(), parsed(await sent)));
    return response;
  }) as typeof fetch;
  return { fetch: tee, exchanges };
}

/**
 * The project's own client, pointed at the target: no retries (each call is one request, and a
 * paid one counts once) and `validateResponses: "throw"` (a body that breaks the spec fails).
 */
export function contractClient(target: Target, options: SoraClientOptions = {}): SoraClient {
  return createSoraClient({
    baseUrl: target.url,
    apiKey: target.config.apiKey,
    allowInsecureHttp: target.config.allowInsecureHttp,
    maxRetries: 0,
    validateResponses: "throw",
    timeoutMs: target.mockMode ? 20_000 : 14 * 60_000,
    ...options,
  });
}

/** Calls the operation through the client's generic `call(path, …)`, with the body as given. */
export function callOperation(client: SoraClient, operation: ContractOperation, body: unknown): Promise<unknown> {
  return client.call(operation.path as OperationPath, body as never);
}

/** A request a replaying fetch received. */
export interface SentRequest {
  body: unknown;
  headers: Record<string, string>;
}

/** A fetch that answers the same response to every call without any traffic, keeping what was sent. */
export function replayFetch(
  status: number,
  body: string,
  contentType = "application/json",
): { fetch: typeof fetch; sent: SentRequest[] } {
  const sent: SentRequest[] = [];
  const fetch = (async (input, init) => {
    const request = new Request(input, init);
    const headers = Object.fromEntries(request.headers.entries());
    sent.push({ body: parsed(await request.text()), headers });
    return new Response(body, { status, headers: { "content-type": contentType } });
  }) as typeof globalThis.fetch;
  return { fetch, sent };
}

/** Replaces every occurrence of the key in text about to be printed (the package's one redaction rule). */
export function redacted(target: Target, text: string): string {
  return redactText(text, target.config.apiKey);
}
