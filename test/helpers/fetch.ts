/** One request an injected fetch received, as plain data. */
export interface RecordedRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: unknown;
}

/** A canary key: any test can assert it never surfaces. */
export const CANARY_KEY = "sk-canary-4f1d7c0e9b2a";

/** A spec-valid 200 body. */
export const VALID_RESPONSE = {
  created: 1_732_435_200,
  data: [{ url: "https://cdn.example/v/abc.mp4", revised_prompt: "a cat", video_id: "vid_1" }],
};

/** A spec-valid request body (model omitted: the client fills it in). */
export const VALID_REQUEST = { prompt: "The cat turns and walks away", image_url: "https://img.example/cat.png" };

/**
 * A fetch that records each request and answers from a list of hand-built responses (the last one
 * repeats). No mocking library, no shared state: each test makes its own.
 */
export function recordingFetch(...responses: Array<Response | (() => Response | Promise<Response>)>) {
  const requests: RecordedRequest[] = [];
  const fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const request = new Request(input, init);
    const text = await request.text();
    const headers = Object.fromEntries(request.headers.entries());
    requests.push({
      url: request.url,
      method: request.method,
      headers,
      body: text === "" ? undefined : JSON.parse(text),
    });
    const next = responses[Math.min(requests.length - 1, responses.length - 1)];
    if (!next) throw new Error("recordingFetch: no response configured");
    return typeof next === "function" ? next() : next.clone();
  }) as typeof globalThis.fetch;
  return { fetch, requests };
}

/** A JSON Response with the given status and headers. */
export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
}
