import { readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Redis } from "ioredis";
import { startMockServer, type MockServer } from "../../src/node/mock";
import { serveVideo, videoSource } from "../../src/node/mock/video";
import { CANARY_KEY } from "../helpers/fetch";
import { startHttpServer } from "../helpers/http-server";
import { openSoraQueue } from "../../src/queue";
import { requireBuiltCli, runCli, startCli, waitFor } from "../cli/helpers/run-cli";
import { useTempDir } from "../cli/helpers/temp-dir";
import { describeWithRedis, startRedisServer, useRedisServer } from "../helpers/redis-server";

const IMAGE = "https://img.example/cat.png";
const DENY_ENGINE = join(__dirname, "helpers", "deny-queue-engine.mjs");
const jobLine = (n: number) => JSON.stringify({ id: `${n}`, prompt: `prompt ${n}`, image_url: IMAGE });

jest.setTimeout(60_000);

describeWithRedis("sora-video batch --queue, worker and queue (the built bin, a throwaway Redis, the mock)", () => {
  const redis = useRedisServer();
  const tempDir = useTempDir("sora-queue-cli-");
  let mock: MockServer | undefined;
  let queueNumber = 0;
  let url = "";
  const out = () => join(tempDir(), "out");
  const jobsFile = () => join(tempDir(), "jobs.jsonl");
  const env = () => ({ ONEROUTER_API_KEY: "sk-test", ONEROUTER_BASE_URL: mock!.url });
  const writeJobs = (count: number, extra: string[] = []) =>
    writeFile(jobsFile(), `${[...Array.from({ length: count }, (_, i) => jobLine(i + 1)), ...extra].join("\n")}\n`);

  beforeAll(() => requireBuiltCli());
  beforeEach(() => {
    // A database per test keeps the queues apart on one server.
    queueNumber += 1;
    url = `${redis().url}/${queueNumber}`;
  });
  afterEach(async () => {
    await mock?.close();
    mock = undefined;
  });

  test("batch --queue runs every job of the file, today's summary and exit codes; a re-run adds nothing", async () => {
    mock = await startMockServer({ latencyMs: 50 });
    await writeJobs(4, [
      '{"id": "t", "prompt": "A lighthouse at dusk"}',
      '{"prompt": "no image", "resolution": "auto"}',
    ]);
    const first = await runCli(["batch", jobsFile(), "--out", out(), "--queue", url, "--max-in-flight", "2"], {
      env: env(),
    });
    expect(first.code).toBe(1);
    expect(first.stderr).toContain("at most 2 in flight across every worker");
    expect(first.stderr).toMatch(
      /line 6: \/resolution must be one of "720p", "1080p" \(as sora-2-pro-text-to-video\) \(skipped\)/,
    );
    expect(first.stdout).toMatch(/^ {2}done {11}5$/m);
    expect(first.stdout).toMatch(/^ {2}malformed {6}1 /m);
    expect(first.stdout).toContain(`Journal: queue "sora-video" on ${url}`);
    expect((await readdir(out())).sort()).toEqual(["1.mp4", "2.mp4", "3.mp4", "4.mp4", "t.mp4"]);
    // The line with neither image_url nor video_id ran as text-to-video, with that page's model.
    expect(mock.stats.acceptedBodies).toContainEqual({
      model: "sora-2-pro-text-to-video",
      prompt: "A lighthouse at dusk",
    });

    await writeJobs(4);
    const second = await runCli(["batch", jobsFile(), "--out", out(), "--queue", url, "--json"], { env: env() });
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ ok: true, counts: { done: 4, alreadyDone: 4 } });
    expect(mock.stats.accepted).toBe(5);
  });

  test("tasks (the gateway's asynchronous flow): polled to their video; a wait cut short ends as 'task', and the re-run polls them, never sending again", async () => {
    mock = await startMockServer({ mode: "async", latencyMs: 4_000 });
    const lines = ["a", "b", "c"].map((id) => JSON.stringify({ id, prompt: `scene ${id}` }));
    await writeFile(jobsFile(), `${lines.join("\n")}\n`);
    const args = ["batch", jobsFile(), "--out", out(), "--queue", url, "--poll-interval", "30ms"];
    const first = await runCli([...args, "--timeout", "1500ms"], { env: env() });
    expect(first.code).toBe(1);
    expect(first.stdout).toMatch(/^ {2}task +3 +accepted as tasks \(billed\)/m);
    expect(first.stdout).toMatch(/^ {2}\d+ +a +task +task cgt-[0-9a-f]{32}/m);
    const second = await runCli([...args, "--json"], { env: env() });
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ ok: true, counts: { done: 3 } });
    expect((await readdir(out())).sort()).toEqual(["a.mp4", "b.mp4", "c.mp4"]);
    expect(mock.stats.accepted).toBe(3);
  }, 60_000);

  test("queue status --json prints exactly the documented document; retry-uncertain warns and re-sends", async () => {
    mock = await startMockServer();
    mock.injectFault({ kind: "status", status: 500 });
    await writeJobs(2);
    const first = await runCli(["batch", jobsFile(), "--out", out(), "--queue", url, "--concurrency", "1"], {
      env: env(),
    });
    expect(first.code).toBe(1);
    expect(first.stdout).toMatch(/^ {2}1 +1 +uncertain +InternalServerError/m);
    const retryCommand =
      `sora-video batch ${jobsFile()} --out ${out()} --queue ${url} --concurrency 1` + " --retry-uncertain";
    expect(first.stdout).toContain(`MAY BILL TWICE):\n    ${retryCommand}\n`);

    const status = await runCli(["queue", "status", "--queue", url, "--json"]);
    expect(status.code).toBe(0);
    expect(status.stdout.trim().split("\n")).toHaveLength(1);
    const document = JSON.parse(status.stdout) as { jobs: Array<Record<string, string>> };
    expect(document).toEqual({
      counts: { waiting: 0, active: 0, done: 1, failed: 0, uncertain: 1, task: 0 },
      jobs: [{ id: "1", state: "uncertain", reason: expect.stringMatching(/^InternalServerError: /) }],
    });
    const table = await runCli(["queue", "status", "--queue", url]);
    expect(table.stdout).toMatch(/^ {2}uncertain +1 +may have been billed: `sora-video queue retry-uncertain`/m);
    const done = await runCli(["queue", "status", "--queue", url, "2"]);
    const videoUrl = "http:\\/\\/127\\.0\\.0\\.1:\\d+\\/videos\\/video_\\w+\\.mp4";
    expect(done.stdout).toMatch(new RegExp(`^ {2}2 {2}done {2}/.*/2\\.mp4 \\(video: ${videoUrl}\\)$`, "m"));
    // On a 40-column terminal: every line cut to fit, the URL whole on a line of its own.
    const narrow = await runCli(["queue", "status", "--queue", url, "2"], { env: { COLUMNS: "40" } });
    expect(narrow.stdout).toMatch(new RegExp(`^ {4}${videoUrl}$`, "m"));
    const wide = narrow.stdout.split("\n").filter((line) => Array.from(line).length >= 40 && !/^ {4}http/.test(line));
    expect(wide).toEqual([]);

    const requests = mock.stats.requests;
    const rerun = await runCli(["batch", jobsFile(), "--out", out(), "--queue", url], { env: env() });
    expect(rerun.code).toBe(1);
    expect(mock.stats.requests).toBe(requests);
    const retry = await runCli(["queue", "retry-uncertain", "--queue", url, "1", "2"]);
    expect(retry.stderr).toContain("MAY BILL TWICE");
    expect(retry.stderr).toContain("left as they are: 2");
    expect(retry.stdout).toBe("1\n");
    const last = await runCli(["batch", jobsFile(), "--out", out(), "--queue", url], { env: env() });
    expect(last.code).toBe(0);
    expect(mock.stats.requests).toBe(requests + 1);
  });

  test("batch --queue: a key the gateway echoes into the video URL reaches neither Redis nor the output", async () => {
    const source = videoSource();
    const gateway = await startHttpServer((request, res) => {
      if (request.method !== "POST") return void serveVideo(request, res, source);
      request.resume().on("end", () => {
        const echo = String(request.headers.authorization);
        // The video host here serves any path, so the job still completes with the URL as kept in Redis.
        const body = { created: 1, data: [{ url: `${gateway.url}/v/${echo}/1.mp4`, video_id: "vid_1" }] };
        res
          .writeHead(200, { "content-type": "application/json", "x-request-id": `req-${echo}` })
          .end(JSON.stringify(body));
      });
    });
    const redisClient = new Redis(url);
    try {
      await writeJobs(1);
      const env = { ONEROUTER_API_KEY: CANARY_KEY, ONEROUTER_BASE_URL: gateway.url };
      const run = await runCli(["batch", jobsFile(), "--out", out(), "--queue", url, "--json"], { env });
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({ counts: { done: 1 } });
      expect(run.stdout + run.stderr).not.toContain(CANARY_KEY);
      const dump: string[] = [];
      for (const key of await redisClient.keys("*")) {
        const type = await redisClient.type(key);
        if (type === "hash") dump.push(JSON.stringify(await redisClient.hgetall(key)));
        else if (type === "string") dump.push(String(await redisClient.get(key)));
        else if (type === "list") dump.push(...(await redisClient.lrange(key, 0, -1)));
        else if (type === "zset") dump.push(...(await redisClient.zrange(key, 0, -1)));
        else if (type === "set") dump.push(...(await redisClient.smembers(key)));
        else if (type === "stream") dump.push(JSON.stringify(await redisClient.xrange(key, "-", "+")));
      }
      expect(dump.join("\n")).toContain("/v/[redacted]/1.mp4");
      expect(dump.join("\n")).not.toContain(CANARY_KEY);
    } finally {
      redisClient.disconnect();
      await gateway.close();
    }
  });

  test("queue status <unknown id>: says which ids the queue does not hold, exit 1 (--json: not_found)", async () => {
    mock = await startMockServer();
    await writeJobs(1);
    expect((await runCli(["batch", jobsFile(), "--out", out(), "--queue", url], { env: env() })).code).toBe(0);
    const run = await runCli(["queue", "status", "--queue", url, "1", "nope", "typo"]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^ {2}1 {2}done /m);
    expect(run.stderr).toMatch(
      /^not in queue "sora-video" on redis:\/\/\S+: nope, typo \(check the ids and --queue\)$/m,
    );
    const json = await runCli(["queue", "status", "--queue", url, "--json", "nope"]);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ jobs: [], not_found: ["nope"] });
    expect((await runCli(["queue", "status", "--queue", url, "1"])).code).toBe(0);
  });

  test.each(["SIGTERM", "SIGHUP"] as const)(
    "worker: %s lets the running job finish, then it exits 0",
    async (signal) => {
      mock = await startMockServer({ latencyMs: 1_500 });
      const worker = startCli(["worker", "--queue", url, "--out", out()], { env: env() });
      const queue = await openSoraQueue({ connection: url });
      try {
        await queue.enqueue([{ id: "slow", out: "slow.mp4", request: { prompt: "slow", image_url: IMAGE } }]);
        await waitFor(() => mock!.stats.accepted === 1, 20_000, "the job to be sent");
        worker.child.kill(signal);
        const run = await worker.done;
        expect({ code: run.code, signal: run.signal }).toEqual({ code: 0, signal: null });
        expect(run.stderr).toContain("waiting for the running ones");
        expect(run.stderr).toMatch(/✓ slow → .*slow\.mp4/);
        expect((await queue.status(["slow"])).jobs[0]).toMatchObject({ state: "done" });
      } finally {
        worker.child.kill("SIGKILL");
        await queue.close();
      }
    },
  );

  test("warns when the Redis server evicts keys or has persistence off", async () => {
    const unsafe = await startRedisServer({ appendonly: "no", "maxmemory-policy": "allkeys-lru" });
    try {
      const run = await runCli(["queue", "status", "--queue", unsafe.url]);
      expect(run.code).toBe(0);
      expect(run.stderr).toMatch(/warning: the Redis server evicts keys \(maxmemory-policy allkeys-lru\)/);
      expect(run.stderr).toMatch(/warning: the Redis server has persistence off/);
    } finally {
      unsafe.stop();
    }
  });

  test("commands without --queue never load bullmq or ioredis; queue commands say what to install", async () => {
    mock = await startMockServer();
    await writeJobs(1);
    const denied = { ...env(), NODE_OPTIONS: `--import=${DENY_ENGINE}` };
    expect((await runCli(["--help"], { env: denied })).code).toBe(0);
    const batch = await runCli(["batch", jobsFile(), "--out", out()], { env: denied });
    expect(batch.code).toBe(0);
    const status = await runCli(["queue", "status", "--queue", url], { env: denied });
    expect(status.code).toBe(2);
    expect(status.stderr).toContain("npm i bullmq@6.7.0 ioredis@5.11.1");
  });

  test("--max-in-flight without --queue is a usage error; a bad --queue URL too", async () => {
    await writeJobs(1);
    const caps = await runCli(["batch", jobsFile(), "--out", out(), "--max-in-flight", "3"], {
      env: { ONEROUTER_API_KEY: "sk-test" },
    });
    expect(caps.code).toBe(2);
    expect(caps.stderr).toContain("need --queue");
    const bad = await runCli(["queue", "status", "--queue", "http://127.0.0.1:1"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("redis:// or rediss://");
  });
});
