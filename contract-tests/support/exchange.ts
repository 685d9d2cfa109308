import { createSoraClient, longCallFetch, type SoraClient, type SoraClientOptions } from "../../src/node/index";
import { redactText } from "../../src/redact";
import { parsedJson, sendRaw, teeFetch as teeOf, type Exchange, type RawOptions } from "../../src/verify/exchange";
import type { ContractOperation } from "../../src/verify/spec";
import type { Target } from "./target";

export type { Exchange } from "../../src/verify/exchange";

/** Sends `body` to the operation with fetch directly (no client, no validation), and records the answer. */
export function postRaw(
  target: Target,
  operation: ContractOperation,
  body: unknown,
  options: RawOptions = {},
): Promise<Exchange> {
  return sendRaw({ url: target.url, apiKey: target.config.apiKey, fetch: longCallFetch }, operation, body, options);
}

/** A fetch that passes every call through to the long-call transport and keeps a copy of each exchange. */
export function teeFetch(): { fetch: typeof fetch; exchanges: Exchange[] } {
  return teeOf(longCallFetch);
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

/** Calls the operation through the client's generic `call(operationId, …)`, with the body as given. */
export function callOperation(client: SoraClient, operation: ContractOperation, body: unknown): Promise<unknown> {
  if (operation.operationId === undefined) throw new Error(`the client has no operation for ${operation.label}`);
  return client.call(operation.operationId, body as never);
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
    sent.push({ body: parsedJson(await request.text()), headers });
    return new Response(body, { status, headers: { "content-type": contentType } });
  }) as typeof globalThis.fetch;
  return { fetch, sent };
}

/** Replaces every occurrence of the key in text about to be printed (the package's one redaction rule). */
export function redacted(target: Target, text: string): string {
  return redactText(text, target.config.apiKey);
}
