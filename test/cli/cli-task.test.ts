import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { startMockServer, type MockServer } from "../../src/node/mock";
import { runCliHere } from "./helpers/run-cli";
import { useTempDir } from "./helpers/temp-dir";

const TASK_ID = /cgt-[0-9a-f]{32}/;

describe("the CLI and the gateway's asynchronous flow (the embedded mock in async mode)", () => {
  let mock: MockServer | undefined;
  const tempDir = useTempDir("sora-cli-task-");
  const env = (extra: Record<string, string> = {}) => ({
    ONEROUTER_API_KEY: "sk-task-canary",
    ONEROUTER_BASE_URL: mock!.url,
    ...extra,
  });
  afterEach(async () => {
    await mock?.close();
    mock = undefined;
  });

  test("generate: the task id and the command that finishes it are printed at once, then it waits and saves the video", async () => {
    mock = await startMockServer({ mode: "async", latencyMs: 200 });
    const out = join(tempDir(), "sea.mp4");
    const run = await runCliHere(
      ["generate", "--prompt", "A calm sea", "--out", out, "--poll-interval", "50ms", "--json"],
      { env: env() },
    );
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(
      new RegExp(`accepted the render as task ${TASK_ID.source} \\(it is billed\\); waiting for it`),
    );
    expect(run.stderr).toMatch(new RegExp(`sora-video task ${TASK_ID.source} --out ${out.replace(/[/.]/g, "\\$&")}`));
    const result = JSON.parse(run.stdout) as { ok: boolean; path: string; bytes: number; video_id: string };
    expect(result).toMatchObject({ ok: true, path: out, video_id: expect.stringMatching(/^video_/) });
    expect((await readFile(out)).length).toBe(result.bytes);
    expect(mock.stats.accepted).toBe(1);
    expect(mock.stats.taskPolls).toBeGreaterThanOrEqual(2);
    expect(run.stderr + run.stdout).not.toContain("sk-task-canary");
  });

  test("--no-wait: exit 1 with the task id and its command (text and --json); `task <id>` then finishes it for free", async () => {
    mock = await startMockServer({ mode: "async" });
    const out = join(tempDir(), "later.mp4");
    const first = await runCliHere(["generate", "--prompt", "Later", "--out", out, "--no-wait", "--json"], {
      env: env(),
    });
    expect(first.code).toBe(1);
    const report = JSON.parse(first.stdout) as {
      ok: boolean;
      task_id: string;
      task_command: string;
      error: { name: string };
    };
    expect(report).toMatchObject({ ok: false, error: { name: "TaskPendingError" } });
    expect(report.task_id).toMatch(TASK_ID);
    expect(report.task_command).toBe(`sora-video task ${report.task_id} --out ${out}`);
    expect(first.stderr).toContain(
      "finish it with the `sora-video task` command above; never run generate again for it",
    );
    expect(mock.stats.taskPolls).toBe(0);

    const second = await runCliHere(["task", report.task_id, "--out", out, "--poll-interval", "20ms"], { env: env() });
    expect(second.code).toBe(0);
    expect(second.stdout).toBe(`${out}\n`);
    expect((await readFile(out)).subarray(4, 8).toString("latin1")).toBe("ftyp");
    expect(mock.stats.accepted).toBe(1);
  });

  test("a failed task: exit 1 with the gateway's reason; a stuck one: the wait's deadline keeps the id and its command", async () => {
    mock = await startMockServer({ mode: "async" });
    const viaTask = async (outcome: string) => {
      const sora = (await import("../../src/index")).createSoraClient({
        apiKey: "sk-task-canary",
        baseUrl: mock!.url,
        headers: { "x-mock-task": outcome },
      });
      const error = (await sora
        .generateVideo({ prompt: "p", image_url: "https://img.example/a.png" })
        .catch((e: unknown) => e)) as {
        taskId: string;
      };
      return runCliHere(["task", error.taskId, "--no-download", "--poll-interval", "20ms", "--timeout", "300ms"], {
        env: env(),
      });
    };
    const bad = await viaTask("failed");
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(
      /TaskFailedError: Task cgt-\w+ failed: The render was stopped by the provider's content moderation/,
    );
    const stuck = await viaTask("stuck");
    expect(stuck.code).toBe(1);
    expect(stuck.stderr).toMatch(
      /TaskPendingError: Task cgt-\w+ is running: still not finished when the wait ended after 300 ms/,
    );
    expect(stuck.stderr).toMatch(/Finish it, for free, with:\n\s*sora-video task cgt-\w+\n/);
    expect(mock.stats.accepted).toBe(2);
  });

  test("an unknown task id: the task endpoint's 404 is reported at once with the id kept", async () => {
    mock = await startMockServer({ mode: "async" });
    const run = await runCliHere(["task", "cgt-nope", "--no-download", "--poll-interval", "20ms"], { env: env() });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /TaskLookupError: Task cgt-nope: the task endpoint \/v1\/videos\/tasks\/cgt-nope answered 404/,
    );
    expect(mock.stats.taskPolls).toBe(1);
  });
});
