import { inspect } from "node:util";
import {
  APIError,
  AuthenticationError,
  BadRequestError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  SoraError,
  UnprocessableEntityError,
  createSoraClient,
  isSoraError,
} from "../../src/index";
import { parseRetryAfter } from "../../src/errors";
import { CANARY_KEY, VALID_REQUEST, jsonResponse, recordingFetch } from "../helpers/fetch";

const table: Array<[number, new (...args: never[]) => APIError, string, boolean]> = [
  [400, BadRequestError, "BadRequestError", false],
  [401, AuthenticationError, "AuthenticationError", false],
  [403, PermissionDeniedError, "PermissionDeniedError", false],
  [404, NotFoundError, "NotFoundError", false],
  [409, APIError, "APIError", false],
  [422, UnprocessableEntityError, "UnprocessableEntityError", false],
  [429, RateLimitError, "RateLimitError", false],
  [500, InternalServerError, "InternalServerError", true],
  [502, InternalServerError, "InternalServerError", true],
  [503, InternalServerError, "InternalServerError", true],
  [504, InternalServerError, "InternalServerError", true],
];

async function failWith(
  status: number,
  body: unknown = { error: { message: "nope" } },
  headers: Record<string, string> = {},
) {
  const { fetch, requests } = recordingFetch(jsonResponse(body, status, headers));
  const error = await createSoraClient({ apiKey: CANARY_KEY, fetch, maxRetries: 0 })
    .generateVideo(VALID_REQUEST)
    .catch((caught: unknown) => caught);
  return { error: error as APIError, requests };
}

describe("status → error class", () => {
  test.each(table)("%i → %p", async (status, ErrorClass, name, mayHaveBeenAccepted) => {
    const { error } = await failWith(
      status,
      { error: { message: "the gateway says no" } },
      { "x-request-id": "req_123" },
    );
    expect(error).toBeInstanceOf(ErrorClass);
    expect(error).toBeInstanceOf(APIError);
    expect(error).toBeInstanceOf(SoraError);
    expect(error.name).toBe(name);
    expect(error.status).toBe(status);
    expect(error.requestId).toBe("req_123");
    expect(error.body).toEqual({ error: { message: "the gateway says no" } });
    expect(error.headers.get("x-request-id")).toBe("req_123");
    expect(error.mayHaveBeenAccepted).toBe(mayHaveBeenAccepted);
    expect(error.message).toMatch(
      new RegExp(`^POST /v1/videos/generations → ${status} .*\\(request req_123\\): the gateway says no`),
    );
  });

  test("401 says what to do", async () => {
    const { error } = await failWith(401);
    expect(error.message).toMatch(/Check ONEROUTER_API_KEY/);
  });

  test("a non-JSON body is kept as text, an HTML page is summarised in the message", async () => {
    const { fetch } = recordingFetch(
      new Response("<html><body>502 Bad Gateway</body></html>", {
        status: 502,
        statusText: "Bad Gateway",
        headers: { "content-type": "text/html" },
      }),
    );
    const error = (await createSoraClient({ apiKey: CANARY_KEY, fetch })
      .generateVideo(VALID_REQUEST)
      .catch((caught: unknown) => caught)) as APIError;
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error.body).toBe("<html><body>502 Bad Gateway</body></html>");
    expect(error.message).toMatch(/^POST \/v1\/videos\/generations → 502 Bad Gateway: \(HTML error page\)/);
  });

  test("an error body is capped at 64 KiB", async () => {
    const { fetch } = recordingFetch(new Response("x".repeat(200_000), { status: 400 }));
    const error = (await createSoraClient({ apiKey: CANARY_KEY, fetch })
      .generateVideo(VALID_REQUEST)
      .catch((caught: unknown) => caught)) as APIError;
    expect((error.body as string).length).toBe(64 * 1024);
  });

  test("isSoraError matches by class, and by name for errors from another copy of the package", async () => {
    const { error } = await failWith(429);
    expect(isSoraError(error)).toBe(true);
    expect(isSoraError(error, "RateLimitError")).toBe(true);
    const foreign = Object.assign(new Error("x"), { name: "RateLimitError", mayHaveBeenAccepted: false });
    expect(isSoraError(foreign)).toBe(true);
    expect(isSoraError(new TypeError("x"))).toBe(false);
  });
});

describe("Retry-After", () => {
  test.each([
    ["seconds", "3", 3000],
    ["fractional seconds", "1.5", 1500],
    ["an HTTP date 10 s ahead", new Date(1_000_000 + 10_000).toUTCString(), 10_000],
    ["a date in the past", new Date(0).toUTCString(), 0],
    ["garbage", "soon", undefined],
    ["absent", null, undefined],
  ])("%s", (_name, value, expected) => {
    expect(parseRetryAfter(value, 1_000_000)).toBe(expected);
  });
});

describe("the key never surfaces in an error", () => {
  test.each([400, 401, 429, 500])(
    "status %i: message, properties, toJSON, inspect and stack are free of the key, even when the server echoes it",
    async (status) => {
      const echo = { error: { message: `bad key ${CANARY_KEY}` }, authorization: CANARY_KEY };
      const { error } = await failWith(status, echo, { "x-echo": `Bearer ${CANARY_KEY}` });
      const surfaces = [
        error.message,
        error.stack ?? "",
        JSON.stringify(error),
        JSON.stringify(error.body),
        inspect(error, { depth: 10, showHidden: true }),
        [...error.headers.entries()].join(";"),
      ];
      for (const surface of surfaces) expect(surface).not.toContain(CANARY_KEY);
      expect(JSON.stringify(error.body)).toContain("[redacted]");
    },
  );
});
