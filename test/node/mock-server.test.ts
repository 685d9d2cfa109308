import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createSoraClient } from "../../src/node/index";
import { SoraError } from "../../src/errors";
import { MockOptionError, startMockServer, type MockFault, type MockServer } from "../../src/node/mock/index";
import { mp4BoxesOfBuffer, mp4Problems } from "../../src/node/mock/mp4-boxes";
import { responseIssues } from "../../src/validation";
import { CANARY_KEY, VALID_REQUEST } from "../helpers/fetch";

/** What a rejected fetch failed with (fetch's errors come from another realm, so no instanceof). */
function failure(promise: Promise<unknown>): Promise<{ name: string; code: string | undefined }> {
  return promise.then(
    () => ({ name: "no failure", code: undefined }),
    (error: { name: string; cause?: { code?: string } }) => ({ name: error.name, code: error.cause?.code }),
  );
}

const BODY = { model: "sora-2-pro-image-to-video", ...VALID_REQUEST };
const FIXTURE = readFileSync(join(__dirname, "..", "..", "src", "node", "mock", "fixtures", "sample.mp4"));

let mock: MockServer | undefined;
afterEach(async () => {
  await mock?.close();
  mock = undefined;
});

async function start(options: Parameters<typeof startMockServer>[0] = {}): Promise<MockServer> {
  mock = await startMockServer(options);
  return mock;
}

function post(
  server: MockServer,
  body: unknown,
  headers: Record<string, string> = { authorization: CANARY_KEY },
  signal?: AbortSignal,
): Promise<Response> {
  return fetch(`${server.url}/v1/videos/generations`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
    signal,
  });
}

async function generate(server: MockServer): Promise<{ url: string; video_id: string }> {
  const response = await post(server, BODY);
  expect(response.status).toBe(200);
  return ((await response.json()) as { data: Array<{ url: string; video_id: string }> }).data[0]!;
}

