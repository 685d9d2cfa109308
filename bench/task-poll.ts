/**
 * `npm run bench:task [-- jobs rounds pollIntervalMs]`: what the asynchronous flow costs.
 * (a) One poll cycle's client overhead: `waitForTask` against a loopback server whose task answer
 * is `succeeded` at once (so one wait is one GET, read and normalised), beside a bare `fetch` GET
 * of the same URL (the floor) and plain openapi-fetch's GET; connections kept alive; medians of
 * interleaved rounds, µs per poll.
 * (b) A batch through the async mock against the ideal schedule: 1,000 jobs, 30 in flight, 300 ms
 * render (ideal 1000 / 30 × 0.3 s = 10 s), through runBatch in-process (the real client, journal
 * and downloads; the mock in its own process), an accepted task polled every `pollIntervalMs`
 * (default 50 ms: a job's video is seen up to one interval after its render ends). Beside it, in
 * the same rounds (order alternating), the same batch through the sync mock. Needs `npm run build`.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import createClient from "openapi-fetch";
import { createSoraClient } from "../src/node/index";
import type { paths } from "../generated/schema";
import { runBatchInProcess } from "./batch-schedule";
import { startApiServer } from "./lib/api-server";
import { startMockProcess } from "./lib/mock-process";
import { fmt, interleaved, median, type Contender } from "./lib/stats";

const KEY = "sk-bench";
const TASK_PATH = "/v1/videos/tasks/cgt-bench";

/** A task answer as the async mock gives it once the render is done. */
const TASK_DONE = JSON.stringify({
  code: 200,
  message: "success",
  data: {
    task_id: "cgt-bench",
    object: "video",
    model: "sora-2-pro-image-to-video",
    status: "succeeded",
    video_url: "https://cdn.example/videos/vid_123.mp4",
    video_id: "vid_123",
  },
});

/** One poll's cost per contender. */
export interface PollFigure {
  name: string;
  medianUs: number;
  ratio: number;
  addedUs: number;
}

/** Measures one poll cycle (kept-alive connections) for each contender. */
export async function measurePoll(rounds = 15, perRound = 200): Promise<PollFigure[]> {
  const server = await startApiServer(false, TASK_DONE);
  try {
    const url = server.url;
    const headers = { authorization: KEY };
    const api = createClient<paths>({ baseUrl: url, headers });
    const get = api.GET as unknown as (path: string, init: { parseAs: "text" }) => Promise<unknown>;
    const quiet = { warn: () => undefined };
    const ours = createSoraClient({ apiKey: KEY, baseUrl: url, logger: quiet });
    const oursOnBuiltIn = createSoraClient({ apiKey: KEY, baseUrl: url, fetch: globalThis.fetch, logger: quiet });
    const contenders: Contender[] = [
      { name: "bare fetch GET (built-in)", run: async () => (await fetch(url + TASK_PATH, { headers })).json() },
      { name: "openapi-fetch GET", run: () => get(TASK_PATH, { parseAs: "text" }) },
      { name: "sora-video-client waitForTask (Node default)", run: () => ours.waitForTask("cgt-bench") },
      { name: "sora-video-client waitForTask (fetch: built-in)", run: () => oursOnBuiltIn.waitForTask("cgt-bench") },
    ];
    const medians = await interleaved(contenders, rounds, perRound);
    const floor = medians.get("bare fetch GET (built-in)")!;
    return [...medians].map(([name, medianUs]) => ({
      name,
      medianUs,
      ratio: medianUs / floor,
      addedUs: medianUs - floor,
    }));
  } finally {
    await server.close();
  }
}

/** A batch through one mock mode: wall times of each round against the ideal, and where a lane's time went. */
export interface TaskBatchFigure {
  mode: "sync" | "async";
  jobs: number;
  concurrency: number;
  latencyMs: number;
  pollIntervalMs: number;
  wallMs: number[];
  idealMs: number;
  /** Median over the jobs of all rounds: lane taken → video URL journaled (`generated`). */
  laneMs: number;
  /** Async only, medians: lane taken → `accepted` journaled; `accepted` → `generated` (the polling). */
  submitMs?: number;
  pollingMs?: number;
  /** Async only: polls of the task endpoint per job (mean). */
  pollsPerJob?: number;
}

