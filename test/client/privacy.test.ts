import { inspect } from "node:util";
import { createSoraClient, type SoraError } from "../../src/node/index";
import { CANARY_KEY, VALID_REQUEST } from "../helpers/fetch";
import { closedPort, sendJson, useServers, type Handler } from "../helpers/server";

const serve = useServers();

/** Every place a key could leak from an error. */
function surfacesOf(error: SoraError): string[] {
  return [
    error.message,
    error.stack ?? "",
    JSON.stringify(error),
    inspect(error, { depth: 20, showHidden: true }),
    String(error),
    inspect(error.cause, { depth: 20 }),
  ];
}

const echoKey: Handler = (request, response) =>
  sendJson(
    response,
    401,
    { error: { message: `invalid key ${String(request.headers.authorization)}` } },
    { "www-authenticate": String(request.headers.authorization) },
  );

describe("the key never leaks (synthetic canary key)", () => {
  test.each([
    ["401 echoing the key in body and headers", echoKey, {}],
    ["500", (_request, response) => sendJson(response, 500, { error: { message: "boom" } }), {}],
    ["a reset", (_request, response) => void response.socket?.destroy(), {}],
    ["a timeout", () => undefined, { timeoutMs: 200 }],
    [
      "a 200 that breaks the schema (throw mode)",
      (request, response) => sendJson(response, 200, { created: "x", data: [], echo: request.headers.authorization }),
      { validateResponses: "throw" as const },
    ],
    [
      "429 then retries (debug logging on)",
      (_request, response) => sendJson(response, 429, {}, { "retry-after": "0" }),
      {},
    ],
  ] as Array<[string, Handler, object]>)(
    "%s: not in the error, its cause, toJSON, inspect, nor any log line",
    async (_name, handler, options) => {
      const server = await serve(handler);
      const lines: string[] = [];
      const logger = { warn: (line: string) => lines.push(line), debug: (line: string) => lines.push(line) };
      for (const authScheme of ["raw", "bearer"] as const) {
        const sora = createSoraClient({ apiKey: CANARY_KEY, baseUrl: server.url, logger, authScheme, ...options });
        const error = (await sora.generateVideo(VALID_REQUEST).catch((caught: unknown) => caught)) as SoraError;
        expect(error).toBeDefined();
        for (const surface of surfacesOf(error)) expect(surface).not.toContain(CANARY_KEY);
      }
      expect(lines.length).toBeGreaterThan(0);
      for (const line of lines) expect(line).not.toContain(CANARY_KEY);
      expect(server.requests[0]!.headers.authorization).toBe(CANARY_KEY);
    },
  );

  test("a refused connection's error carries no key", async () => {
    const port = await closedPort();
    const sora = createSoraClient({ apiKey: CANARY_KEY, baseUrl: `http://127.0.0.1:${port}`, maxRetries: 0 });
    const error = (await sora.generateVideo(VALID_REQUEST).catch((caught: unknown) => caught)) as SoraError;
    for (const surface of surfacesOf(error)) expect(surface).not.toContain(CANARY_KEY);
  });

  test("inspecting the client itself shows no key", () => {
    const sora = createSoraClient({ apiKey: CANARY_KEY, baseUrl: "http://127.0.0.1:9" });
    expect(inspect(sora, { depth: 20, showHidden: true })).not.toContain(CANARY_KEY);
    expect(JSON.stringify(sora)).not.toContain(CANARY_KEY);
  });

  test("plain http to a non-loopback host is refused before any traffic, and the message has no key", () => {
    expect(() => createSoraClient({ apiKey: CANARY_KEY, baseUrl: "http://api.example.com" })).toThrow(
      /Refusing plain http/,
    );
    try {
      createSoraClient({ apiKey: CANARY_KEY, baseUrl: "http://api.example.com" });
    } catch (error) {
      for (const surface of surfacesOf(error as SoraError)) expect(surface).not.toContain(CANARY_KEY);
    }
  });
});
