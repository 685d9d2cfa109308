import type { Agent, fetch as UndiciFetch } from "undici";

let undiciFetch: typeof UndiciFetch | undefined;
let undiciRequest: typeof import("undici").Request | undefined;
let agent: Agent | undefined;

async function loadUndici(): Promise<void> {
  const undici = await import("undici");
  agent ??= new undici.Agent({ headersTimeout: 0, bodyTimeout: 0 });
  undiciRequest = undici.Request;
  undiciFetch = undici.fetch;
}

async function send(input: Parameters<typeof globalThis.fetch>[0], init: RequestInit | undefined): Promise<Response> {
  if (input instanceof globalThis.Request) {
    const body = input.body ? await input.arrayBuffer() : undefined;
    const request = new undiciRequest!(input.url, { method: input.method, headers: input.headers as never, body, signal: input.signal, redirect: input.redirect });
    return (await undiciFetch!(request, { dispatcher: agent })) as unknown as Response;
  }
  return (await undiciFetch!(input as never, { ...(init as object), dispatcher: agent })) as unknown as Response;
}

/**
 * fetch for long calls in Node. Node's built-in fetch fails any response whose headers take more
 * than 300 s (undici's headersTimeout), whatever AbortSignal it is given; a Sora render can take
 * longer. This fetch uses undici with those transport timeouts lifted, so the caller's AbortSignal
 * (timeoutMs) is the only clock. undici is loaded on first use, not at import.
 */
export const longCallFetch: typeof globalThis.fetch = (input, init) => (undiciFetch ? send(input, init) : loadUndici().then(() => send(input, init)));
