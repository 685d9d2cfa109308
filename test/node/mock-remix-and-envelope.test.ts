import {
  APIError,
  APITimeoutError,
  ContentPolicyError,
  InsufficientCreditsError,
  InternalServerError,
  NotFoundError,
  createSoraClient,
} from "../../src/node/index";
import { startMockServer, type MockFault, type MockServer } from "../../src/node/mock/index";
import { responseIssues } from "../../src/validation";
import { CANARY_KEY, VALID_REQUEST } from "../helpers/fetch";

/** What the tests read of a JSON answer: the error envelope, or a result's data. */
interface Envelope {
  error: { code: number; message: string; type?: string; param?: string };
  data: Array<{ video_id?: string; url?: string }>;
  [field: string]: unknown;
}

const GENERATION = { model: "sora-2-pro-image-to-video", ...VALID_REQUEST };

let mock: MockServer | undefined;
afterEach(async () => {
  await mock?.close();
  mock = undefined;
});

async function start(): Promise<MockServer> {
  mock = await startMockServer();
  return mock;
}

async function post(server: MockServer, path: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${server.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: CANARY_KEY, ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const json = (await response.json().catch(() => undefined)) as Envelope | undefined;
  return { status: response.status, json };
}

async function generatedId(server: MockServer): Promise<string> {
  const { status, json } = await post(server, "/v1/videos/generations", GENERATION);
  expect(status).toBe(200);
  return json!.data[0]!.video_id as string;
}

/** The gateway's documented envelope, with error.code equal to the HTTP status. */
function expectEnvelope(json: Envelope | undefined, code: number, type?: string, param?: string) {
  const expected = { code, message: expect.any(String), type: type ?? expect.any(String) };
  expect(json?.error).toEqual(expect.objectContaining(expected));
  if (param !== undefined) expect(json!.error.param).toBe(param);
}

describe("mock gateway: the remix (POST /v1/videos/edits)", () => {
  test("a video_id the mock generated gives a new, spec-valid video whose url the mock serves", async () => {
    const server = await start();
    const source = await generatedId(server);
    const remix = { model: "sora-2-video-to-video", video_id: source, prompt: "Make it night" };
    const { status, json } = await post(server, "/v1/videos/edits", remix);
    expect(status).toBe(200);
    expect(responseIssues("createVideoRemix", json)).toEqual([]);
    const [video] = json!.data as Array<{ url: string; video_id: string; revised_prompt: string }>;
    expect(video!.video_id).not.toBe(source);
    expect(video!.revised_prompt).toBe("Make it night");
    expect(video!.url).toBe(`${server.url}/videos/${video!.video_id}.mp4`);
    const download = await fetch(video!.url);
    expect([download.status, download.headers.get("content-type")]).toEqual([200, "video/mp4"]);
    await download.arrayBuffer();
    expect(server.stats).toMatchObject({ requests: 2, accepted: 2, rejected: 0 });
  });

  test("a remix of a remix works too, and the real client's remixVideo returns it", async () => {
    const server = await start();
    const sora = createSoraClient({ apiKey: CANARY_KEY, baseUrl: server.url, validateResponses: "throw" });
    const first = await sora.generateVideo(VALID_REQUEST);
    const second = await sora.remixVideo({ video_id: first.data[0]!.video_id!, prompt: "Make it night" });
    const third = await sora.remixVideo({ video_id: second.data[0]!.video_id!, prompt: "And rain" });
    expect(new Set([first, second, third].map((answer) => answer.data[0]!.video_id)).size).toBe(3);
    const sent = { model: "sora-2-video-to-video", video_id: first.data[0]!.video_id, prompt: "Make it night" };
    expect(server.stats.acceptedBodies[1]).toEqual(sent);
  });

  test("an unknown video_id: a 404 envelope (param video_id), not accepted; NotFoundError, not billed", async () => {
    const server = await start();
    const body = { model: "m", video_id: "video_nope", prompt: "x" };
    const { status, json } = await post(server, "/v1/videos/edits", body);
    expect(status).toBe(404);
    expectEnvelope(json, 404, "not_found_error", "video_id");
    expect(json!.error.message).toContain("video_nope");
    const sora = createSoraClient({ apiKey: CANARY_KEY, baseUrl: server.url });
    const error = await sora.remixVideo({ video_id: "video_nope", prompt: "x" }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ status: 404, code: 404, param: "video_id", mayHaveBeenAccepted: false });
    expect(server.stats).toMatchObject({ requests: 2, accepted: 0, rejected: 2 });
  });

  test("a remix without video_id is a 400 in the envelope naming video_id, checked before any lookup", async () => {
    const server = await start();
    const { status, json } = await post(server, "/v1/videos/edits", { model: "m", prompt: "x" });
    expect(status).toBe(400);
    expectEnvelope(json, 400, "invalid_request_error", "video_id");
    expect(json!.issues).toContainEqual({ path: "/video_id", message: "is required" });
  });

  test("the image-to-video page's body is not a remix: 400 naming video_id", async () => {
    const server = await start();
    const { status, json } = await post(server, "/v1/videos/edits", GENERATION);
    expectEnvelope(json, status, "invalid_request_error", "video_id");
    expect(status).toBe(400);
  });
});

