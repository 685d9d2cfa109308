import type { Agent } from "undici";

let agent: Agent | undefined;

async function loadAgent(): Promise<Agent> {
  const { Agent: UndiciAgent } = await import("undici");
  agent ??= new UndiciAgent({ headersTimeout: 0, bodyTimeout: 0 });
  return agent;
}

function send(
  input: Parameters<typeof globalThis.fetch>[0],
  init: RequestInit | undefined,
  dispatcher: Agent,
): Promise<Response> {
  return globalThis.fetch(input, { ...init, dispatcher } as RequestInit);
}

/**
 * fetch for long calls in Node. Node's built-in fetch fails any response whose headers take more
 * than 300 s (its default dispatcher's headersTimeout), whatever AbortSignal it is given; a Sora
 * render can take longer. This is the built-in fetch with an undici Agent whose transport timeouts
 * are lifted, so the caller's AbortSignal (timeoutMs) is the only clock. The built-in fetch keeps
 * Request/Response/Headers the platform's own (openapi-fetch's Request passes straight through)
 * and measured faster here than undici's own fetch. undici is loaded on first use, not at import.
 */
export const longCallFetch: typeof globalThis.fetch = (input, init) =>
  agent ? send(input, init, agent) : loadAgent().then((loaded) => send(input, init, loaded));
