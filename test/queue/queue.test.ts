import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Queue } from "bullmq";
import { createSoraClient } from "../../src/node";
import { inspectMp4File, startMockServer, type MockServer } from "../../src/node/mock";
import { fromEngineId, toEngineId } from "../../src/queue/job-id";
import {
  InvalidQueueJobError,
  openSoraQueue,
  type QueueJob,
  type QueueWorkerClient,
  type SoraQueue,
  type SoraWorker,
} from "../../src/queue";
import { waitFor } from "../cli/helpers/run-cli";
import { describeWithRedis, startRedisServer, useRedisServer } from "../helpers/redis-server";

const IMAGE = "https://img.example/cat.png";
const job = (id: string): QueueJob => ({
  id,
  out: `${id.replace(/\W/g, "_")}.mp4`,
  request: { prompt: `prompt ${id}`, image_url: IMAGE },
});

describe("BullMQ job ids: never all digits, never a colon, one-to-one", () => {
  test.each([
    ["42", "s-42"],
    ["shot:1", "s-shot%3A1"],
    ["50%", "s-50%25"],
    ["%3A", "s-%253A"],
    ["a b", "s-a b"],
  ])("%s ↔ %s", (id, engineId) => {
    expect(toEngineId(id)).toBe(engineId);
    expect(fromEngineId(engineId)).toBe(id);
  });
  test("ids from elsewhere are not ours", () => expect(fromEngineId("17")).toBeUndefined());
});

