import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { MockServer } from "../../src/node/mock";
import { serveVideo, videoSource } from "../../src/node/mock/video";
import { useCliServers, type FakeGateway } from "./helpers/fake-gateway";
import { CLI, requireBuiltCli, runCliHere, startCli, waitFor } from "./helpers/run-cli";
import { useTempDir } from "./helpers/temp-dir";

const IMAGE = "https://img.example/cat.png";

describe("sora-video batch: refused jobs, receipts, download commands, --dry-run (in this process; a crash as the built bin in a child process)", () => {
  const tempDir = useTempDir("sora-batch-money-");
  const servers = useCliServers();
  let mock: MockServer | undefined;
  let gateway: FakeGateway | undefined;
  const out = () => join(tempDir(), "out");
  const jobsFile = () => join(tempDir(), "jobs.jsonl");
  const batch = (...extra: string[]) => ["batch", jobsFile(), "--out", out(), ...extra];
  const writeJobs = (count: number, extra: string[] = []) => {
    const lines = Array.from({ length: count }, (_, index) =>
      JSON.stringify({ id: `j${index + 1}`, prompt: `p${index + 1}`, image_url: IMAGE }),
    );
    return writeFile(jobsFile(), `${[...lines, ...extra].join("\n")}\n`);
  };
  const journal = async () => {
    const text = await readFile(join(out(), "sora-batch.journal.jsonl"), "utf8").catch(() => "");
    return text
      .split("\n")
      .filter((line) => line.endsWith("}"))
      .map((line) => JSON.parse(line) as { id: string; state: string });
  };

  beforeAll(() => requireBuiltCli());

  test("a crash during a 429's Retry-After wait leaves the job `refused`: the re-run sends it, no --retry-uncertain", async () => {
    mock = await servers.mock();
    mock.injectFault({ kind: "status", status: 429, retryAfterSeconds: 30 });
    await writeJobs(1);
    const env = { ONEROUTER_API_KEY: "sk-test", ONEROUTER_BASE_URL: mock.url };
    const running = startCli(batch(), { env });
    await waitFor(async () => (await journal()).at(-1)?.state === "refused", 20_000, "the job to be journaled refused");
    running.child.kill("SIGKILL");
    await running.done;
    expect(mock.stats).toMatchObject({ requests: 1, accepted: 0 });
    const rerun = await runCliHere(batch(), { env });
    expect(rerun.code).toBe(0);
    expect((await journal()).map((record) => record.state)).toEqual([
      "pending",
      "submitted",
      "refused",
      "submitted",
      "generated",
      "done",
    ]);
    expect(mock.stats.accepted).toBe(1);
    expect((await stat(join(out(), "j1.mp4"))).size).toBe(7959);
  }, 40_000);

  test("an uncertain job (a 500) keeps a receipt: in the summary and in --json", async () => {
    mock = await servers.mock();
    mock.injectFault({ kind: "status", status: 500 });
    await writeJobs(2);
    const env = { ONEROUTER_API_KEY: "sk-test", ONEROUTER_BASE_URL: mock.url };
    const text = await runCliHere(batch("--concurrency", "1"), { env });
    expect(text.code).toBe(1);
    expect(text.stdout).toContain("Receipts of calls that may have been billed without giving a video");
    expect(text.stdout).toMatch(
      /^ {2}j1: request (?!\(no id\))\S+ · sent \S+Z · answered \S+Z · HTTP 500 · InternalServerError$/m,
    );
    const json = await runCliHere(batch("--json"), { env });
    const report = JSON.parse(json.stdout) as {
      jobs: Array<{ id: string; receipts?: Array<Record<string, unknown>> }>;
    };
    const [j1, j2] = report.jobs;
    expect(j1!.receipts).toEqual([
      {
        requestId: expect.any(String),
        sentAt: expect.any(String),
        answeredAt: expect.any(String),
        status: 500,
        error: "InternalServerError",
      },
    ]);
    expect(j2!.receipts).toEqual([expect.objectContaining({ status: 200, requestId: expect.any(String) })]);
  });

  test("a failed download: the summary and --json name a download command with the full URL, and it works", async () => {
    const source = videoSource();
    gateway = await servers.gateway((request, res, n) => {
      if (n < 2) res.writeHead(200, { "content-type": "text/html" }).end("<h1>Link expired</h1>");
      else serveVideo(request, res, source);
    });
    await writeJobs(1);
    const env = { ONEROUTER_API_KEY: "sk-test", ONEROUTER_BASE_URL: gateway.url };
    const run = await runCliHere(batch(), { env });
    expect(run.code).toBe(1);
    const command = `sora-video download '${gateway.videoUrl}' --out ${join(out(), "j1.mp4")}`;
    expect(run.stdout).toContain(`Generated (and paid for) but not saved; save each for free with:\n  ${command}\n`);
    expect(run.stdout).toMatch(
      /j1 +failed +DownloadError: Download of http:\/\/127\.0\.0\.1:\d+\/videos\/v1\.mp4 failed/,
    );
    const json = JSON.parse((await runCliHere(batch("--json"), { env })).stdout) as {
      jobs: Array<Record<string, unknown>>;
    };
    expect(json.jobs[0]).toMatchObject({ id: "j1", state: "failed", url: gateway.videoUrl, download_command: command });
    const code = await new Promise<number | null>((resolve) => {
      const child = spawn("sh", ["-c", command.replace(/^sora-video /, `"${process.execPath}" "${CLI}" `)], {
        stdio: "ignore",
      });
      child.once("close", resolve);
    });
    expect(code).toBe(0);
    expect((await stat(join(out(), "j1.mp4"))).size).toBe(source.size);
    expect(gateway.generations()).toBe(1);
  });

  test("--dry-run of 20,000 lines: counts, lists the wrong lines, sends nothing, needs no key, writes nothing", async () => {
    mock = await servers.mock();
    const wrong = [
      JSON.stringify({ prompt: "no image", resolution: "auto" }),
      JSON.stringify({ prompt: "x", image_url: IMAGE, duration: "5" }),
    ];
    await writeJobs(20_000, wrong);
    const started = Date.now();
    const run = await runCliHere(batch("--dry-run"), { env: { ONEROUTER_BASE_URL: mock.url } });
    const elapsedMs = Date.now() - started;
    process.stderr.write(`batch --dry-run of 20,002 lines took ${elapsedMs} ms (process start included)\n`);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^ {2}lines {14}20002$/m);
    expect(run.stdout).toMatch(/^ {2}paid generations {3}20000 /m);
    expect(run.stdout).toMatch(
      /^ {2}line 20001: \/resolution must be one of "720p", "1080p" \(as sora-2-pro-text-to-video\)$/m,
    );
    expect(run.stdout).toMatch(/^ {2}line 20002: \/duration /m);
    expect(mock.stats.requests).toBe(0);
    expect(existsSync(out())).toBe(false);
  }, 60_000);

  test("--dry-run --json against a journal: jobs already done are not counted again", async () => {
    mock = await servers.mock();
    await writeJobs(3);
    const env = { ONEROUTER_API_KEY: "sk-test", ONEROUTER_BASE_URL: mock.url };
    expect((await runCliHere(batch(), { env })).code).toBe(0);
    await writeJobs(5);
    const run = await runCliHere(batch("--dry-run", "--json"), { env: {} });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      ok: true,
      dryRun: true,
      lines: 5,
      jobs: 5,
      malformed: [],
      generations: 2,
      downloads: 0,
      tasks: 0,
      alreadyDone: 3,
      skippedUncertain: 0,
    });
    expect(mock.stats.requests).toBe(3);
  });
});
