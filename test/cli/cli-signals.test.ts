import { readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createSoraClient } from "../../src/node";
import { startMockServer, type MockServer } from "../../src/node/mock";
import { requireBuiltCli, startCli, waitFor } from "./helpers/run-cli";
import { useTempDir } from "./helpers/temp-dir";

const IMAGE = "https://img.example/cat.png";

/** SIGTERM (a service manager's stop) and SIGHUP (the terminal went away) are each a Ctrl-C. */
const SIGNALS = ["SIGTERM", "SIGHUP"] as const;

describe("SIGTERM and SIGHUP are a Ctrl-C: real signals to the built bin (against the embedded mock)", () => {
  const tempDir = useTempDir("sora-cli-signals-");
  let mock: MockServer | undefined;
  const env = () => ({ ONEROUTER_API_KEY: "sk-test", ONEROUTER_BASE_URL: mock!.url });
  const lastStates = async (out: string) => {
    const text = await readFile(join(out, "sora-batch.journal.jsonl"), "utf8");
    const records = text
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { id: string; state: string });
    return [...new Map(records.map((record) => [record.id, record.state])).values()];
  };

  beforeAll(() => requireBuiltCli());
  afterEach(async () => {
    await mock?.close();
    mock = undefined;
  });

  test.each(SIGNALS)(
    "generate: one %s during the render keeps waiting for the paid video, saves it, exit 0",
    async (signal) => {
      mock = await startMockServer({ latencyMs: 2_000 });
      const out = join(tempDir(), "kept.mp4");
      const running = startCli(["generate", "--prompt", "A cat", "--image", IMAGE, "--out", out], { env: env() });
      await waitFor(() => mock!.stats.accepted === 1, 15_000, "the request to arrive");
      running.child.kill(signal);
      const run = await running.done;
      expect({ code: run.code, signal: run.signal }).toEqual({ code: 0, signal: null });
      expect(run.stderr).toContain(`${signal} received: handled as Ctrl-C.`);
      expect(run.stderr).toContain("the request was sent, so the render may already be billed; still waiting for it");
      expect(run.stdout).toBe(`${out}\n`);
      expect((await stat(out)).size).toBe(7959);
    },
    30_000,
  );

  test.each(SIGNALS)(
    "remix: one %s during the render still gives the video, exit 0",
    async (signal) => {
      mock = await startMockServer({ latencyMs: 1_000 });
      // A remix needs a video this mock made.
      const sora = createSoraClient({ apiKey: "sk-test", baseUrl: mock.url });
      const made = await sora.generateVideo({ prompt: "A cat", image_url: IMAGE });
      const videoId = made.data[0]!.video_id!;
      const args = ["remix", "--video-id", videoId, "--prompt", "Make it night", "--no-download", "--json"];
      const running = startCli(args, { env: env() });
      await waitFor(() => mock!.stats.accepted === 2, 15_000, "the request to arrive");
      running.child.kill(signal);
      const run = await running.done;
      expect({ code: run.code, signal: run.signal }).toEqual({ code: 0, signal: null });
      expect(run.stderr).toContain(`${signal} received: handled as Ctrl-C.`);
      expect(JSON.parse(run.stdout)).toMatchObject({ ok: true });
    },
    30_000,
  );

  test.each(SIGNALS)(
    "task: one %s while polling an accepted task keeps waiting, saves the video, exit 0",
    async (signal) => {
      mock = await startMockServer({ mode: "async", latencyMs: 2_000 });
      const submit = await fetch(`${mock.url}/v1/videos/generations`, {
        method: "POST",
        headers: { authorization: "sk-test", "content-type": "application/json" },
        body: JSON.stringify({ model: "sora-2-pro-text-to-video", prompt: "A calm sea" }),
      });
      const { data } = (await submit.json()) as { data: { task_id: string } };
      const out = join(tempDir(), "task.mp4");
      const args = ["task", data.task_id, "--out", out, "--poll-interval", "100ms"];
      const running = startCli(args, { env: env() });
      await waitFor(() => mock!.stats.taskPolls >= 1, 15_000, "the first poll");
      running.child.kill(signal);
      const run = await running.done;
      expect({ code: run.code, signal: run.signal }).toEqual({ code: 0, signal: null });
      expect(run.stderr).toContain(`${signal} received: handled as Ctrl-C.`);
      expect(run.stdout).toBe(`${out}\n`);
    },
    30_000,
  );

  test.each(SIGNALS)(
    "generate: a second %s abandons the render, exit 130",
    async (signal) => {
      mock = await startMockServer({ latencyMs: 30_000 });
      const out = join(tempDir(), "x.mp4");
      const running = startCli(["generate", "--prompt", "A cat", "--image", IMAGE, "--out", out], { env: env() });
      await waitFor(() => mock!.stats.accepted === 1, 15_000, "the request to arrive");
      running.child.kill(signal);
      await waitFor(
        () => running.output().stderr.includes("still waiting for it"),
        15_000,
        "the first signal's warning",
      );
      running.child.kill(signal);
      const run = await running.done;
      expect(run.code).toBe(130);
      expect(run.stderr).toContain("Abandoning the render (it may still be billed).");
    },
    30_000,
  );

  test.each(SIGNALS)(
    "batch: %s starts no new job and lets the open renders finish into the journal (exit 130); a second makes them uncertain",
    async (signal) => {
      mock = await startMockServer({ latencyMs: 1_500 });
      const jobs = join(tempDir(), "jobs.jsonl");
      const lines = Array.from({ length: 6 }, (_, i) => JSON.stringify({ id: `j${i + 1}`, prompt: `p ${i + 1}` }));
      await writeFile(jobs, `${lines.join("\n")}\n`);
      const gentle = join(tempDir(), "gentle");
      const first = startCli(["batch", jobs, "--out", gentle, "--concurrency", "2"], { env: env() });
      await waitFor(() => mock!.stats.accepted === 2, 20_000, "two jobs to be accepted");
      first.child.kill(signal);
      const run = await first.done;
      expect({ code: run.code, signal: run.signal }).toEqual({ code: 130, signal: null });
      expect(run.stderr).toContain("Stopping: no new job starts");
      const states = await lastStates(gentle);
      expect(states.filter((state) => state === "done")).toHaveLength(2);
      expect(states.filter((state) => state === "pending")).toHaveLength(4);

      await mock.close();
      mock = await startMockServer({ latencyMs: 30_000 });
      const hard = join(tempDir(), "hard");
      const second = startCli(["batch", jobs, "--out", hard, "--concurrency", "2"], { env: env() });
      await waitFor(() => mock!.stats.accepted === 2, 20_000, "two jobs to be accepted");
      second.child.kill(signal);
      await waitFor(() => second.output().stderr.includes("Stopping:"), 15_000, "the first signal's message");
      second.child.kill(signal);
      const aborted = await second.done;
      expect(aborted.code).toBe(130);
      const after = await lastStates(hard);
      expect(after.filter((state) => state === "uncertain")).toHaveLength(2);
      expect(after.filter((state) => state === "pending")).toHaveLength(4);
    },
    90_000,
  );
});