describe("mock gateway: generations", () => {
  test("a valid request gets a spec-valid 200 whose url serves a real MP4 from the mock itself", async () => {
    const server = await start();
    const response = await post(server, BODY);
    expect(response.status).toBe(200);
    expect(response.headers.get("x-request-id")).toMatch(/^req_mock_/);
    const body = (await response.json()) as {
      created: number;
      data: Array<{ url: string; revised_prompt: string; video_id: string }>;
    };
    expect(responseIssues("createVideoGeneration", body)).toEqual([]);
    expect(body.data).toHaveLength(1);
    expect(body.data[0]!.revised_prompt).toBe(BODY.prompt);
    expect(body.data[0]!.url).toBe(`${server.url}/videos/${body.data[0]!.video_id}.mp4`);
    const video = await fetch(body.data[0]!.url);
    expect(video.status).toBe(200);
    expect(video.headers.get("content-type")).toBe("video/mp4");
    expect(video.headers.get("accept-ranges")).toBe("bytes");
    expect(video.headers.get("content-length")).toBe(String(FIXTURE.length));
    expect(Buffer.from(await video.arrayBuffer()).equals(FIXTURE)).toBe(true);
  });

  test("the real client generates against it, and the mock records the accepted body", async () => {
    const server = await start();
    const sora = createSoraClient({ apiKey: CANARY_KEY, baseUrl: server.url, validateResponses: "throw" });
    const video = await sora.generateVideo({ ...VALID_REQUEST, duration: "8" });
    expect(video.data[0]?.url).toMatch(new RegExp(`^${server.url}/videos/video_\\w+\\.mp4$`));
    expect(server.stats).toMatchObject({ requests: 1, accepted: 1, rejected: 0, downloads: 0 });
    expect(server.stats.acceptedBodies).toEqual([{ ...BODY, duration: "8" }]);
  });

  test.each<[string, number, Record<string, string>, string | undefined]>([
    ["no Authorization", 401, {}, undefined],
    ["an empty Authorization", 401, { authorization: " " }, undefined],
    ["any key when none is configured", 200, { authorization: "whatever" }, undefined],
    ["the configured key, raw", 200, { authorization: CANARY_KEY }, CANARY_KEY],
    ["the configured key as Bearer", 200, { authorization: `Bearer ${CANARY_KEY}` }, CANARY_KEY],
    ["a wrong key", 401, { authorization: "sk-wrong" }, CANARY_KEY],
  ])("Authorization: %s → %i", async (_name, status, headers, apiKey) => {
    const server = await start({ apiKey });
    const response = await post(server, BODY, headers);
    expect(response.status).toBe(status);
    if (status === 401) expect(await response.json()).toMatchObject({ error: { type: "authentication_error" } });
    expect(server.stats.accepted).toBe(status === 200 ? 1 : 0);
  });

  test.each<[string, unknown, string[]]>([
    ["missing prompt", { model: BODY.model, image_url: BODY.image_url }, ["/prompt"]],
    ["duration outside the enum", { ...BODY, duration: "5" }, ["/duration"]],
    ["resolution of the wrong type", { ...BODY, resolution: 1080 }, ["/resolution"]],
    ["missing model and image_url", { prompt: "x" }, ["/model", "/image_url"]],
    ["an array body", [BODY], [""]],
  ])("400 with the issues (the gateway answers bad or missing parameters so): %s", async (_name, body, paths) => {
    const server = await start();
    const response = await post(server, body);
    expect(response.status).toBe(400);
    const json = (await response.json()) as {
      error: { type: string; message: string };
      issues: Array<{ path: string; message: string }>;
    };
    expect(json.error.type).toBe("invalid_request_error");
    expect([...new Set(json.issues.map((issue) => issue.path))]).toEqual(paths);
    expect(json.error.message).toContain(paths[0] || "(body)");
    expect(server.stats).toMatchObject({ requests: 1, accepted: 0, rejected: 1 });
  });

  test("the README example: a queued 429 is retried, the remix makes a new video, the stats show all three requests", async () => {
    const server = await start({ latencyMs: 200 });
    const sora = createSoraClient({ apiKey: "test", baseUrl: server.url });
    server.injectFault({ kind: "status", status: 429, retryAfterSeconds: 0 });
    const video = await sora.generateVideo({ prompt: "A cat", image_url: "https://example.com/cat.png" });
    const night = await sora.remixVideo({ video_id: video.data[0]!.video_id!, prompt: "Make it night" });
    expect(night.data[0]!.url).toMatch(new RegExp(`^${server.url}/videos/`));
    const generation = { model: BODY.model, prompt: "A cat", image_url: "https://example.com/cat.png" };
    const remix = { model: "sora-2-video-to-video", video_id: video.data[0]!.video_id, prompt: "Make it night" };
    expect(server.stats).toEqual({
      requests: 3,
      accepted: 2,
      rejected: 1,
      acceptedBodies: [generation, remix],
      downloads: 0,
      taskPolls: 0,
    });
  });

  test("unknown properties are accepted (the spec does not forbid them)", async () => {
    const server = await start();
    expect((await post(server, { ...BODY, seed: 42 })).status).toBe(200);
  });

  test.each([
    ["malformed JSON", "{ not json"],
    ["an empty body", ""],
  ])("400 for %s", async (_name, text) => {
    const server = await start();
    const response = await post(server, text);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { type: "invalid_request_error" } });
  });

  test("other routes: 405 for GET on the generation path, 404 for unknown paths and unknown videos", async () => {
    const server = await start();
    const wrongMethod = await fetch(`${server.url}/v1/videos/generations`);
    expect([wrongMethod.status, wrongMethod.headers.get("allow")]).toEqual([405, "POST"]);
    expect((await fetch(`${server.url}/nope`)).status).toBe(404);
    const unknownVideo = await fetch(`${server.url}/videos/video_unknown.mp4`);
    expect(unknownVideo.status).toBe(404);
    expect(unknownVideo.headers.get("x-request-id")).toMatch(/^req_mock_/);
  });

  test("latency: the answer waits latencyMs; a client that leaves early does not break the server", async () => {
    const server = await start({ latencyMs: 400 });
    const started = Date.now();
    await generate(server);
    expect(Date.now() - started).toBeGreaterThanOrEqual(380);
    expect(await failure(post(server, BODY, undefined, AbortSignal.timeout(50)))).toMatchObject({
      name: "TimeoutError",
    });
    expect(server.stats.accepted).toBe(2);
    expect((await post(server, BODY)).status).toBe(200);
  });

  test.each<[string, Parameters<typeof startMockServer>[0], string]>([
    ["latencyMs", { latencyMs: -1 }, "latencyMs"],
    ["port", { port: 70_000 }, "port"],
    ["apiKey", { apiKey: "" }, "apiKey"],
    ["videoBytes", { videoBytes: 10 }, "videoBytes"],
  ])("a bad %s is the mock's own MockOptionError naming it (not a client error)", async (_name, options, option) => {
    const error = await startMockServer(options).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MockOptionError);
    expect(error).not.toBeInstanceOf(SoraError);
    expect(error).toMatchObject({ name: "MockOptionError", option, message: expect.stringContaining(option) });
  });
});

