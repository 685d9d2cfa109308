import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspectMp4File, startMockServer, type MockServer } from "../../src/node/mock";
import { openSoraQueue, type QueueJobStatus, type SoraQueue } from "../../src/queue";
import { requireBuiltCli, runCli, startCli, waitFor, type RunningCli } from "../cli/helpers/run-cli";
import { describeWithRedis, useRedisServer } from "../helpers/redis-server";
import { startServer, type BodyRecordingServer } from "../helpers/server";

const JOBS = 24;
const CAP = 5;
const IMAGE = "https://img.example/cat.png";

/**
 * The proof of the money rule across machines: `sora-video worker` child processes on one queue,
 * SIGKILLed mid-run, against the embedded mock behind a loopback relay that counts the
 * generations in flight at once.
 */
describeWithRedis("workers SIGKILLed mid-run: nothing paid twice, the cap held, every job accounted for", () => {
  const redis = useRedisServer();
  let mock: MockServer;
  let relay: BodyRecordingServer;
  let queue: SoraQueue;
  let outDir: string;
  const workers: RunningCli[] = [];
  const generations = { inFlight: 0, peak: 0, paths: new Set<string>() };

  const acceptedByPrompt = () => {
    const counts = new Map<string, number>();
    for (const { prompt } of mock.stats.acceptedBodies) counts.set(`${prompt}`, (counts.get(`${prompt}`) ?? 0) + 1);
    return counts;
  };
  const startWorker = () => {
    const args = ["worker", "--queue", redis().url, "--out", outDir, "--concurrency", "4"];
    args.push("--lock-duration", "2s", "--stalled-interval", "1s");
    const worker = startCli(args, { env: { ONEROUTER_API_KEY: "sk-test", ONEROUTER_BASE_URL: relay.url } });
    workers.push(worker);
    return worker;
  };
  const everyStatus = async () => new Map((await queue.status()).jobs.map((status) => [status.id, status]));

  beforeAll(async () => {
    requireBuiltCli();
    mock = await startMockServer({ latencyMs: 300 });
    // Relays the generation calls to the mock, counting how many are open at once
    // (the video URLs point at the mock itself).
    relay = await startServer(async (request, response) => {
      generations.paths.add(`${request.method} ${request.url}`);
      generations.inFlight += 1;
      generations.peak = Math.max(generations.peak, generations.inFlight);
      try {
        const headers = { "content-type": "application/json", authorization: String(request.headers.authorization) };
        const answer = await fetch(mock.url + request.url, { method: request.method, headers, body: request.body });
        const text = await answer.text();
        const type = answer.headers.get("content-type") ?? "application/json";
        response.writeHead(answer.status, { "content-type": type }).end(text);
      } catch {
        response.destroy();
      } finally {
        generations.inFlight -= 1;
      }
    });
    outDir = await mkdtemp(join(tmpdir(), "sora-queue-crash-"));
    queue = await openSoraQueue({ connection: redis().url, name: "sora-video" });
  });
  afterAll(async () => {
    for (const worker of workers) worker.child.kill("SIGKILL");
    await Promise.all(workers.map((worker) => worker.done));
    await queue?.close();
    await relay?.close();
    await mock?.close();
    await rm(outDir, { recursive: true, force: true });
  });

  test("kill every worker mid-call, start new ones, then retry-uncertain", async () => {
    await queue.setLimits({ maxInFlight: CAP });
    const ids = Array.from({ length: JOBS }, (_, index) => `job:${index + 1}`);
    const request = (index: number) => ({ prompt: `prompt ${index + 1}`, image_url: IMAGE });
    await queue.enqueue(ids.map((id, index) => ({ id, out: `v${index + 1}.mp4`, request: request(index) })));

    const first = [startWorker(), startWorker(), startWorker()];
    await waitFor(() => mock.stats.accepted >= 8 && generations.inFlight >= 2, 30_000, "generations in flight mid-run");
    for (const worker of first) worker.child.kill("SIGKILL");
    await Promise.all(first.map((worker) => worker.done));
    const acceptedAtKill = acceptedByPrompt();

    startWorker();
    startWorker();
    const ended = await queue.waitUntilEnded(ids, { intervalMs: 500 });
    const byState = (state: string) => ended.filter((status) => status.state === state);
    expect(ended).toHaveLength(JOBS);
    expect(ended.every((status) => ["done", "failed", "uncertain"].includes(status.state))).toBe(true);

    // No job accepted twice; the cap held across processes (and was used: calls did overlap).
    for (const [prompt, count] of acceptedByPrompt()) expect([prompt, count]).toEqual([prompt, 1]);
    expect(generations.peak).toBeLessThanOrEqual(CAP);
    expect(generations.peak).toBeGreaterThan(1);
    // What the relay counted were renders only: downloads go to the video host (the mock) directly.
    expect([...generations.paths]).toEqual(["POST /v1/videos/generations"]);
    expect(mock.stats.downloads).toBeGreaterThanOrEqual(byState("done").length);

    // The calls open at the kill are uncertain, never re-sent by the engine; a job cut while downloading kept its URL.
    const uncertain = byState("uncertain");
    expect(uncertain.length).toBeGreaterThan(0);
    for (const status of uncertain) {
      expect(status.reason).toMatch(/^Interrupted: .*accepted and billed \(job stalled more than allowable limit\)$/);
      const prompt = `prompt ${status.id.slice(4)}`;
      expect(acceptedByPrompt().get(prompt) ?? 0).toBe(acceptedAtKill.get(prompt) ?? 0);
    }
    // A failed job was either cut while downloading (it kept its URL: downloading again is free) or
    // taken by a worker that died before sending anything (never sent: safe to run again, not billed).
    for (const status of byState("failed")) {
      if (status.url === undefined) {
        expect(status).toMatchObject({ submissions: 0, reason: expect.stringMatching(/stalled/) });
        expect(acceptedByPrompt().get(`prompt ${status.id.slice(4)}`) ?? 0).toBe(0);
      } else {
        expect(status.url).toMatch(/\/videos\//);
      }
    }
    const checkDone = (statuses: readonly QueueJobStatus[]) => {
      for (const status of statuses.filter((entry) => entry.state === "done")) {
        expect(inspectMp4File(status.path!).problems).toEqual([]);
        expect(status.bytes).toBe(7959);
      }
    };
    checkDone(ended);

    // retry-uncertain re-sends exactly the uncertain jobs (and says it may bill twice); retry-failed downloads the
    // failed jobs that kept their URL, and sends for the first time the ones that died before sending anything.
    const before = acceptedByPrompt();
    const retry = await runCli(["queue", "retry-uncertain", "--queue", redis().url]);
    expect(retry.code).toBe(0);
    expect(retry.stderr).toContain("MAY BILL TWICE");
    expect(retry.stdout.trim().split("\n").sort()).toEqual(uncertain.map((status) => status.id).sort());
    const failedIds = byState("failed").map((status) => status.id);
    const retryFailed = await runCli(["queue", "retry-failed", "--queue", redis().url]);
    expect(retryFailed.stdout.trim().split("\n").filter(Boolean).sort()).toEqual(failedIds.sort());
    const final = await queue.waitUntilEnded(ids, { intervalMs: 500 });
    expect(final.map((status) => status.state)).toEqual(Array(JOBS).fill("done"));
    checkDone(final);
    const after = acceptedByPrompt();
    const promptOf = (status: QueueJobStatus) => `prompt ${status.id.slice(4)}`;
    const sentAgain = new Set(uncertain.map(promptOf));
    const sentFirst = new Set(
      byState("failed")
        .filter((status) => status.url === undefined)
        .map(promptOf),
    );
    for (let index = 1; index <= JOBS; index += 1) {
      const prompt = `prompt ${index}`;
      const want = (before.get(prompt) ?? 0) + (sentAgain.has(prompt) || sentFirst.has(prompt) ? 1 : 0);
      expect([prompt, after.get(prompt) ?? 0]).toEqual([prompt, want]);
    }
    expect(generations.peak).toBeLessThanOrEqual(CAP);
    expect((await everyStatus()).size).toBe(JOBS);
  }, 90_000);
});
