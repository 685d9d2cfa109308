import { inspect } from "node:util";
import type { ServerResponse } from "node:http";
import {
  APIError,
  APITimeoutError,
  AuthenticationError,
  BadRequestError,
  ContentPolicyError,
  InsufficientCreditsError,
  InternalServerError,
  PermissionDeniedError,
  RateLimitError,
  ResponseValidationError,
  UnprocessableEntityError,
  createSoraClient,
  type SoraClientOptions,
  type SoraError,
} from "../../src/node/index";
import { CANARY_KEY, VALID_REQUEST } from "../helpers/fetch";
import { sendJson, useServers, type Handler } from "../helpers/server";

const serve = useServers();

function envelope(code: number, message: string, type?: string, param?: string) {
  return { error: { code, message, ...(type ? { type } : {}), ...(param ? { param } : {}) } };
}

async function failure(handler: Handler, options: SoraClientOptions = {}) {
  const server = await serve(handler);
  const warnings: string[] = [];
  const sora = createSoraClient({
    apiKey: CANARY_KEY,
    baseUrl: server.url,
    logger: { warn: (line) => warnings.push(line) },
    ...options,
  });
  const error = (await sora.generateVideo(VALID_REQUEST).then(
    () => undefined,
    (caught: unknown) => caught,
  )) as SoraError | undefined;
  return { error, requests: server.requests.length, warnings };
}

/** Every surface an error shows in logs, JSON and the terminal. */
const surfacesOf = (error: SoraError) => [
  error.message,
  error.stack ?? "",
  JSON.stringify(error),
  inspect(error, { depth: 20, showHidden: true }),
];

/** Writes a body without Content-Length that never ends (until the client goes away). */
function endless(status: number): Handler {
  return (_request, response: ServerResponse) => {
    response.writeHead(status, { "content-type": "application/json" });
    const chunk = `${"x".repeat(64 * 1024)}`;
    const pump = () => {
      while (!response.destroyed && response.write(chunk));
      if (!response.destroyed) response.once("drain", pump);
    };
    response.write('{"created": 1, "padding": "');
    pump();
  };
}

describe("the gateway's documented errors (envelope, status → class, money)", () => {
  test.each([
    [
      "400 bad parameters",
      400,
      envelope(400, "prompt is required", "invalid_request_error", "prompt"),
      BadRequestError,
      false,
      1,
    ],
    ["401 bad key", 401, envelope(401, "Invalid API key", "authentication_error"), AuthenticationError, false, 1],
    [
      "402 insufficient credits",
      402,
      envelope(402, "Insufficient credits", "insufficient_quota"),
      InsufficientCreditsError,
      false,
      1,
    ],
    [
      "403 flagged by moderation",
      403,
      envelope(403, "Your input was flagged by moderation", "moderation_error"),
      ContentPolicyError,
      false,
      1,
    ],
    [
      "403 without a moderation verdict",
      403,
      envelope(403, "This key may not use the model", "permission_error"),
      PermissionDeniedError,
      false,
      1,
    ],
    ["408 the gateway timed out", 408, envelope(408, "Request timed out", "timeout_error"), APITimeoutError, true, 1],
    [
      "422 content_policy_violation",
      422,
      envelope(422, "The image breaks the content policy", "content_policy_violation"),
      ContentPolicyError,
      false,
      1,
    ],
    [
      "422 another rejection",
      422,
      envelope(422, "image_url is not reachable", "invalid_request_error", "image_url"),
      UnprocessableEntityError,
      false,
      1,
    ],
    [
      "429 rate limited, every time",
      429,
      envelope(429, "Rate limit exceeded", "rate_limit_error"),
      RateLimitError,
      false,
      3,
    ],
    [
      "502 model down",
      502,
      envelope(502, "Upstream model unavailable", "upstream_error"),
      InternalServerError,
      true,
      1,
    ],
    [
      "503 no provider",
      503,
      envelope(503, "No provider can serve the request", "service_unavailable"),
      InternalServerError,
      true,
      1,
    ],
  ] as const)(
    "%s → its class, mayHaveBeenAccepted and request count",
    async (_name, status, body, ErrorClass, accepted, requests) => {
      const outcome = await failure((_request, response) =>
        sendJson(response, status, body, { "retry-after": "0", "x-request-id": "req_42" }),
      );
      expect(outcome.error).toBeInstanceOf(ErrorClass);
      expect(outcome.error!.mayHaveBeenAccepted).toBe(accepted);
      expect(outcome.requests).toBe(requests);
      expect(outcome.error!.message).toContain(body.error.message);
      expect(outcome.error!.message).toContain("req_42");
      if (outcome.error instanceof APIError) {
        expect({
          status: outcome.error.status,
          code: outcome.error.code,
          type: outcome.error.type,
          param: outcome.error.param,
        }).toEqual({
          status,
          code: status,
          type: body.error.type,
          param: "param" in body.error ? body.error.param : undefined,
        });
      } else {
        expect(outcome.error).toMatchObject({ status: 408, requestId: "req_42", timeoutMs: undefined });
      }
    },
  );

  test.each([["warn"], ["off"]] as const)(
    "a 200 carrying the error envelope and no data is an APIError whatever validateResponses (%s) says",
    async (mode) => {
      const outcome = await failure(
        (_request, response) => sendJson(response, 200, envelope(402, "Insufficient credits", "insufficient_quota")),
        { validateResponses: mode },
      );
      expect(outcome.error).toBeInstanceOf(InsufficientCreditsError);
      expect(outcome.error).toMatchObject({
        status: 402,
        code: 402,
        type: "insufficient_quota",
        mayHaveBeenAccepted: true,
      });
      expect(outcome.requests).toBe(1);
    },
  );

  test("a 200 carrying an envelope without a usable code keeps status 200, and may have been billed", async () => {
    const outcome = await failure((_request, response) =>
      sendJson(response, 200, { error: { message: "render failed" } }),
    );
    expect(outcome.error?.constructor).toBe(APIError);
    expect(outcome.error).toMatchObject({ status: 200, mayHaveBeenAccepted: true });
    expect(outcome.error!.message).toContain("render failed");
  });
});