describe("mock gateway: faults", () => {
  test.each<[string, MockFault, number, string | null, RegExp]>([
    ["429 with Retry-After", { kind: "status", status: 429, retryAfterSeconds: 7 }, 429, "7", /application\/json/],
    ["429 defaults Retry-After to 1 s", { kind: "status", status: 429 }, 429, "1", /application\/json/],
    ["500", { kind: "status", status: 500 }, 500, null, /application\/json/],
    ["502 as an HTML page", { kind: "status", status: 502, html: true }, 502, null, /text\/html/],
    ["503", { kind: "status", status: 503, retryAfterSeconds: 2 }, 503, "2", /application\/json/],
  ])("injectFault %s, used once", async (_name, fault, status, retryAfter, type) => {
    const server = await start();
    server.injectFault(fault);
    const response = await post(server, BODY);
    expect(response.status).toBe(status);
    expect(response.headers.get("retry-after")).toBe(retryAfter);
    expect(response.headers.get("content-type")).toMatch(type);
    await response.text();
    expect((await post(server, BODY)).status).toBe(200);
    expect(server.stats).toMatchObject({ requests: 2, accepted: 1, rejected: 1 });
  });

  test("faults are a FIFO queue applied to the next generation requests, whatever they carry", async () => {
    const server = await start();
    server.injectFault({ kind: "status", status: 500 });
    server.injectFault({ kind: "status", status: 429, retryAfterSeconds: 0 });
    expect((await post(server, { invalid: true }, {})).status).toBe(500);
    expect((await post(server, BODY)).status).toBe(429);
    expect((await post(server, BODY)).status).toBe(200);
  });

  test("timeout: the request is accepted but never answered", async () => {
    const server = await start();
    server.injectFault({ kind: "timeout" });
    expect(await failure(post(server, BODY, undefined, AbortSignal.timeout(300)))).toMatchObject({
      name: "TimeoutError",
    });
    expect(server.stats).toMatchObject({ requests: 1, accepted: 0, rejected: 0 });
  });

  test("reset: the connection is reset once the request is read", async () => {
    const server = await start();
    server.injectFault({ kind: "reset" });
    expect(await failure(post(server, BODY))).toEqual({
      name: "TypeError",
      code: expect.stringMatching(/ECONNRESET|UND_ERR_SOCKET/),
    });
  });

  test.each([
    ["429", 429],
    ["500", 500],
    ["502", 502],
  ])("x-mock-fault: %s", async (value, status) => {
    const server = await start();
    expect((await post(server, BODY, { authorization: "k", "x-mock-fault": value })).status).toBe(status);
    expect((await post(server, BODY)).status).toBe(200);
  });

  test("x-mock-fault: timeout and reset", async () => {
    const server = await start();
    expect(
      await failure(post(server, BODY, { authorization: "k", "x-mock-fault": "timeout" }, AbortSignal.timeout(300))),
    ).toMatchObject({ name: "TimeoutError" });
    expect(await failure(post(server, BODY, { authorization: "k", "x-mock-fault": "reset" }))).toEqual({
      name: "TypeError",
      code: expect.stringMatching(/ECONNRESET|UND_ERR_SOCKET/),
    });
  });

  test("an unknown x-mock-fault value is a 400 naming the allowed values", async () => {
    const server = await start();
    const response = await post(server, BODY, { authorization: "k", "x-mock-fault": "404" });
    expect(response.status).toBe(400);
    const { message } = ((await response.json()) as { error: { message: string } }).error;
    expect(message).toMatch(/402, 403, 408, 422, 429, 500, 502, 503, 200-error, timeout, reset/);
  });
});