/** Runs the batch through the sync and the async mock, `rounds` times each (order alternating). */
export async function measureTaskBatch(
  jobCount = 1000,
  concurrency = 30,
  latencyMs = 300,
  pollIntervalMs = 50,
  rounds = 1,
): Promise<TaskBatchFigure[]> {
  const idealMs = (jobCount / concurrency) * latencyMs;
  const figures = new Map<
    "sync" | "async",
    TaskBatchFigure & { lanes: number[]; submits: number[]; polling: number[]; polls: number }
  >();
  for (let round = 0; round < rounds; round += 1) {
    const modes = round % 2 === 0 ? (["async", "sync"] as const) : (["sync", "async"] as const);
    for (const mode of modes) {
      const mock = await startMockProcess({ latencyMs, mode });
      const dir = await mkdtemp(join(tmpdir(), "sora-bench-task-"));
      try {
        const run = await runBatchInProcess(mock.url, dir, jobCount, concurrency, pollIntervalMs);
        const { accepted, taskPolls } = await mock.stats();
        if (accepted !== jobCount) throw new Error(`the mock accepted ${accepted} generations, expected ${jobCount}`);
        const figure = figures.get(mode) ?? {
          mode,
          jobs: jobCount,
          concurrency,
          latencyMs,
          pollIntervalMs,
          wallMs: [],
          idealMs,
          laneMs: 0,
          lanes: [],
          submits: [],
          polling: [],
          polls: 0,
        };
        figure.wallMs.push(run.wallMs);
        figure.polls += taskPolls;
        for (const lane of run.lanes) {
          if (lane.generatedMs === undefined) continue;
          figure.lanes.push(lane.generatedMs - lane.startMs);
          if (lane.taskMs === undefined) continue;
          figure.submits.push(lane.taskMs - lane.startMs);
          figure.polling.push(lane.generatedMs - lane.taskMs);
        }
        figures.set(mode, figure);
        process.stderr.write(`bench: ${mode} batch: ${fmt(run.wallMs / 1000, 2)} s, ${fmt(taskPolls)} polls\n`);
      } finally {
        mock.stop();
        await rm(dir, { recursive: true, force: true });
      }
    }
  }
  return (["async", "sync"] as const).map((mode) => {
    const { lanes, submits, polling, polls, ...figure } = figures.get(mode)!;
    const async = mode === "async";
    return {
      ...figure,
      laneMs: median(lanes),
      ...(async
        ? { submitMs: median(submits), pollingMs: median(polling), pollsPerJob: polls / (jobCount * rounds) }
        : {}),
    };
  });
}

if (require.main === module) {
  const [jobCount = 1000, rounds = 1, pollIntervalMs = 50] = process.argv.slice(2).map(Number);
  void (async () => {
    for (const figure of await measurePoll())
      console.log(
        `${figure.name.padEnd(48)} ${fmt(figure.medianUs).padStart(6)} µs/poll  ${fmt(figure.ratio, 2)}× bare fetch  +${fmt(figure.addedUs)} µs`,
      );
    for (const figure of await measureTaskBatch(jobCount, 30, 300, pollIntervalMs, rounds)) {
      const wall = median(figure.wallMs);
      const runs = figure.wallMs.map((ms) => (ms / 1000).toFixed(2)).join(" / ");
      const split =
        figure.submitMs === undefined
          ? ""
          : `, submit ${fmt(figure.submitMs)} ms + polling ${fmt(figure.pollingMs!)} ms, ${fmt(figure.pollsPerJob!, 1)} polls/job`;
      console.log(
        `${figure.mode} mock: median ${(wall / 1000).toFixed(2)} s (${runs}), ${(wall / figure.idealMs).toFixed(3)}× ideal; lane ${fmt(figure.laneMs)} ms/job${split}`,
      );
    }
  })();
}
