import { join } from "node:path";
import { parseJobs } from "../../src/cli/batch/jobs";
import { JOURNAL_FILE, Journal } from "../../src/cli/batch/journal";
import { runBatch, type BatchClient } from "../../src/cli/batch/scheduler";
import { describeFinish, progressTracker } from "../../src/cli/batch/tracker";
import { createDisplay } from "../../src/cli/progress/display";
import { useTempDir } from "./helpers/temp-dir";

const tempDir = useTempDir("sora-tracker-");
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Renders take 5 ms, downloads 40 ms: downloads pile up beside the next generations. */
const client: BatchClient = {
  waitForTask: () => Promise.reject(new Error("no task in this test")),
  async render(request) {
    await sleep(5);
    return { created: 1, data: [{ url: `http://video.test/${request.prompt}.mp4` }] };
  },
  async downloadVideo(_url, dest) {
    await sleep(40);
    return { path: dest, bytes: 42 };
  },
};

test("the live counts: generations never above --concurrency, downloads apart, final counts at the end", async () => {
  const lines: string[] = [];
  const stream = { write: (text: string) => lines.push(text) };
  const display = createDisplay({ live: false, stream, plainEveryMs: 0 });
  const tracker = progressTracker(display, () => undefined);
  const jobs = parseJobs(
    ["a", "b", "c", "d", "e", "f", "g", "h"]
      .map((id) => JSON.stringify({ id, prompt: id, image_url: "https://img.example/a.png" }))
      .join("\n"),
  ).jobs;
  const { journal } = await Journal.open(join(tempDir(), JOURNAL_FILE));
  try {
    const { onEvent } = tracker;
    await runBatch({ jobs, outDir: tempDir(), journal, client, concurrency: 2, retryUncertain: false, onEvent });
  } finally {
    await journal.close();
  }
  display.end();
  const counts = lines
    .map((line) => /(\d+) rendering · (\d+) downloading/.exec(line))
    .filter((match) => match !== null)
    .map((match) => [Number(match[1]), Number(match[2])] as const);
  expect(Math.max(...counts.map(([rendering]) => rendering))).toBeLessThanOrEqual(2);
  expect(Math.max(...counts.map(([, downloading]) => downloading))).toBeLessThanOrEqual(2);
  // Jobs were in flight beyond --concurrency (renders beside downloads): one "running" count would exceed it.
  expect(Math.max(...counts.map(([rendering, downloading]) => rendering + downloading))).toBeGreaterThan(2);
  expect(lines.at(-1)).toMatch(/^batch: 8\/8 done · 0 rendering · 0 downloading · 0 failed/);
});

test("describeFinish: the line cut to the display's width, the mark coloured", () => {
  const [job] = parseJobs(JSON.stringify({ id: "a", prompt: "a", image_url: "https://img.example/a.png" })).jobs;
  const paint = (tone: string, text: string) => `<${tone}>${text}</>`;
  const display = { ...createDisplay({ live: true, stream: { write: () => true }, columns: 30 }), paint };
  const error = { name: "BadRequestError", message: "x".repeat(80) };
  const failed = { job: job!, action: "submit" as const, state: "failed" as const, error };
  const line = describeFinish(failed, display);
  expect(line.startsWith("<fail>✗</> a (line 1) failed: ")).toBe(true);
  expect(Array.from(line.replace(/<\/?\w*>/g, ""))).toHaveLength(29);
  const done = { job: job!, action: "submit" as const, state: "done" as const, path: "/o/a.mp4" };
  expect(describeFinish(done, display)).toBe("<ok>✓</> a (line 1) → /o/a.mp4");
});