describe("mock gateway: every model on POST /v1/videos/generations, each by its own page", () => {
  const TEXT = { model: "sora-2-pro-text-to-video", prompt: "A lighthouse at dusk" };
  test("a text-to-video body (a prompt alone) is accepted and answered like image-to-video", async () => {
    const server = await start();
    const { status, json } = await post(server, "/v1/videos/generations", { ...TEXT, resolution: "720p" });
    expect(status).toBe(200);
    expect(responseIssues("createTextToVideo", json)).toEqual([]);
    expect(server.stats.acceptedBodies).toEqual([{ ...TEXT, resolution: "720p" }]);
  });

  test.each<[string, Record<string, unknown>, string]>([
    ['resolution "auto" with the text-to-video model', { ...TEXT, resolution: "auto" }, "/resolution"],
    ['aspect_ratio "auto" with the text-to-video model', { ...TEXT, aspect_ratio: "auto" }, "/aspect_ratio"],
    ["the image-to-video model without image_url", { ...TEXT, model: "sora-2-pro-image-to-video" }, "/image_url"],
  ])("%s breaks its model's schema: 400 with the issue, nothing accepted", async (_name, body, issuePath) => {
    const server = await start();
    const { status, json } = await post(server, "/v1/videos/generations", body);
    expect(status).toBe(400);
    expectEnvelope(json, 400, "invalid_request_error", issuePath.slice(1));
    expect((json!.issues as Array<{ path: string }>).map((issue) => issue.path)).toEqual([issuePath]);
    expect(server.stats.accepted).toBe(0);
  });
});

describe("mock gateway: every error it sends is the gateway's envelope, HTTP status = error.code", () => {
  const INVALID = "invalid_request_error";
  const GENERATIONS = "/v1/videos/generations";
  test.each<[string, string, unknown, Record<string, string>, number, string, string | undefined]>([
    ["no Authorization", GENERATIONS, GENERATION, { authorization: "" }, 401, "authentication_error", undefined],
    ["malformed JSON", "/v1/videos/edits", "{ nope", {}, 400, INVALID, undefined],
    ["an empty body", GENERATIONS, "", {}, 400, INVALID, undefined],
    ["a duration outside its enum", GENERATIONS, { ...GENERATION, duration: "5" }, {}, 400, INVALID, "duration"],
    ["an unknown x-mock-fault", "/v1/videos/edits", {}, { "x-mock-fault": "418" }, 400, INVALID, undefined],
    ["an unknown path", "/v1/videos/nope", {}, {}, 404, "not_found_error", undefined],
    ["a body sent as text/plain", GENERATIONS, GENERATION, { "content-type": "text/plain" }, 415, INVALID, undefined],
    [
      "a form-encoded body",
      "/v1/videos/edits",
      "a=b",
      { "content-type": "application/x-www-form-urlencoded" },
      415,
      INVALID,
      undefined,
    ],
    ["a model no page on the path names", GENERATIONS, { ...GENERATION, model: "sora-9" }, {}, 400, INVALID, "model"],
  ])("%s (%s) → %i", async (_name, path, body, headers, status, type, param) => {
    const server = await start();
    const answer = await post(server, path, body, headers);
    expect(answer.status).toBe(status);
    expectEnvelope(answer.json, status, type, param);
  });

  test("a GET on an operation's path is a 405 envelope with Allow: POST", async () => {
    const server = await start();
    const response = await fetch(`${server.url}/v1/videos/edits`);
    expect([response.status, response.headers.get("allow")]).toEqual([405, "POST"]);
    expectEnvelope((await response.json()) as Envelope, 405, "invalid_request_error");
  });
});

