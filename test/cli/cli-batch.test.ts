import { existsSync } from "node:fs";
import { readdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { startMockServer, type MockServer } from "../../src/node/mock";
import { serveVideo, videoSource } from "../../src/node/mock/video";
import { startFakeGateway } from "./helpers/fake-gateway";
import { CANARY_KEY } from "../helpers/fetch";
import { requireBuiltCli, runCli, runCliHere, startCli, waitFor } from "./helpers/run-cli";
import { useTempDir } from "./helpers/temp-dir";

const IMAGE = "https://img.example/cat.png";

interface Record {
  id: string;
  state: string;
}

describe("sora-video batch (against the embedded mock; in this process, and the built bin as a child process where a run is killed, interrupted or first)", () => {
  let mock: MockServer | undefined;
  const tempDir = useTempDir("sora-batch-cli-");
  const out = () => join(tempDir(), "out");
  const jobsFile = () => join(tempDir(), "jobs.jsonl");
  const env = () => ({ ONEROUTER_API_KEY: "sk-test", ONEROUTER_BASE_URL: mock!.url });
  const batch = (...extra: string[]) => ["batch", jobsFile(), "--out", out(), ...extra];
  const journal = async (): Promise<Record[]> => {
    const text = await readFile(join(out(), "sora-batch.journal.jsonl"), "utf8").catch(() => "");
    return text
      .split("\n")
      .filter((line) => line.endsWith("}"))
      .map((line) => JSON.parse(line) as Record);
  };
  const lastStates = async () => new Map((await journal()).map((record) => [record.id, record.state]));
  /** How many times the mock accepted each prompt (the bill). */
  const acceptedByPrompt = () => {
    const counts = new Map<string, number>();
    for (const body of mock!.stats.acceptedBodies)
      counts.set(String(body.prompt), (counts.get(String(body.prompt)) ?? 0) + 1);
    return counts;
  };
  const writeJobs = (lines: string[]) => writeFile(jobsFile(), `${lines.join("\n")}\n`);
  const jobLines = (count: number) =>
    Array.from({ length: count }, (_, index) =>
      JSON.stringify({ id: `j${index + 1}`, prompt: `prompt ${index + 1}`, image_url: IMAGE }),
    );

  beforeAll(() => requireBuiltCli());
  afterEach(async () => {
    await mock?.close();
    mock = undefined;
  });

  test("a line with neither image_url nor video_id is a text-to-video job, sent with that page's model", async () => {
    mock = await startMockServer();
    await writeJobs([
      JSON.stringify({ id: "sea", prompt: "A calm sea", duration: "8" }),
      JSON.stringify({ id: "cat", prompt: "A cat", image_url: IMAGE }),
    ]);
    const run = await runCli(batch(), { env: env() });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^ {2}done {11}2$/m);
    expect(mock.stats.acceptedBodies).toEqual(
      expect.arrayContaining([
        { model: "sora-2-pro-text-to-video", prompt: "A calm sea", duration: "8" },
        { model: "sora-2-pro-image-to-video", prompt: "A cat", image_url: IMAGE },
      ]),
    );
    expect((await stat(join(out(), "sea.mp4"))).size).toBe(7959);
  });

  test("runs every job with bounded concurrency; a malformed line is reported with its number and the rest still run (exit 1)", async () => {
    mock = await startMockServer({ latencyMs: 100 });
    const lines = jobLines(6);
    lines.splice(3, 0, '{"prompt": "no image", "resolution": "auto"}');
    await writeJobs(lines);
    const run = await runCli(batch("--concurrency", "3"), { env: env() });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /line 4: \/resolution must be one of "720p", "1080p" \(as sora-2-pro-text-to-video\) \(skipped\)/,
    );
    expect(run.stdout).toMatch(/^ {2}done {11}6$/m);
    expect(run.stdout).toMatch(/^ {2}malformed {6}1 {3}fix the lines and run again$/m);
    expect(run.stdout).toMatch(
      /^ {2}4 +- +malformed +\/resolution must be one of "720p", "1080p" \(as sora-2-pro-text-to-video\)$/m,
    );
    for (let index = 1; index <= 6; index += 1) expect((await stat(join(out(), `j${index}.mp4`))).size).toBe(7959);
    expect([...acceptedByPrompt().values()]).toEqual([1, 1, 1, 1, 1, 1]);
    expect(existsSync(join(out(), "sora-batch.lock"))).toBe(false);
  });

  test("--json: one JSON summary on stdout; exit 0 when every job is done; a re-run skips them all", async () => {
    mock = await startMockServer();
    await writeJobs(jobLines(3));
    const first = await runCliHere(batch("--json"), { env: env() });
    expect(first.code).toBe(0);
    expect(first.stdout.trim().split("\n")).toHaveLength(1);
    expect(JSON.parse(first.stdout)).toMatchObject({
      ok: true,
      counts: { done: 3, failed: 0, uncertain: 0, malformed: 0 },
      jobs: [{ id: "j1", state: "done", path: join(out(), "j1.mp4") }, { id: "j2" }, { id: "j3" }],
    });
    const second = await runCliHere(batch("--json"), { env: env() });
    expect(JSON.parse(second.stdout)).toMatchObject({ ok: true, counts: { done: 3, alreadyDone: 3 } });
    expect(mock.stats.accepted).toBe(3);
  });

  test("crash: SIGKILL mid-batch, then re-run: nothing accepted twice; the jobs caught mid-call are uncertain until --retry-uncertain", async () => {
    mock = await startMockServer({ latencyMs: 400 });
    await writeJobs(jobLines(12));
    const running = startCli(batch("--concurrency", "3"), { env: env() });
    await waitFor(
      async () => {
        const states = [...(await lastStates()).values()];
        return states.includes("done") && states.includes("submitted");
      },
      20_000,
      "some jobs done and some submitted",
    );
    running.child.kill("SIGKILL");
    expect((await running.done).signal).toBe("SIGKILL");
    const atCrash = await lastStates();
    const inFlight = [...atCrash].filter(([, state]) => state === "submitted").map(([id]) => id);
    const doneAtCrash = [...atCrash].filter(([, state]) => state === "done").map(([id]) => id);
    expect(inFlight.length).toBeGreaterThan(0);
    expect(doneAtCrash.length).toBeLessThan(12);
    const acceptedAtCrash = acceptedByPrompt();

    const rerun = await runCliHere(batch("--concurrency", "3"), { env: env() });
    expect(rerun.code).toBe(1);
    for (const id of inFlight)
      expect(rerun.stdout).toMatch(new RegExp(`^ {2}\\d+ +${id} +uncertain +Interrupted: a previous run stopped`, "m"));
    for (const [prompt, count] of acceptedByPrompt()) expect([prompt, count]).toEqual([prompt, 1]);
    for (const id of inFlight)
      expect(acceptedByPrompt().get(`prompt ${id.slice(1)}`) ?? 0).toBe(
        acceptedAtCrash.get(`prompt ${id.slice(1)}`) ?? 0,
      );
    const afterRerun = await lastStates();
    for (const [id, state] of afterRerun)
      expect([id, state]).toEqual([id, inFlight.includes(id) ? "uncertain" : "done"]);

    const retried = await runCliHere(batch("--retry-uncertain"), { env: env() });
    expect(retried.code).toBe(0);
    expect([...(await lastStates()).values()]).toEqual(Array(12).fill("done"));
    for (let index = 1; index <= 12; index += 1) expect((await stat(join(out(), `j${index}.mp4`))).size).toBe(7959);
    const finalCounts = acceptedByPrompt();
    for (let index = 1; index <= 12; index += 1) {
      const id = `j${index}`;
      // Only a job caught mid-call, and only once the user asked for it, may have been sent twice.
      expect(finalCounts.get(`prompt ${index}`)).toBe(
        inFlight.includes(id) ? (acceptedAtCrash.get(`prompt ${index}`) ?? 0) + 1 : 1,
      );
    }
    expect((await readdir(out())).filter((name) => !/^j\d+\.mp4$/.test(name))).toEqual(["sora-batch.journal.jsonl"]);
  }, 60_000);

  test("crash during a download: the re-run resumes the .part with a Range request, without generating again", async () => {
    const source = videoSource(8 * 1024 * 1024);
    const expected = Buffer.concat(await source.stream(0, source.size - 1).toArray());
    const cut = 3 * 1024 * 1024;
    // The first download stalls after `cut` bytes (the test kills the batch then); later ones honour Range.
    const gateway = await startFakeGateway((request, res, n) => {
      if (n > 0) return serveVideo(request, res, source);
      res.writeHead(200, {
        "content-type": "video/mp4",
        "content-length": source.size,
        "accept-ranges": "bytes",
        etag: source.etag,
      });
      source.stream(0, cut - 1).pipe(res, { end: false });
    });
    try {
      await writeJobs(jobLines(1));
      const gatewayEnv = { ONEROUTER_API_KEY: "sk-test", ONEROUTER_BASE_URL: gateway.url };
      const running = startCli(batch(), { env: gatewayEnv });
      const partSize = async () => {
        const part = (await readdir(out()).catch(() => [] as string[])).find((name) => name.endsWith(".part"));
        return part === undefined ? -1 : (await stat(join(out(), part))).size;
      };
      await waitFor(async () => (await partSize()) === cut, 20_000, "the first bytes on disk");
      running.child.kill("SIGKILL");
      await running.done;
      expect((await lastStates()).get("j1")).toBe("generated");
      const rerun = await runCliHere(batch(), { env: gatewayEnv });
      expect(rerun.code).toBe(0);
      expect(gateway.generations()).toBe(1);
      expect(gateway.downloads().map((headers) => headers.range)).toEqual([undefined, `bytes=${cut}-`]);
      expect(gateway.downloads()[1]!["if-range"]).toBe(source.etag);
      expect((await readFile(join(out(), "j1.mp4"))).equals(expected)).toBe(true);
      expect((await readdir(out())).sort()).toEqual(["j1.mp4", "sora-batch.journal.jsonl"]);
    } finally {
      await gateway.close();
    }
  }, 60_000);

  test("an uncertain job (a 500) is skipped on re-run and sent again only with --retry-uncertain", async () => {
    mock = await startMockServer();
    mock.injectFault({ kind: "status", status: 500 });
    await writeJobs(jobLines(3));
    const first = await runCliHere(batch("--concurrency", "1"), { env: env() });
    expect(first.code).toBe(1);
    expect(first.stdout).toMatch(/^ {2}1 +j1 +uncertain +InternalServerError/m);
    expect(first.stdout).toContain("--retry-uncertain");
    const requestsAfterFirst = mock.stats.requests;
    const second = await runCliHere(batch(), { env: env() });
    expect(second.code).toBe(1);
    expect(mock.stats.requests).toBe(requestsAfterFirst);
    const third = await runCliHere(batch("--retry-uncertain"), { env: env() });
    expect(third.code).toBe(0);
    expect(mock.stats.requests).toBe(requestsAfterFirst + 1);
    expect((await lastStates()).get("j1")).toBe("done");
  });

  test("Ctrl-C: no new job starts, the running ones finish into the journal, exit 130; a re-run completes the rest", async () => {
    mock = await startMockServer({ latencyMs: 1_500 });
    await writeJobs(jobLines(6));
    const running = startCli(batch("--concurrency", "2"), { env: env() });
    await waitFor(() => mock!.stats.accepted === 2, 20_000, "two jobs to be accepted");
    running.child.kill("SIGINT");
    const run = await running.done;
    expect(run.code).toBe(130);
    expect(run.stderr).toContain("Stopping: no new job starts");
    const states = [...(await lastStates()).values()];
    expect(states.filter((state) => state === "done")).toHaveLength(2);
    expect(states.filter((state) => state === "pending")).toHaveLength(4);
    const rerun = await runCliHere(batch("--concurrency", "2"), { env: env() });
    expect(rerun.code).toBe(0);
    expect([...acceptedByPrompt().values()]).toEqual(Array(6).fill(1));
  }, 30_000);

  test("a wrong key: the first 401 stops new jobs (all would fail), exit 1, and the key is in no output and not in the journal", async () => {
    mock = await startMockServer({ apiKey: "sk-the-right-one", latencyMs: 50 });
    await writeJobs(jobLines(10));
    const run = await runCliHere(batch("--concurrency", "2"), { env: { ...env(), ONEROUTER_API_KEY: CANARY_KEY } });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("Stopping: AuthenticationError would fail every other job too");
    expect(mock.stats.requests).toBeLessThan(10);
    expect(run.stdout).toMatch(/^ {2}failed +[12] +not billed/m);
    expect(run.stdout).toMatch(/^ {2}not run +[89] +running the command again picks them up/m);
    const journalText = await readFile(join(out(), "sora-batch.journal.jsonl"), "utf8");
    expect(`${run.stdout}${run.stderr}${journalText}`).not.toContain(CANARY_KEY);
  });

  test("a corrupt journal is a usage error (exit 2) that leaves the journal as it was and sends nothing", async () => {
    mock = await startMockServer();
    await writeJobs(jobLines(2));
    await runCliHere(batch(), { env: env() });
    const path = join(out(), "sora-batch.journal.jsonl");
    const corrupt = `garbage\n${await readFile(path, "utf8")}`;
    await writeFile(path, corrupt);
    const requests = mock.stats.requests;
    const run = await runCliHere(batch(), { env: env() });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/journal line 1 cannot be used/);
    expect(await readFile(path, "utf8")).toBe(corrupt);
    expect(mock.stats.requests).toBe(requests);
  });

  test("the live display (--progress tty) draws the overall line; a missing jobs file is a usage error", async () => {
    mock = await startMockServer({ latencyMs: 300 });
    await writeJobs(jobLines(4));
    const run = await runCliHere(batch("--progress", "tty", "--concurrency", "2"), { env: env() });
    expect(run.code).toBe(0);
    const counts = "[0-2] rendering · [0-2] downloading · 0 failed";
    expect(run.stderr).toMatch(new RegExp(`\r\x1b\\[K[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] batch \\d/4 done · ${counts} · \\ds`));
    expect(run.stderr).toMatch(/✓ j1 \(line 1\) → .*j1\.mp4 \(7\.77 KiB\)/);
    const missing = await runCliHere(["batch", join(tempDir(), "nope.jsonl"), "--out", out()], { env: env() });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/Cannot read the jobs file .*nope\.jsonl \(ENOENT\)/);
  });
});
