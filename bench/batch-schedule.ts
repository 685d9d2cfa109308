/**
 * `npx tsx bench/batch-schedule.ts [jobs] [concurrency] [latencyMs]`: how close the batch scheduler
 * gets to the ideal wall time, jobs / concurrency × latency, against the embedded mock (default
 * 200 jobs, concurrency 16, 300 ms: ideal 3.75 s). Measured twice: in-process (runBatch with the
 * real client, journal and downloads) and end to end through the built bin (`node dist/cli.mjs
 * batch`, process start-up included; run `npm run build` first). Prints one line per mode. With
 * whole rounds (a job cannot be split) the floor is ceil(jobs / concurrency) × latency: 3.9 s.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { parseJobs } from "../src/cli/batch/jobs";
import { JOURNAL_FILE, Journal } from "../src/cli/batch/journal";
import { runBatch } from "../src/cli/batch/scheduler";
import { createSoraClient, downloadVideo } from "../src/node";
import { startMockServer, type MockServer } from "../src/node/mock";

const [jobCount = 200, concurrency = 16, latencyMs = 300] = process.argv.slice(2).map(Number);
const idealMs = (jobCount / concurrency) * latencyMs;
const roundsMs = Math.ceil(jobCount / concurrency) * latencyMs;
const CLI = join(__dirname, "..", "dist", "cli.mjs");

function jobsText(): string {
  return Array.from({ length: jobCount }, (_, index) => JSON.stringify({ id: `b${index}`, prompt: `bench ${index}`, image_url: "https://img.example/a.png" })).join("\n");
}

async function inProcess(mock: MockServer, dir: string): Promise<number> {
  const { jobs } = parseJobs(jobsText());
  const { journal } = await Journal.open(join(dir, JOURNAL_FILE));
  const sora = createSoraClient({ apiKey: "sk-bench", baseUrl: mock.url });
  const started = performance.now();
  const results = await runBatch({ jobs, outDir: dir, journal, concurrency, retryUncertain: false, client: { generateVideo: (request, options) => sora.generateVideo(request, options), downloadVideo } });
  const elapsed = performance.now() - started;
  await journal.close();
  if (results.some((result) => result.state !== "done")) throw new Error("some jobs did not finish");
  return elapsed;
}

async function throughCli(mock: MockServer, dir: string): Promise<number> {
  const file = join(dir, "jobs.jsonl");
  await writeFile(file, jobsText());
  const started = performance.now();
  await promisify(execFile)(process.execPath, [CLI, "batch", file, "--out", join(dir, "out"), "--concurrency", String(concurrency), "--json"], {
    env: { PATH: process.env.PATH ?? "", ONEROUTER_API_KEY: "sk-bench", ONEROUTER_BASE_URL: mock.url },
    maxBuffer: 64 * 1024 * 1024,
  });
  return performance.now() - started;
}

async function measure(name: string, run: (mock: MockServer, dir: string) => Promise<number>): Promise<void> {
  const mock = await startMockServer({ latencyMs });
  const dir = await mkdtemp(join(tmpdir(), "sora-bench-batch-"));
  try {
    const elapsed = await run(mock, dir);
    if (mock.stats.accepted !== jobCount) throw new Error(`the mock accepted ${mock.stats.accepted} generations, expected ${jobCount}`);
    console.log(`${name.padEnd(11)} ${jobCount} jobs, concurrency ${concurrency}, latency ${latencyMs} ms: ${(elapsed / 1000).toFixed(2)} s (ideal ${(idealMs / 1000).toFixed(2)} s, ratio ${(elapsed / idealMs).toFixed(2)}; whole-rounds floor ${(roundsMs / 1000).toFixed(2)} s)`);
  } finally {
    await mock.close();
    await rm(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  await measure("in-process", inProcess);
  if (existsSync(CLI)) await measure("cli", throughCli);
  else console.log("cli         skipped: dist/cli.mjs is missing (run `npm run build`)");
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
