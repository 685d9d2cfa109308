/**
 * `npm run bench:queue [-- jobs rounds]`: the queue across processes against the ideal and the local
 * journal. 1,000 jobs, a queue-wide cap of 30 in flight, 300 ms renders (the embedded mock in its
 * own process): ideal 1000 / 30 × 0.3 s = 10 s. Measured with 1 and 3 `sora-video worker`
 * processes (started and idle before the clock starts; the clock covers enqueueing every job and
 * waiting until each has ended), beside the local journal batch (`sora-video batch
 * --concurrency 30`) on the same work, with each worker's peak RSS (VmHWM). Needs `npm run build`
 * and `redis-server` (a throwaway one on loopback).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openSoraQueue } from "../src/queue";
import { startRedisServer, type RedisServer } from "../test/helpers/redis-server";
import { measureBatch } from "./batch-schedule";
import { startMockProcess } from "./lib/mock-process";
import { median } from "./lib/stats";

const CLI = join(__dirname, "..", "dist", "cli.mjs");
const IMAGE = "https://img.example/a.png";

/** One measured setup: wall times of each round, against the ideal. */
export interface QueueFigure {
  name: string;
  wallMs: number[];
  idealMs: number;
  /** Peak RSS of a worker process (the largest of them), MiB; undefined for the local batch. */
  peakRssMiB?: number;
}

async function peakRssMiB(child: ChildProcess): Promise<number> {
  const status = await readFile(`/proc/${child.pid}/status`, "utf8");
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN) / 1024;
}

/** CPU seconds (user + system) a process has used so far. */
async function cpuSeconds(child: ChildProcess): Promise<number> {
  const fields = (await readFile(`/proc/${child.pid}/stat`, "utf8")).split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function startWorker(redisUrl: string, mockUrl: string, outDir: string): Promise<ChildProcess> {
  const args = [CLI, "worker", "--queue", redisUrl, "--out", outDir, "--concurrency", "30", "--progress", "plain"];
  const child = spawn(process.execPath, args, {
    env: { PATH: process.env.PATH ?? "", ONEROUTER_API_KEY: "sk-bench", ONEROUTER_BASE_URL: mockUrl },
    stdio: ["ignore", "ignore", "pipe"],
  });
  return new Promise((resolve, reject) => {
    let log = "";
    child.stderr!.setEncoding("utf8").on("data", (chunk: string) => {
      log += chunk;
      if (log.includes("Working;")) resolve(child);
    });
    child.once("exit", (code) => reject(new Error(`a worker exited with ${code}: ${log}`)));
  });
}

async function queueRound(redis: RedisServer, name: string, workers: number, jobCount: number, latencyMs: number) {
  const mock = await startMockProcess({ latencyMs });
  const dir = await mkdtemp(join(tmpdir(), "sora-bench-queue-"));
  const url = `${redis.url}/${name}`;
  const queue = await openSoraQueue({ connection: url });
  const children: ChildProcess[] = [];
  try {
    await queue.setLimits({ maxInFlight: 30 });
    for (let index = 0; index < workers; index += 1) children.push(await startWorker(url, mock.url, dir));
    const ids = Array.from({ length: jobCount }, (_, index) => `q${index}`);
    const started = performance.now();
    const request = (id: string) => ({ prompt: `bench ${id}`, image_url: IMAGE });
    await queue.enqueue(ids.map((id) => ({ id, out: `${id}.mp4`, request: request(id) })));
    const ended = await queue.waitUntilEnded(ids, {});
    const wallMs = performance.now() - started;
    if (ended.some((status) => status.state !== "done")) throw new Error("some queued jobs did not finish");
    const { accepted } = await mock.stats();
    if (accepted !== jobCount) throw new Error(`the mock accepted ${accepted} generations, expected ${jobCount}`);
    const rss = Math.max(...(await Promise.all(children.map(peakRssMiB))));
    const cpu = (await Promise.all(children.map(cpuSeconds))).reduce((sum, seconds) => sum + seconds, 0);
    const wall = (wallMs / 1000).toFixed(2);
    process.stderr.write(`bench: ${workers} worker(s): ${wall} s, workers' CPU ${cpu.toFixed(1)} s\n`);
    return { wallMs, rss };
  } finally {
    for (const child of children) child.kill("SIGKILL");
    await queue.close();
    mock.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

/** Measures 1 and 3 worker processes and the local journal batch, `rounds` times each (interleaved). */
export async function measureQueue(jobCount = 1000, latencyMs = 300, rounds = 3): Promise<QueueFigure[]> {
  const idealMs = (jobCount / 30) * latencyMs;
  const redis = await startRedisServer({ databases: "64" });
  const figures = new Map<string, QueueFigure>();
  const add = (name: string, wallMs: number, peakRss?: number) => {
    const figure = figures.get(name) ?? { name, wallMs: [], idealMs };
    figure.wallMs.push(wallMs);
    if (peakRss !== undefined) figure.peakRssMiB = Math.max(figure.peakRssMiB ?? 0, peakRss);
    figures.set(name, figure);
  };
  try {
    for (let round = 0; round < rounds; round += 1) {
      for (const workers of [1, 3]) {
        const { wallMs, rss } = await queueRound(redis, String(round * 4 + workers), workers, jobCount, latencyMs);
        add(`queue, ${workers} worker process${workers > 1 ? "es" : ""}`, wallMs, rss);
      }
      const local = (await measureBatch(jobCount, 30, latencyMs)).find((figure) => figure.mode === "cli")!;
      add("local journal (sora-video batch)", local.wallMs);
    }
  } finally {
    redis.stop();
  }
  return [...figures.values()];
}

if (require.main === module) {
  const [jobCount = 1000, rounds = 3] = process.argv.slice(2).map(Number);
  void measureQueue(jobCount, 300, rounds).then((figures) => {
    for (const figure of figures) {
      const wall = median(figure.wallMs);
      const rss = figure.peakRssMiB === undefined ? "" : `, worker peak RSS ${figure.peakRssMiB.toFixed(0)} MiB`;
      const runs = figure.wallMs.map((ms) => (ms / 1000).toFixed(2)).join(" / ");
      const ratio = `${(wall / figure.idealMs).toFixed(3)}× ideal ${(figure.idealMs / 1000).toFixed(1)} s`;
      console.log(`${figure.name}: median ${(wall / 1000).toFixed(2)} s (${runs}), ${ratio}${rss}`);
    }
  });
}