type Expected = [
  title: string,
  fault: MockFault,
  header: string,
  status: number,
  errorClass: new (...args: never[]) => Error,
  mayHaveBeenAccepted: boolean,
  type: string,
];

const POLICY = "content_policy_violation";
const CREDITS = "insufficient_credits";
const NEW_FAULTS: Expected[] = [
  ["402 no credits", { kind: "status", status: 402 }, "402", 402, InsufficientCreditsError, false, CREDITS],
  ["403 moderation", { kind: "status", status: 403 }, "403", 403, ContentPolicyError, false, "moderation_error"],
  ["408 the request timed out", { kind: "status", status: 408 }, "408", 408, APITimeoutError, true, "timeout_error"],
  ["422 content policy", { kind: "status", status: 422 }, "422", 422, ContentPolicyError, false, POLICY],
  ["a 200 carrying an error", { kind: "error-body" }, "200-error", 200, InternalServerError, true, "server_error"],
];

describe("mock gateway: the gateway's documented failures, as faults", () => {
  test.each(NEW_FAULTS)("%s: the wire answer is the envelope", async (...[, fault, , status, , , type]) => {
    const server = await start();
    server.injectFault(fault);
    const answer = await post(server, "/v1/videos/generations", GENERATION);
    expect(answer.status).toBe(status);
    expectEnvelope(answer.json, status === 200 ? 502 : status, type, status === 422 ? "prompt" : undefined);
    if (status === 200) expect(answer.json!.data).toBeUndefined();
    expect(server.stats).toMatchObject({ requests: 1, accepted: 0, rejected: 1 });
  });

  test.each(NEW_FAULTS)(
    "%s via injectFault, on a remix: the client's class and mayHaveBeenAccepted, and no re-send",
    async (_title, fault, _header, _status, errorClass, accepted) => {
      const server = await start();
      const sora = createSoraClient({ apiKey: CANARY_KEY, baseUrl: server.url });
      const source = await generatedId(server);
      server.injectFault(fault);
      const remix = sora.remixVideo({ video_id: source, prompt: "Make it night" });
      const error = await remix.catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(errorClass);
      expect((error as { mayHaveBeenAccepted: boolean }).mayHaveBeenAccepted).toBe(accepted);
      expect(server.stats.requests).toBe(2);
      expect((await sora.remixVideo({ video_id: source, prompt: "again" })).data).toHaveLength(1);
    },
  );

  test.each(NEW_FAULTS)("%s via the x-mock-fault header (%s), on a generation", async (...row) => {
    const [, , header, , ErrorClass, accepted] = row;
    const server = await start();
    const sora = createSoraClient({ apiKey: CANARY_KEY, baseUrl: server.url, headers: { "x-mock-fault": header } });
    const error = await sora.generateVideo(VALID_REQUEST).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ErrorClass);
    expect((error as { mayHaveBeenAccepted: boolean }).mayHaveBeenAccepted).toBe(accepted);
    expect(server.stats).toMatchObject({ requests: 1, accepted: 0 });
  });

  test("the 200 carrying an error is an APIError whose status and code come from the envelope", async () => {
    const server = await start();
    server.injectFault({ kind: "error-body", code: 503 });
    const error = await createSoraClient({ apiKey: CANARY_KEY, baseUrl: server.url, validateResponses: "off" })
      .generateVideo(VALID_REQUEST)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(APIError);
    expect(error).toMatchObject({ status: 503, code: 503, mayHaveBeenAccepted: true });
  });
});