describe("mock gateway: the video", () => {
  test.each<[string, Record<string, string>, number, string | null, [number, number] | null]>([
    ["first 100 bytes", { range: "bytes=0-99" }, 206, "bytes 0-99/7959", [0, 100]],
    ["from byte 7000", { range: "bytes=7000-" }, 206, "bytes 7000-7958/7959", [7000, 7959]],
    ["the last 50 bytes", { range: "bytes=-50" }, 206, "bytes 7909-7958/7959", [7909, 7959]],
    ["an end past the size is clamped", { range: "bytes=7900-99999" }, 206, "bytes 7900-7958/7959", [7900, 7959]],
    ["a start past the end", { range: "bytes=7959-" }, 416, "bytes */7959", null],
    ["If-Range with another ETag serves it all", { range: "bytes=0-9", "if-range": '"other"' }, 200, null, [0, 7959]],
    ["If-Range with its ETag", { range: "bytes=0-9", "if-range": '"sample-7959"' }, 206, "bytes 0-9/7959", [0, 10]],
    ["several ranges serve it all", { range: "bytes=0-9,20-29" }, 200, null, [0, 7959]],
    ["a malformed Range serves it all", { range: "items=0-9" }, 200, null, [0, 7959]],
  ])("Range: %s", async (_name, headers, status, contentRange, slice) => {
    const server = await start();
    const { url } = await generate(server);
    const response = await fetch(url, { headers });
    expect(response.status).toBe(status);
    expect(response.headers.get("content-range")).toBe(contentRange);
    const body = Buffer.from(await response.arrayBuffer());
    if (slice) {
      expect(response.headers.get("content-length")).toBe(String(slice[1] - slice[0]));
      expect(body.equals(FIXTURE.subarray(...slice))).toBe(true);
    } else {
      expect(body.length).toBe(0);
    }
    expect(server.stats.downloads).toBe(slice ? 1 : 0);
  });

  test("HEAD gives the headers without counting a download", async () => {
    const server = await start();
    const { url } = await generate(server);
    const response = await fetch(url, { method: "HEAD" });
    expect([response.status, response.headers.get("content-length"), response.headers.get("etag")]).toEqual([
      200,
      "7959",
      '"sample-7959"',
    ]);
    expect(server.stats.downloads).toBe(0);
  });

  test("videoBytes: a synthetic video of that size that is still a well-formed MP4, with Range", async () => {
    const size = 3 * 1024 * 1024 + 17;
    const server = await start({ videoBytes: size });
    const { url } = await generate(server);
    const whole = Buffer.from(await (await fetch(url)).arrayBuffer());
    expect(whole.length).toBe(size);
    const boxes = mp4BoxesOfBuffer(whole);
    expect(boxes.map((box) => box.type)).toEqual(["ftyp", "moov", "free", "mdat"]);
    expect(mp4Problems(boxes)).toEqual([]);
    expect(whole.subarray(0, 1786).equals(FIXTURE.subarray(0, 1786))).toBe(true);
    const tail = await fetch(url, { headers: { range: `bytes=${size - 10}-` } });
    expect(tail.headers.get("content-range")).toBe(`bytes ${size - 10}-${size - 1}/${size}`);
    expect(Buffer.from(await tail.arrayBuffer()).equals(Buffer.alloc(10))).toBe(true);
    expect(server.stats.downloads).toBe(2);
  });

  test("stats count requests, acceptances, rejections and downloads", async () => {
    const server = await start();
    const { url } = await generate(server);
    await (await post(server, BODY, {})).text();
    await (await post(server, { ...BODY, duration: "5" })).text();
    await (await fetch(url)).arrayBuffer();
    await (await fetch(url, { headers: { range: "bytes=10-" } })).arrayBuffer();
    expect(server.stats).toMatchObject({ requests: 3, accepted: 1, rejected: 2, downloads: 2 });
  });
});

