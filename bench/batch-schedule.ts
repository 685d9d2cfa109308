/**
 * `npm run bench:batch [-- jobs concurrency latencyMs]`: how close the batch scheduler gets to the
 * ideal wall time, jobs / concurrency × latency, against the embedded mock running in its own
 * process (default 200 jobs, concurrency 16, 300 ms: ideal 3.75 s). Measured in-process (runBatch
 * with the real client, journal and downloads) and end to end through the built bin
 * (`node dist/cli.mjs batch`, process start-up included). Needs `npm run build`. With whole rounds
 * (a job cannot be split) the floor is ceil(jobs / concurrency) × latency: 3.9 s.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { parseJobs } from "../src/cli/batch/jobs";
import { JOURNAL_FILE, Journal } from "../src/cli/batch/journal";
import { runBatch } from "../src/cli/batch/scheduler";
import { createSoraClient, downloadVideo, type VideoGenerationRequest } from "../src/node";
import { startMockProcess } from "./lib/mock-process";

const CLI = join(__dirname, "..", "dist", "cli.mjs");

/** Batch wall times against the ideal. */
export interface BatchFigure {
  mode: "in-process" | "cli";
  jobs: number;
  concurrency: number;
  latencyMs: number;
  wallMs: number;
  idealMs: number;
  ratio: number;
}

function jobsText(jobCount: number): string {
  return Array.from({ length: jobCount }, (_, index) =>
    JSON.stringify({ id: `b${index}`, prompt: `bench ${index}`, image_url: "https://img.example/a.png" }),
  ).join("\n");
}

/** One in-process batch: its wall time and, per job, the milestones of its lane (ms from the start). */
export interface InProcessRun {
  wallMs: number;
  /** Per job that ran: when its lane took it, when the task was journaled (async only), when it was generated. */
  lanes: Array<{ startMs: number; taskMs?: number; generatedMs?: number }>;
}

/**
 * Runs `jobCount` image-to-video jobs through runBatch (the real client, journal and downloads)
 * against the mock at `url`; an accepted task is polled every `pollIntervalMs`.
 */
export async function runBatchInProcess(
  url: string,
  dir: string,
  jobCount: number,
  concurrency: number,
  pollIntervalMs = 3000,
): Promise<InProcessRun> {
  const { jobs } = parseJobs(jobsText(jobCount));
  const { journal } = await Journal.open(join(dir, JOURNAL_FILE));
  const sora = createSoraClient({ apiKey: "sk-bench", baseUrl: url });
  const lanes = new Map<string, InProcessRun["lanes"][number]>();
  const started = performance.now();
  const results = await runBatch({
    jobs,
    outDir: dir,
    journal,
    concurrency,
    retryUncertain: false,
    client: {
      render: (request, options) => sora.generateVideo(request as VideoGenerationRequest, options),
      waitForTask: (taskId, options) => sora.waitForTask(taskId, { ...options, pollIntervalMs }),
      downloadVideo,
    },
    onEvent: (event) => {
      const at = performance.now() - started;
      if (event.type === "start") lanes.set(event.job.id, { startMs: at });
      else if (event.type === "task") lanes.get(event.job.id)!.taskMs = at;
      else if (event.type === "generated") lanes.get(event.job.id)!.generatedMs = at;
    },
  });
  const wallMs = performance.now() - started;
  await journal.close();
  if (results.some((result) => result.state !== "done")) throw new Error("some jobs did not finish");
  return { wallMs, lanes: [...lanes.values()] };
}

async function inProcess(url: string, dir: string, jobCount: number, concurrency: number): Promise<number> {
  return (await runBatchInProcess(url, dir, jobCount, concurrency)).wallMs;
}

async function throughCli(url: string, dir: string, jobCount: number, concurrency: number): Promise<number> {
  const file = join(dir, "jobs.jsonl");
  await writeFile(file, jobsText(jobCount));
  const started = performance.now();
  await promisify(execFile)(
    process.execPath,
    [CLI, "batch", file, "--out", join(dir, "out"), "--concurrency", String(concurrency), "--json"],
    {
      env: { PATH: process.env.PATH ?? "", ONEROUTER_API_KEY: "sk-bench", ONEROUTER_BASE_URL: url },
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  return performance.now() - started;
}

/** Runs both modes once each, each against a fresh mock process. */
export async function measureBatch(jobCount = 200, concurrency = 16, latencyMs = 300): Promise<BatchFigure[]> {
  const idealMs = (jobCount / concurrency) * latencyMs;
  const figures: BatchFigure[] = [];
  for (const [mode, run] of [
    ["in-process", inProcess],
    ["cli", throughCli],
  ] as const) {
    const mock = await startMockProcess({ latencyMs });
    const dir = await mkdtemp(join(tmpdir(), "sora-bench-batch-"));
    try {
      const wallMs = await run(mock.url, dir, jobCount, concurrency);
      const { accepted } = await mock.stats();
      if (accepted !== jobCount) throw new Error(`the mock accepted ${accepted} generations, expected ${jobCount}`);
      figures.push({ mode, jobs: jobCount, concurrency, latencyMs, wallMs, idealMs, ratio: wallMs / idealMs });
    } finally {
      mock.stop();
      await rm(dir, { recursive: true, force: true });
    }
  }
  return figures;
}

if (require.main === module) {
  const [jobCount = 200, concurrency = 16, latencyMs = 300] = process.argv.slice(2).map(Number);
  void measureBatch(jobCount, concurrency, latencyMs).then((figures) => {
    for (const f of figures)
      console.log(
        `${f.mode.padEnd(11)} ${f.jobs} jobs, concurrency ${f.concurrency}, latency ${f.latencyMs} ms: ${(f.wallMs / 1000).toFixed(2)} s (ideal ${(f.idealMs / 1000).toFixed(2)} s, ratio ${f.ratio.toFixed(2)})`,
      );
  });
}
