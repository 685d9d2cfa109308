import type { Agent } from "undici";

let agent: Agent | undefined;
let undici: typeof import("undici") | undefined;

async function loadUndici(): Promise<typeof import("undici")> {
  undici ??= await import("undici");
  agent ??= new undici.Agent({ headersTimeout: 0, bodyTimeout: 0 });
  return undici;
}

/**
 * fetch for long calls in Node. Node's built-in fetch fails any response whose headers take more
 * than 300 s (undici's headersTimeout), whatever AbortSignal it is given; a Sora render can take
 * longer. This fetch uses undici with those transport timeouts lifted, so the caller's AbortSignal
 * (timeoutMs) is the only clock. undici is loaded on first use, not at import.
 */
export const longCallFetch: typeof globalThis.fetch = async (input, init) => {
  const { fetch, Request } = await loadUndici();
  if (input instanceof globalThis.Request) {
    const request = input;
    const body = request.body ? await request.arrayBuffer() : undefined;
    return (await fetch(new Request(request.url, { method: request.method, headers: request.headers as never, body, signal: request.signal, redirect: request.redirect }), { dispatcher: agent })) as unknown as Response;
  }
  return (await fetch(input as never, { ...(init as object), dispatcher: agent })) as unknown as Response;
};
