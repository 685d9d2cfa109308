import { isDeepStrictEqual } from "node:util";
import { APIError, createSoraClient, type NodeSoraClient } from "../node/index";
import type { Exchange } from "./exchange";

/** What the client under check needs: where to send, the key, the fetch (a tee or a replay) and the time per call. */
export interface CheckClientOptions {
  baseUrl: string;
  apiKey: string;
  fetch: typeof fetch;
  timeoutMs: number;
  allowInsecureHttp?: boolean;
  validateRequests?: boolean;
}

/**
 * The package's own client as verify uses it: one request per call (no retries, so a paid call
 * counts once), `validateResponses: "throw"` (its own parser judges every answer), no warnings printed.
 */
export function checkClient(options: CheckClientOptions): NodeSoraClient {
  return createSoraClient({
    ...options,
    maxRetries: 0,
    validateResponses: "throw",
    logger: { warn: () => undefined },
  });
}

/**
 * Where the client's own parser disagrees with what a server answered: for a 2xx, it must return
 * the body received, whole; for an error status, it must throw the APIError of that status.
 * Undefined when it agrees.
 */
export function parserBreach(result: unknown, exchange: Exchange): string | undefined {
  const failed = result instanceof Error ? `${result.name}: ${result.message}` : undefined;
  if (exchange.status >= 200 && exchange.status < 300) {
    if (failed !== undefined) return `the client's own parser rejected the answer (${failed})`;
    return isDeepStrictEqual(result, exchange.json)
      ? undefined
      : "the client returned something other than the body received";
  }
  if (result instanceof APIError && result.status === exchange.status) return undefined;
  return `the client did not report status ${exchange.status} as an APIError (${failed ?? "it returned a result"})`;
}