describe("mock gateway: lifecycle", () => {
  function openHandles(): number {
    return process.getActiveResourcesInfo().filter((name) => name === "TCPServerWrap" || name === "TCPSocketWrap")
      .length;
  }

  test("close() stops listening and destroys open connections, hung requests included", async () => {
    const before = openHandles();
    const server = await startMockServer({ latencyMs: 60_000 });
    server.injectFault({ kind: "timeout" });
    const hung = failure(post(server, BODY));
    const rendering = failure(post(server, BODY));
    for (let tries = 0; server.stats.requests < 2 && tries < 200; tries += 1)
      await new Promise((resolve) => setTimeout(resolve, 10));
    await server.close();
    expect(await hung).toMatchObject({ name: "TypeError" });
    expect(await rendering).toMatchObject({ name: "TypeError" });
    expect(await failure(fetch(`${server.url}/v1/videos/generations`, { method: "POST" }))).toEqual({
      name: "TypeError",
      code: "ECONNREFUSED",
    });
    expect(server.stats).toMatchObject({ requests: 2, accepted: 1 });
    for (let tries = 0; openHandles() > before && tries < 200; tries += 1)
      await new Promise((resolve) => setTimeout(resolve, 10));
    expect(openHandles()).toBeLessThanOrEqual(before);
  });
});

describe("the MP4 fixture", () => {
  test("the embedded copy the mock serves is byte-identical to the committed fixture", async () => {
    const { SAMPLE_VIDEO_BASE64 } = await import("../../src/node/mock/sample-video");
    expect(Buffer.from(SAMPLE_VIDEO_BASE64, "base64").equals(FIXTURE)).toBe(true);
  });

  test("it is a small, well-formed MP4: ftyp, moov before mdat, sizes consistent", () => {
    expect(FIXTURE.length).toBeLessThan(100 * 1024);
    const boxes = mp4BoxesOfBuffer(FIXTURE);
    expect(boxes.map((box) => box.type)).toEqual(["ftyp", "moov", "free", "mdat"]);
    expect(boxes.reduce((sum, box) => sum + box.size, 0)).toBe(FIXTURE.length);
    expect(mp4Problems(boxes)).toEqual([]);
  });

  function sized(type: string, declared: number, payload: number): Buffer {
    const data = Buffer.alloc(8 + payload);
    data.writeUInt32BE(declared, 0);
    data.write(type, 4, "latin1");
    return data;
  }
  const large = Buffer.alloc(24);
  large.writeUInt32BE(1, 0);
  large.write("moov", 4, "latin1");
  large.writeBigUInt64BE(24n, 8);

  test.each<[string, Buffer, RegExp | string[]]>([
    ["a box smaller than its header", sized("ftyp", 4, 0), /smaller than its header/],
    ["a box running past the end", Buffer.concat([sized("ftyp", 16, 8), sized("mdat", 100, 10)]), /runs past the end/],
    ["a truncated header", Buffer.concat([sized("ftyp", 16, 8), Buffer.from([0, 0])]), /truncated box header/],
    ["no moov", Buffer.concat([sized("ftyp", 16, 8), sized("mdat", 12, 4)]), ['no "moov" box']],
    [
      "not starting with ftyp",
      Buffer.concat([sized("moov", 8, 0), sized("mdat", 8, 0)]),
      ['the first box is "moov", not "ftyp"'],
    ],
    ["a 64-bit size and a to-the-end box", Buffer.concat([sized("ftyp", 8, 0), large, sized("mdat", 0, 4)]), []],
  ])("box walk: %s", (_name, data, expected) => {
    if (expected instanceof RegExp) expect(() => mp4BoxesOfBuffer(data)).toThrow(expected);
    else expect(mp4Problems(mp4BoxesOfBuffer(data))).toEqual(expected);
  });
});
