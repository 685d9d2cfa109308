import { expectTypeOf } from "expect-type";
import {
  ConfigurationError,
  NotFoundError,
  RequestValidationError,
  createSoraClient,
  type VideoRemixRequest,
  type VideoRemixResponse,
} from "../../src/node/index";
import { CANARY_KEY, VALID_REQUEST, VALID_RESPONSE } from "../helpers/fetch";
import { sendJson, useServers } from "../helpers/server";

const serve = useServers();
const REMIX = { video_id: "vid_1", prompt: "Make it night" };

describe("remixVideo: the second operation through the same path", () => {
  test("sends POST /v1/videos/edits with the page's default model and the raw key; returns the typed answer", async () => {
    const server = await serve((_request, response) => sendJson(response, 200, VALID_RESPONSE));
    const sora = createSoraClient({ apiKey: CANARY_KEY, baseUrl: server.url });
    const answer = await sora.remixVideo(REMIX);
    expectTypeOf(answer).toEqualTypeOf<VideoRemixResponse>();
    expect(answer).toEqual(VALID_RESPONSE);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]).toMatchObject({
      method: "POST",
      url: "/v1/videos/edits",
      headers: { authorization: CANARY_KEY },
    });
    expect(JSON.parse(server.requests[0]!.body)).toEqual({ model: "sora-2-video-to-video", ...REMIX });
  });

  test("a remix without video_id is refused before any traffic, naming the field and the operation", async () => {
    const server = await serve((_request, response) => sendJson(response, 200, VALID_RESPONSE));
    const sora = createSoraClient({ apiKey: CANARY_KEY, baseUrl: server.url });
    // @ts-expect-error video_id is required by the remix spec
    const error = await sora.remixVideo({ prompt: "Make it night" }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RequestValidationError);
    expect((error as RequestValidationError).issues).toEqual([{ path: "/video_id", message: "is required" }]);
    expect((error as Error).message).toMatch(/POST \/v1\/videos\/edits/);
    expect(server.requests).toHaveLength(0);
    expectTypeOf<VideoRemixRequest>().toHaveProperty("video_id").toEqualTypeOf<string>();
  });

  test("an unknown video_id (404 in the envelope) is a NotFoundError, not billed, not re-sent", async () => {
    const server = await serve((_request, response) =>
      sendJson(response, 404, {
        error: { code: 404, message: "video vid_1 not found", type: "not_found_error", param: "video_id" },
      }),
    );
    const sora = createSoraClient({ apiKey: CANARY_KEY, baseUrl: server.url });
    const error = await sora.remixVideo(REMIX).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ status: 404, param: "video_id", mayHaveBeenAccepted: false });
    expect(server.requests).toHaveLength(1);
  });

  test("the same money-safe retry: a 429 with Retry-After 0 is re-sent, a 500 is not", async () => {
    const server = await serve((_request, response, index) =>
      index === 0
        ? sendJson(response, 429, {}, { "retry-after": "0" })
        : index === 1
          ? sendJson(response, 500, {})
          : sendJson(response, 200, VALID_RESPONSE),
    );
    const sora = createSoraClient({ apiKey: CANARY_KEY, baseUrl: server.url });
    const error = await sora.remixVideo(REMIX).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: "InternalServerError", mayHaveBeenAccepted: true });
    expect(server.requests.map((request) => request.url)).toEqual(["/v1/videos/edits", "/v1/videos/edits"]);
  });

  test("progress heartbeats while a remix is open", async () => {
    const server = await serve(
      (_request, response) => void setTimeout(() => sendJson(response, 200, VALID_RESPONSE), 250),
    );
    const sora = createSoraClient({ apiKey: CANARY_KEY, baseUrl: server.url });
    const beats: number[] = [];
    await sora.remixVideo(REMIX, { onProgress: ({ attempt }) => beats.push(attempt), progressIntervalMs: 50 });
    expect(beats.length).toBeGreaterThanOrEqual(2);
    expect(new Set(beats)).toEqual(new Set([1]));
  });
});