describe("bounded bodies", () => {
  test("a 200 body that never ends fails with ResponseValidationError after the 1 MiB cap, keeping at most 64 KiB", async () => {
    const outcome = await failure(endless(200));
    expect(outcome.error).toBeInstanceOf(ResponseValidationError);
    expect(outcome.error!.mayHaveBeenAccepted).toBe(true);
    expect(outcome.error!.message).toMatch(/larger than 1048576 characters/);
    expect(String((outcome.error as ResponseValidationError).body).length).toBeLessThanOrEqual(64 * 1024);
    expect(outcome.requests).toBe(1);
  });

  test("a 200 announcing 5 MiB fails the same way", async () => {
    const outcome = await failure((_request, response) => {
      const text = JSON.stringify({ created: 1, data: [], padding: "y".repeat(5 * 1024 * 1024) });
      response.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
      response.end(text);
    });
    expect(outcome.error).toBeInstanceOf(ResponseValidationError);
    expect(String((outcome.error as ResponseValidationError).body).length).toBeLessThanOrEqual(64 * 1024);
  });

  test("an error body that never ends is cut at 64 KiB", async () => {
    const outcome = await failure(endless(500));
    expect(outcome.error).toBeInstanceOf(InternalServerError);
    expect(String((outcome.error as InternalServerError).body).length).toBeLessThanOrEqual(64 * 1024);
    expect(outcome.requests).toBe(1);
  });
});

describe("the key, wherever the server echoes it (canary)", () => {
  test.each([
    ["a 401 status line", 401],
    ["a 500 status line", 500],
    ["a 402 status line", 402],
  ])("%s echoing the key: not in the message, stack, toJSON or inspect", async (_name, status) => {
    const outcome = await failure((request, response) => {
      response.writeHead(status, `Bad key ${String(request.headers.authorization)}`, {
        "content-type": "application/json",
        "x-echo": String(request.headers.authorization),
      });
      response.end(JSON.stringify(envelope(status, `key ${String(request.headers.authorization)} refused`)));
    });
    expect(outcome.error).toBeInstanceOf(APIError);
    expect(outcome.error!.message).toContain("Bad key [redacted]");
    expect(outcome.error!.message).toContain("key [redacted] refused");
    for (const surface of surfacesOf(outcome.error!)) expect(surface).not.toContain(CANARY_KEY);
    expect((outcome.error as APIError).headers.get("x-echo")).toBe("[redacted]");
  });

  test("a 200 whose status line and body echo the key, breaking the schema: no key in the error", async () => {
    const outcome = await failure(
      (request, response) => {
        response.writeHead(200, `OK ${String(request.headers.authorization)}`, { "content-type": "application/json" });
        response.end(JSON.stringify({ created: "soon", data: [], echo: request.headers.authorization }));
      },
      { validateResponses: "throw" },
    );
    expect(outcome.error).toBeInstanceOf(ResponseValidationError);
    for (const surface of surfacesOf(outcome.error!)) expect(surface).not.toContain(CANARY_KEY);
  });
});
