import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { APITimeoutError, APIUserAbortError, createSoraClient, type GenerationProgress } from "../../src/node/index";
import { CANARY_KEY, VALID_REQUEST, VALID_RESPONSE } from "../helpers/fetch";
import { sendJson, useServers, type Handler } from "../helpers/server";

const run = promisify(execFile);
const ROOT = join(__dirname, "..", "..");
const serve = useServers();

const never: Handler = () => undefined;

describe("timeouts", () => {
  test("a server that never answers → APITimeoutError close to timeoutMs, may have been billed, nothing re-sent", async () => {
    const server = await serve(never);
    const sora = createSoraClient({ apiKey: CANARY_KEY, baseUrl: server.url, timeoutMs: 400 });
    const started = Date.now();
    const error = await sora.generateVideo(VALID_REQUEST).catch((caught: unknown) => caught);
    const elapsed = Date.now() - started;
    expect(error).toBeInstanceOf(APITimeoutError);
    expect(error).toMatchObject({ timeoutMs: 400, mayHaveBeenAccepted: true });
    expect(elapsed).toBeGreaterThanOrEqual(390);
    expect(elapsed).toBeLessThan(5000);
    expect(server.arrived).toHaveLength(1);
  });

  test("the per-call timeoutMs overrides the client's", async () => {
    const server = await serve(never);
    const sora = createSoraClient({ apiKey: CANARY_KEY, baseUrl: server.url, timeoutMs: 60_000 });
    await expect(sora.generateVideo(VALID_REQUEST, { timeoutMs: 200 })).rejects.toMatchObject({
      name: "APITimeoutError",
      timeoutMs: 200,
    });
  });

  test("a body that stalls after the headers also times out", async () => {
    const server = await serve((_request, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.write('{"created":');
    });
    const sora = createSoraClient({ apiKey: CANARY_KEY, baseUrl: server.url, timeoutMs: 300 });
    await expect(sora.generateVideo(VALID_REQUEST)).rejects.toBeInstanceOf(APITimeoutError);
  });

  (process.env.LONG_TESTS === "1" ? test : test.skip)(
    "LONG_TESTS=1: headers after 310 s: our Node transport succeeds where Node's built-in fetch fails at 300 s",
    async () => {
      const server = await serve(
        (_request, response) => void setTimeout(() => sendJson(response, 200, VALID_RESPONSE), 310_000),
      );
      const ours = createSoraClient({ apiKey: CANARY_KEY, baseUrl: server.url, timeoutMs: 400_000 });
      const builtIn = createSoraClient({
        apiKey: CANARY_KEY,
        baseUrl: server.url,
        timeoutMs: 400_000,
        fetch: globalThis.fetch,
      });
      const [withOurs, withBuiltIn] = await Promise.allSettled([
        ours.generateVideo(VALID_REQUEST),
        builtIn.generateVideo(VALID_REQUEST),
      ]);
      expect(withOurs).toEqual({ status: "fulfilled", value: VALID_RESPONSE });
      expect(withBuiltIn).toMatchObject({
        status: "rejected",
        reason: { name: "APIConnectionError", code: "UND_ERR_HEADERS_TIMEOUT" },
      });
    },
    420_000,
  );
});

describe("abort", () => {
  test("an AbortSignal ends an open call within 100 ms with APIUserAbortError (sent: may have been billed)", async () => {
    const server = await serve(never);
    const sora = createSoraClient({ apiKey: CANARY_KEY, baseUrl: server.url });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 150);
    const pending = sora
      .generateVideo(VALID_REQUEST, { signal: controller.signal })
      .catch((caught: unknown) => ({ caught, at: Date.now() }));
    await new Promise((resolve) => setTimeout(resolve, 150));
    const abortedAt = Date.now();
    const { caught, at } = (await pending) as { caught: unknown; at: number };
    expect(caught).toBeInstanceOf(APIUserAbortError);
    expect((caught as APIUserAbortError).mayHaveBeenAccepted).toBe(true);
    expect(at - abortedAt).toBeLessThan(100);
  });

  test("an abort during a Retry-After wait ends it at once; the 429 was not billed", async () => {
    const server = await serve((_request, response) => sendJson(response, 429, {}, { "retry-after": "5" }));
    const sora = createSoraClient({ apiKey: CANARY_KEY, baseUrl: server.url });
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 200);
    const error = await sora
      .generateVideo(VALID_REQUEST, { signal: controller.signal })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(APIUserAbortError);
    expect((error as APIUserAbortError).mayHaveBeenAccepted).toBe(false);
    expect(Date.now() - started).toBeLessThan(300 + 100);
    expect(server.requests).toHaveLength(1);
  });

  test("an already-aborted signal sends nothing", async () => {
    const server = await serve(never);
    const sora = createSoraClient({ apiKey: CANARY_KEY, baseUrl: server.url });
    await expect(sora.generateVideo(VALID_REQUEST, { signal: AbortSignal.abort() })).rejects.toMatchObject({
      name: "APIUserAbortError",
      mayHaveBeenAccepted: false,
    });
    expect(server.requests).toHaveLength(0);
  });

  test("after an abort, no timer or socket keeps the process alive (a child process exits by itself)", async () => {
    const server = await serve(never);
    const script = `
      const { createSoraClient } = require("./src/node/index.ts");
      const sora = createSoraClient({ apiKey: "sk-child", baseUrl: process.env.BASE_URL, timeoutMs: 600000 });
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 100);
      sora.generateVideo({ prompt: "p", image_url: "https://x/y.png" }, { signal: controller.signal, onProgress: () => {} })
        .catch((error) => console.log(error.name));
    `;
    const started = Date.now();
    const { stdout } = await run(join(ROOT, "node_modules", ".bin", "tsx"), ["-e", script], {
      cwd: ROOT,
      env: { ...process.env, BASE_URL: server.url },
      timeout: 15_000,
    });
    expect(stdout.trim()).toBe("APIUserAbortError");
    expect(Date.now() - started).toBeLessThan(10_000);
  }, 20_000);
});

describe("progress", () => {
  test("onProgress beats while the call is open, with elapsed time and the attempt, and stops after", async () => {
    const server = await serve(
      (_request, response) => void setTimeout(() => sendJson(response, 200, VALID_RESPONSE), 700),
    );
    const sora = createSoraClient({ apiKey: CANARY_KEY, baseUrl: server.url });
    const beats: GenerationProgress[] = [];
    await sora.generateVideo(VALID_REQUEST, {
      onProgress: (progress) => beats.push(progress),
      progressIntervalMs: 100,
    });
    const count = beats.length;
    expect(count).toBeGreaterThanOrEqual(4);
    expect(beats.every((beat) => beat.attempt === 1)).toBe(true);
    expect(beats.map((beat) => beat.elapsedMs)).toEqual([...beats.map((beat) => beat.elapsedMs)].sort((a, b) => a - b));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(beats).toHaveLength(count);
  });
});