describeWithRedis("openSoraQueue against a throwaway redis-server and the embedded mock", () => {
  const redis = useRedisServer();
  let mock: MockServer;
  let dir: string;
  let queue: SoraQueue;
  const workers: SoraWorker[] = [];
  let queueCount = 0;
  const acceptedByPrompt = () => {
    const counts: Record<string, number> = {};
    for (const body of mock.stats.acceptedBodies) counts[String(body.prompt)] = (counts[String(body.prompt)] ?? 0) + 1;
    return counts;
  };
  type WorkOptions = { outDir?: string; apiKey?: string; client?: QueueWorkerClient; quickStalls?: boolean };
  const work = async (options: WorkOptions = {}) => {
    const client = options.client ?? createSoraClient({ apiKey: options.apiKey ?? "sk-test", baseUrl: mock.url });
    // A dead worker's job is found within seconds (the default lock lasts a minute).
    const times = options.quickStalls ? { lockDurationMs: 2_000, stalledIntervalMs: 500 } : {};
    const worker = await queue.startWorker({ client, outDir: options.outDir ?? dir, concurrency: 4, ...times });
    workers.push(worker);
    return worker;
  };

  beforeEach(async () => {
    mock = await startMockServer({ latencyMs: 20, apiKey: "sk-test" });
    dir = await mkdtemp(join(tmpdir(), "sora-queue-"));
    queueCount += 1;
    queue = await openSoraQueue({ connection: redis().url, name: `q${queueCount}` });
  });
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((worker) => worker.close()));
    await queue.close();
    await mock.close();
    await rm(dir, { recursive: true, force: true });
  });

  test("enqueueing the same ids twice adds nothing; ids BullMQ would refuse work; every job is done once", async () => {
    const jobs = ["42", "shot:1", "50%", "plain"].map(job);
    expect(await queue.enqueue(jobs)).toEqual({ added: ["42", "shot:1", "50%", "plain"], existing: [], changed: [] });
    expect(await queue.enqueue(jobs)).toEqual({ added: [], existing: ["42", "shot:1", "50%", "plain"], changed: [] });
    const edited = { ...job("42"), out: "other.mp4" };
    expect((await queue.enqueue([edited])).changed).toEqual(["42"]);
    await work();
    const statuses = await queue.waitUntilEnded(
      jobs.map((entry) => entry.id),
      { intervalMs: 200 },
    );
    expect(statuses.map((status) => [status.id, status.state])).toEqual(jobs.map((entry) => [entry.id, "done"]));
    for (const status of statuses) {
      expect(status.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/videos\//);
      expect(inspectMp4File(status.path!).problems).toEqual([]);
      expect(status.bytes).toBe(7959);
    }
    expect(await queue.enqueue(jobs)).toMatchObject({ added: [] });
    expect(Object.values(acceptedByPrompt())).toEqual([1, 1, 1, 1]);
    expect((await queue.status()).counts).toEqual({ waiting: 0, active: 0, done: 4, failed: 0, uncertain: 0, task: 0 });
    // The engine itself never runs a job twice: one attempt, kept when finished (so its id stays taken).
    const engine = new Queue(queue.name, { connection: { url: redis().url } });
    const downloads = new Queue(`${queue.name}-downloads`, { connection: { url: redis().url } });
    try {
      const stored = await engine.getJob("s-shot%3A1");
      const once = { attempts: 1, removeOnComplete: false, removeOnFail: false };
      expect(stored?.opts).toMatchObject(once);
      // Its download ran from the downloads queue, under the same id, also at most once.
      expect((await downloads.getJob("s-shot%3A1"))?.opts).toMatchObject(once);
    } finally {
      await engine.close();
      await downloads.close();
    }
  });

  test("a bad job is refused before anything is queued", async () => {
    const request = { prompt: "p", image_url: IMAGE, duration: "7" };
    const bad = { id: "b", out: "b.mp4", request } as unknown as QueueJob;
    await expect(queue.enqueue([bad])).rejects.toThrow(/request\/duration/);
    await expect(queue.enqueue([job("ok"), bad])).rejects.toThrow(InvalidQueueJobError);
    expect((await queue.status()).jobs).toEqual([]);
  });

  test("refused jobs fail and retryFailed runs them again; a 5xx is uncertain, re-sent by retryUncertain", async () => {
    await queue.enqueue([job("a"), job("b")]);
    await work({ apiKey: "sk-wrong" });
    await queue.waitUntilEnded(["a", "b"], { intervalMs: 200 });
    const failed = await queue.status();
    expect(failed.counts).toMatchObject({ failed: 2 });
    expect(failed.jobs[0]!.reason).toMatch(/^AuthenticationError: /);
    await workers.pop()!.close();

    await work();
    mock.injectFault({ kind: "status", status: 500 });
    expect((await queue.retryFailed()).sort()).toEqual(["a", "b"]);
    const ended = await queue.waitUntilEnded(["a", "b"], { intervalMs: 200 });
    expect(ended.map((status) => status.state).sort()).toEqual(["done", "uncertain"]);
    const uncertain = ended.find((status) => status.state === "uncertain")!;
    expect(uncertain.reason).toMatch(/^InternalServerError: /);
    expect(await queue.retryFailed()).toEqual([]);

    expect(await queue.retryUncertain()).toEqual([uncertain.id]);
    const again = await queue.waitUntilEnded([uncertain.id], { intervalMs: 200 });
    expect(again[0]).toMatchObject({ state: "done", submissions: 3 });
    expect(await queue.retryUncertain()).toEqual([]);
  });

  test("a failed download keeps the video URL in the job: retryFailed downloads it again, paying nothing", async () => {
    const blocked = join(dir, "not-a-dir");
    await writeFile(blocked, "");
    await queue.enqueue([job("d")]);
    await work({ outDir: blocked });
    const [failed] = await queue.waitUntilEnded(["d"], { intervalMs: 200 });
    expect(failed).toMatchObject({ state: "failed", url: expect.stringMatching(/\/videos\//) });
    await workers.pop()!.close();
    await work();
    await queue.retryFailed(["d"]);
    const [done] = await queue.waitUntilEnded(["d"], { intervalMs: 200 });
    expect(done).toMatchObject({ state: "done", url: failed!.url, path: join(dir, "d.mp4") });
    expect(mock.stats.accepted).toBe(1);
  });

  test("a download does not hold a render slot: with a cap of 2 and downloads held, every render still runs", async () => {
    const base = createSoraClient({ apiKey: "sk-test", baseUrl: mock.url });
    const renders = { inFlight: 0, peak: 0 };
    let release: () => void = () => undefined;
    // Held until every render ran (never past 12 s, so a broken feature fails instead of hanging).
    const held = new Promise<void>((resolve) => {
      release = resolve;
      setTimeout(resolve, 12_000).unref();
    });
    let heldDownloads = 0;
    const client: QueueWorkerClient = {
      waitForTask: (taskId, options) => base.waitForTask(taskId, options),
      generateVideo: async (request, options) => {
        renders.peak = Math.max(renders.peak, (renders.inFlight += 1));
        try {
          return await base.generateVideo(request, options);
        } finally {
          renders.inFlight -= 1;
        }
      },
      remixVideo: (request, options) => base.remixVideo(request, options),
      downloadVideo: async (url, dest, options) => {
        heldDownloads += 1;
        await held;
        return base.downloadVideo(url, dest, options);
      },
    };
    await queue.setLimits({ maxInFlight: 2 });
    const ids = ["c1", "c2", "c3", "c4", "c5", "c6"];
    await queue.enqueue(ids.map(job));
    await work({ client });
    try {
      // Before any download ends, every render has run (two at most at once) and every job waits on its download.
      await waitFor(() => mock.stats.accepted === ids.length && heldDownloads === 4, 8_000, "every render");
      expect(renders.peak).toBe(2);
      // The last render hands over a moment after the gateway answered it.
      const handedOver = async () => (await queue.status()).counts.waiting === 2;
      await waitFor(handedOver, 5_000, "the last hand-over");
      const { counts, jobs } = await queue.status();
      expect(jobs.map((status) => status.id).sort()).toEqual(ids);
      expect(counts).toEqual({ waiting: 2, active: 4, done: 0, failed: 0, uncertain: 0, task: 0 });
      for (const status of jobs) expect(status).toMatchObject({ url: expect.stringMatching(/\/videos\//) });
    } finally {
      release();
    }
    const ended = await queue.waitUntilEnded(ids, { intervalMs: 200 });
    expect(ended.map((status) => status.state)).toEqual(Array(ids.length).fill("done"));
    expect(mock.stats.accepted).toBe(ids.length);
  }, 30_000);

  test("a worker that dies mid-download: its job fails with the URL, retryFailed downloads it, paying nothing", async () => {
    const base = createSoraClient({ apiKey: "sk-test", baseUrl: mock.url });
    let started = 0;
    // A download that never ends, even when aborted: the worker is then closed as if it died.
    const hanging: QueueWorkerClient = {
      waitForTask: (taskId, options) => base.waitForTask(taskId, options),
      generateVideo: (request, options) => base.generateVideo(request, options),
      remixVideo: (request, options) => base.remixVideo(request, options),
      downloadVideo: () => ((started += 1), new Promise(() => undefined)),
    };
    await queue.enqueue([job("h")]);
    const dying = await work({ client: hanging, quickStalls: true });
    await waitFor(() => started === 1, 10_000, "the download");
    workers.splice(workers.indexOf(dying), 1);
    await dying.close({ abort: true });
    await work({ quickStalls: true });
    const [failed] = await queue.waitUntilEnded(["h"], { intervalMs: 200 });
    expect(failed).toMatchObject({ state: "failed", url: expect.stringMatching(/\/videos\//) });
    expect(failed!.reason).toMatch(/stopped while downloading \(job stalled .*\); downloading again costs nothing/);
    expect(await queue.retryFailed()).toEqual(["h"]);
    const [done] = await queue.waitUntilEnded(["h"], { intervalMs: 200 });
    expect(done).toMatchObject({ state: "done", url: failed!.url, path: join(dir, "h.mp4"), submissions: 1 });
    expect(mock.stats.accepted).toBe(1);
  }, 30_000);

  test("a worker that dies while a task is polled: the job ends as 'task' with its id, retryTasks finishes it without a second submit", async () => {
    await mock.close();
    mock = await startMockServer({ latencyMs: 300, apiKey: "sk-test", mode: "async" });
    const base = createSoraClient({ apiKey: "sk-test", baseUrl: mock.url });
    let polling = 0;
    // A wait that never ends, even when aborted: the worker is then closed as if it died.
    const hanging: QueueWorkerClient = {
      waitForTask: () => ((polling += 1), new Promise(() => undefined)),
      generateVideo: (request, options) => base.generateVideo(request, options),
      remixVideo: (request, options) => base.remixVideo(request, options),
      downloadVideo: (url, dest, options) => base.downloadVideo(url, dest, options),
    };
    await queue.enqueue([{ id: "t", out: "t.mp4", request: { prompt: "A lighthouse at dusk" } }]);
    const dying = await work({ client: hanging, quickStalls: true });
    await waitFor(() => polling === 1, 10_000, "the task's wait");
    workers.splice(workers.indexOf(dying), 1);
    await dying.close({ abort: true });
    const quick = createSoraClient({ apiKey: "sk-test", baseUrl: mock.url });
    const polite: QueueWorkerClient = {
      ...quick,
      waitForTask: (taskId, options) => quick.waitForTask(taskId, { ...options, pollIntervalMs: 50 }),
    };
    await work({ client: polite, quickStalls: true });
    const [ended] = await queue.waitUntilEnded(["t"], { intervalMs: 200 });
    expect(ended).toMatchObject({ state: "task", taskId: expect.stringMatching(/^cgt-[0-9a-f]{32}$/) });
    expect((await queue.status()).counts.task).toBe(1);
    expect(await queue.retryTasks()).toEqual(["t"]);
    const [done] = await queue.waitUntilEnded(["t"], { intervalMs: 200 });
    expect(done).toMatchObject({ state: "done", path: join(dir, "t.mp4"), submissions: 1 });
    expect(mock.stats.accepted).toBe(1);
  }, 40_000);

  test("queue-wide caps: 30 in flight by default, kept in Redis for every worker; a rate per minute", async () => {
    expect(await queue.setLimits()).toEqual({ maxInFlight: 30, perMinute: undefined });
    expect(await queue.setLimits({ maxInFlight: 3, perMinute: 120 })).toEqual({ maxInFlight: 3, perMinute: 120 });
    const other = await openSoraQueue({ connection: redis().url, name: queue.name });
    try {
      expect(await other.setLimits()).toEqual({ maxInFlight: 3, perMinute: 120 });
    } finally {
      await other.close();
    }
  });

  test("serverWarnings: none for the README's settings; eviction and no persistence are called out", async () => {
    expect(await queue.serverWarnings()).toEqual([]);
    const unsafe = await startRedisServer({ appendonly: "no", "maxmemory-policy": "allkeys-lru" });
    const risky = await openSoraQueue({ connection: unsafe.url });
    try {
      const warnings = await risky.serverWarnings();
      const evicts = expect.stringMatching(/evicts keys \(maxmemory-policy allkeys-lru\)/);
      expect(warnings).toEqual([evicts, expect.stringMatching(/persistence off/)]);
    } finally {
      await risky.close();
      unsafe.stop();
    }
  });
});