describe("sora.api: the openapi-fetch client is the one request path, and keeps the rules", () => {
  test("middleware added with api.use() sees every attempt of generateVideo and remixVideo", async () => {
    const server = await serve((_request, response, index) =>
      index === 0 ? sendJson(response, 429, {}, { "retry-after": "0" }) : sendJson(response, 200, VALID_RESPONSE),
    );
    const sora = createSoraClient({ apiKey: CANARY_KEY, baseUrl: server.url });
    const seen: string[] = [];
    sora.api.use({
      onRequest: ({ request }) => void seen.push(`${request.method} ${new URL(request.url).pathname}`),
      onResponse: ({ response }) => void seen.push(String(response.status)),
    });
    await sora.generateVideo(VALID_REQUEST);
    await sora.remixVideo(REMIX);
    expect(seen).toEqual([
      "POST /v1/videos/generations",
      "429",
      "POST /v1/videos/generations",
      "200",
      "POST /v1/videos/edits",
      "200",
    ]);
  });

  test("a per-call baseUrl to another origin is refused before any traffic: the key goes nowhere else", async () => {
    const own = await serve((_request, response) => sendJson(response, 200, VALID_RESPONSE));
    const other = await serve((_request, response) => sendJson(response, 200, VALID_RESPONSE));
    const sora = createSoraClient({ apiKey: CANARY_KEY, baseUrl: own.url });
    const error = await sora.api
      .POST("/v1/videos/generations", {
        baseUrl: other.url,
        body: { model: "sora-2-pro-image-to-video", ...VALID_REQUEST },
      })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).not.toContain(CANARY_KEY);
    expect(other.requests).toHaveLength(0);
    expect(own.requests).toHaveLength(0);
  });

  test("a redirect to another origin is not followed, even when the call asks to follow", async () => {
    const other = await serve((_request, response) => sendJson(response, 200, VALID_RESPONSE));
    const own = await serve((_request, response) => {
      response.writeHead(307, { location: `${other.url}/v1/videos/generations` });
      response.end();
    });
    const sora = createSoraClient({ apiKey: CANARY_KEY, baseUrl: own.url });
    const { response } = await sora.api.POST("/v1/videos/generations", {
      body: { model: "sora-2-pro-image-to-video", ...VALID_REQUEST },
      redirect: "follow",
    });
    expect(response.status).toBe(307);
    expect(other.requests).toHaveLength(0);
    const error = await sora.generateVideo(VALID_REQUEST).catch((caught: unknown) => caught);
    expect((error as Error).message).toMatch(/redirect to http:\/\/127\.0\.0\.1:\d+ not followed/);
    expect(other.requests).toHaveLength(0);
  });

  test("an error answer read through sora.api is the caller's data: given as received (the key is taken out where text leaves)", async () => {
    const server = await serve((request, response) => {
      response.writeHead(401, `Bad ${String(request.headers.authorization)}`, {
        "content-type": "application/json",
        "x-echo": String(request.headers.authorization),
      });
      response.end(
        JSON.stringify({ error: { code: 401, message: `bad key ${String(request.headers.authorization)}` } }),
      );
    });
    const sora = createSoraClient({ apiKey: CANARY_KEY, baseUrl: server.url });
    const { error, response } = await sora.api.POST("/v1/videos/generations", {
      body: { model: "sora-2-pro-image-to-video", ...VALID_REQUEST },
    });
    expect(error).toEqual({ error: { code: 401, message: `bad key ${CANARY_KEY}` } });
    expect(response.statusText).toBe(`Bad ${CANARY_KEY}`);
    expect(response.headers.get("x-echo")).toBe(CANARY_KEY);
  });

  test("plain http is refused for a non-loopback origin when the client is made", () => {
    expect(() => createSoraClient({ apiKey: CANARY_KEY, baseUrl: "http://10.0.0.5:8080" })).toThrow(ConfigurationError);
  });
});
