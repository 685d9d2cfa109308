/**
 * The Node entry of sora-video-client (the `node` export condition): everything the portable entry
 * has, with a client whose default transport honours timeoutMs past Node's 300 s fetch limit.
 */
import { createSoraClient as createPortableClient, type SoraClient } from "../client";
import type { SoraClientOptions } from "../types";
import { longCallFetch } from "./transport";

export * from "../index";

/**
 * Makes a client (see the portable `createSoraClient`). In Node the default `fetch` is undici
 * with its transport timeouts lifted, so renders longer than 300 s complete and `timeoutMs`
 * alone decides when an attempt gives up.
 */
export function createSoraClient(options: SoraClientOptions = {}): SoraClient {
  return createPortableClient({ ...options, fetch: options.fetch ?? longCallFetch });
}

export { longCallFetch };
