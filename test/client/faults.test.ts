import {
  APIConnectionError,
  APIError,
  InternalServerError,
  RateLimitError,
  ResponseValidationError,
  createSoraClient,
  type SoraClientOptions,
  type SoraError,
} from "../../src/node/index";
import { CANARY_KEY, VALID_REQUEST, VALID_RESPONSE } from "../helpers/fetch";
import { closedPort, sendJson, useServers } from "../helpers/server";

const serve = useServers();

async function call(baseUrl: string, options: SoraClientOptions = {}) {
  const started = Date.now();
  const debug: string[] = [];
  const sora = createSoraClient({
    apiKey: CANARY_KEY,
    baseUrl,
    logger: { warn: () => undefined, debug: (line) => debug.push(line) },
    ...options,
  });
  try {
    const data = await sora.generateVideo(VALID_REQUEST);
    return { data, error: undefined, ms: Date.now() - started, debug };
  } catch (error) {
    return { data: undefined, error: error as SoraError, ms: Date.now() - started, debug };
  }
}

describe("faults injected by a loopback server (Node transport)", () => {
  test("429 with Retry-After: 1, then 200 → succeeds after waiting about 1 s; 2 requests", async () => {
    const server = await serve((_request, response, index) =>
      index === 0
        ? sendJson(response, 429, { error: { message: "slow down" } }, { "retry-after": "1" })
        : sendJson(response, 200, VALID_RESPONSE),
    );
    const outcome = await call(server.url);
    expect(outcome.error).toBeUndefined();
    expect(outcome.data).toEqual(VALID_RESPONSE);
    expect(server.requests).toHaveLength(2);
    expect(outcome.ms).toBeGreaterThanOrEqual(950);
    expect(outcome.ms).toBeLessThan(5000);
  });

  test("429 with an HTTP-date Retry-After is honoured too", async () => {
    const server = await serve((_request, response, index) =>
      index === 0
        ? sendJson(response, 429, {}, { "retry-after": new Date(Date.now() + 2000).toUTCString() })
        : sendJson(response, 200, VALID_RESPONSE),
    );
    const outcome = await call(server.url);
    expect(outcome.error).toBeUndefined();
    expect(server.requests).toHaveLength(2);
    expect(outcome.ms).toBeGreaterThanOrEqual(900);
  });

  test("429 asking for longer than maxRetryAfterMs fails at once with RateLimitError instead of sleeping", async () => {
    const server = await serve((_request, response) => sendJson(response, 429, {}, { "retry-after": "120" }));
    const outcome = await call(server.url);
    expect(outcome.error).toBeInstanceOf(RateLimitError);
    expect((outcome.error as RateLimitError).retryAfterMs).toBe(120_000);
    expect(outcome.error!.mayHaveBeenAccepted).toBe(false);
    expect(server.requests).toHaveLength(1);
    expect(outcome.ms).toBeLessThan(1000);
  });

  test("429 every time → RateLimitError after 1 + maxRetries requests", async () => {
    const server = await serve((_request, response) => sendJson(response, 429, {}, { "retry-after": "0" }));
    const outcome = await call(server.url, { maxRetries: 2 });
    expect(outcome.error).toBeInstanceOf(RateLimitError);
    expect(server.requests).toHaveLength(3);
  });

  test("500 → InternalServerError, not re-sent by default (it may have been billed)", async () => {
    const server = await serve((_request, response) =>
      sendJson(response, 500, { error: { message: "model crashed" } }, { "x-request-id": "req_500" }),
    );
    const outcome = await call(server.url);
    expect(outcome.error).toBeInstanceOf(InternalServerError);
    expect(outcome.error).toMatchObject({ status: 500, requestId: "req_500", mayHaveBeenAccepted: true });
    expect(server.requests).toHaveLength(1);
    expect(outcome.ms).toBeLessThan(1000);
  });

  test('500 with retry: "unsafe" → re-sent up to maxRetries', async () => {
    const server = await serve((_request, response, index) =>
      index < 2 ? sendJson(response, 500, {}) : sendJson(response, 200, VALID_RESPONSE),
    );
    const outcome = await call(server.url, { retry: "unsafe" });
    expect(outcome.data).toEqual(VALID_RESPONSE);
    expect(server.requests).toHaveLength(3);
  });

  test("a retry predicate decides per failure", async () => {
    const server = await serve((_request, response, index) =>
      index === 0 ? sendJson(response, 503, {}) : sendJson(response, 200, VALID_RESPONSE),
    );
    const seen: string[] = [];
    const outcome = await call(server.url, {
      retry: ({ error, attempt }) => (
        seen.push(`${error.name}#${attempt}`),
        error instanceof APIError && error.status === 503
      ),
    });
    expect(outcome.data).toEqual(VALID_RESPONSE);
    expect(seen).toEqual(["InternalServerError#1"]);
  });

  test("502 with an HTML body → InternalServerError with the page as text, message summarised", async () => {
    const server = await serve((_request, response) => {
      response.writeHead(502, "Bad Gateway", { "content-type": "text/html" });
      response.end("<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>");
    });
    const outcome = await call(server.url);
    expect(outcome.error).toBeInstanceOf(InternalServerError);
    expect(outcome.error!.message).toBe(
      "POST /v1/videos/generations → 502 Bad Gateway: (HTML error page). The generation may have started and be billed; it was not re-sent",
    );
    expect((outcome.error as APIError).body).toMatch(/^<html>/);
    expect(outcome.error!.mayHaveBeenAccepted).toBe(true);
    expect(server.requests).toHaveLength(1);
  });

  test("an empty error body → APIError with body ''", async () => {
    const server = await serve((_request, response) => {
      response.writeHead(400);
      response.end();
    });
    const outcome = await call(server.url);
    expect(outcome.error).toMatchObject({ name: "BadRequestError", status: 400, body: "", mayHaveBeenAccepted: false });
  });

  test("a 200 with truncated JSON → ResponseValidationError (never a bare SyntaxError), the text kept", async () => {
    const server = await serve((_request, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.end('{"created": 1, "data": [{"url": "https://cdn.exa');
    });
    const outcome = await call(server.url);
    expect(outcome.error).toBeInstanceOf(ResponseValidationError);
    expect(outcome.error).toMatchObject({
      mayHaveBeenAccepted: true,
      body: '{"created": 1, "data": [{"url": "https://cdn.exa',
    });
    expect(outcome.error!.message).toMatch(/is not valid JSON/);
    expect(server.requests).toHaveLength(1);
  });

  test("a 200 cut short of its Content-Length → APIConnectionError that may have been billed; not re-sent", async () => {
    const server = await serve((_request, response) => {
      response.writeHead(200, { "content-type": "application/json", "content-length": "500" });
      response.write('{"created": 1, "data": [');
      setTimeout(() => response.socket?.destroy(), 20);
    });
    const outcome = await call(server.url);
    expect(outcome.error).toBeInstanceOf(APIConnectionError);
    expect(outcome.error!.mayHaveBeenAccepted).toBe(true);
    expect(outcome.error!.message).toMatch(/while reading the response/);
    expect(server.requests).toHaveLength(1);
  });

  test("a connection reset after the request was read → APIConnectionError, may have been billed, not re-sent", async () => {
    const server = await serve((_request, response) => void response.socket?.destroy());
    const outcome = await call(server.url);
    expect(outcome.error).toBeInstanceOf(APIConnectionError);
    expect(outcome.error!.mayHaveBeenAccepted).toBe(true);
    expect(server.requests).toHaveLength(1);
  });

  test("a refused port → APIConnectionError, certainly not accepted, retried with back-off", async () => {
    const port = await closedPort();
    const outcome = await call(`http://127.0.0.1:${port}`, { maxRetries: 1 });
    expect(outcome.error).toBeInstanceOf(APIConnectionError);
    expect(outcome.error).toMatchObject({ mayHaveBeenAccepted: false, code: "ECONNREFUSED" });
    expect(outcome.debug.filter((line) => line.endsWith("attempt 1") || line.endsWith("attempt 2"))).toHaveLength(2);
    expect(outcome.ms).toBeGreaterThanOrEqual(240);
    expect(outcome.ms).toBeLessThan(3000);
  });

  test("a redirect to another origin is not followed: the other host never sees the request or the key", async () => {
    const elsewhere = await serve((_request, response) => sendJson(response, 200, VALID_RESPONSE));
    const server = await serve((_request, response) => {
      response.writeHead(307, { location: `${elsewhere.url}/v1/videos/generations` });
      response.end();
    });
    const outcome = await call(server.url);
    expect(outcome.error).toBeInstanceOf(APIError);
    expect(outcome.error).toMatchObject({ status: 307, mayHaveBeenAccepted: true });
    expect(outcome.error!.message).toContain(`redirect to ${elsewhere.url} not followed`);
    expect(elsewhere.requests).toHaveLength(0);
    expect(server.requests).toHaveLength(1);
  });

  test("a 200 that breaks the schema: returned with a warning by default, ResponseValidationError with throw", async () => {
    const broken = { created: "yesterday", data: [{ url: 42 }] };
    const server = await serve((_request, response) => sendJson(response, 200, broken));
    const warnings: string[] = [];
    const warned = createSoraClient({
      apiKey: CANARY_KEY,
      baseUrl: server.url,
      logger: { warn: (line) => warnings.push(line) },
    });
    await expect(warned.generateVideo(VALID_REQUEST)).resolves.toEqual(broken);
    expect(warnings).toEqual([
      "sora-video-client: POST /v1/videos/generations response breaks the spec: /data/0/url must be string",
      "sora-video-client: POST /v1/videos/generations response breaks the spec: /created must be integer",
    ]);
    const outcome = await call(server.url, { validateResponses: "throw" });
    expect(outcome.error).toBeInstanceOf(ResponseValidationError);
    expect((outcome.error as ResponseValidationError).issues).toEqual([
      { path: "/data/0/url", message: "must be string" },
      { path: "/created", message: "must be integer" },
    ]);
    expect((outcome.error as ResponseValidationError).body).toEqual(broken);
  });
});
