import { readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { startMockServer, type MockServer } from "../../src/node/mock";
import { requireBuiltCli, runCliHere, startCli, waitFor } from "./helpers/run-cli";
import { useTempDir } from "./helpers/temp-dir";

interface JournalLine {
  id: string;
  state: string;
  taskId?: string;
}

/** The local batch and the gateway's asynchronous flow: a task that was paid for is never lost. */
describe("sora-video batch with tasks (the embedded mock in async mode)", () => {
  let mock: MockServer | undefined;
  const tempDir = useTempDir("sora-batch-tasks-");
  const out = () => join(tempDir(), "out");
  const jobsFile = () => join(tempDir(), "jobs.jsonl");
  const env = () => ({ ONEROUTER_API_KEY: "sk-task-batch", ONEROUTER_BASE_URL: mock!.url });
  const batch = (...extra: string[]) => ["batch", jobsFile(), "--out", out(), "--poll-interval", "30ms", ...extra];
  const journal = async (): Promise<JournalLine[]> => {
    const text = await readFile(join(out(), "sora-batch.journal.jsonl"), "utf8").catch(() => "");
    return text
      .split("\n")
      .filter((line) => line.endsWith("}"))
      .map((line) => JSON.parse(line) as JournalLine);
  };
  const lastStates = async () => new Map((await journal()).map((record) => [record.id, record.state]));
  const writeJobs = (count: number) =>
    writeFile(
      jobsFile(),
      `${Array.from({ length: count }, (_, index) => JSON.stringify({ id: `t${index + 1}`, prompt: `scene ${index + 1}` })).join("\n")}\n`,
    );

  beforeAll(() => requireBuiltCli());
  afterEach(async () => {
    await mock?.close();
    mock = undefined;
  });

  test("every job accepted as a task is journaled with its id, polled to its video and saved; the task id is in the journal", async () => {
    mock = await startMockServer({ mode: "async", latencyMs: 150 });
    await writeJobs(4);
    const run = await runCliHere(batch("--concurrency", "2", "--json"), { env: env() });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: true, counts: { done: 4, task: 0 } });
    const records = await journal();
    const accepted = records.filter((record) => record.state === "accepted");
    expect(accepted.map((record) => record.id).sort()).toEqual(["t1", "t2", "t3", "t4"]);
    for (const record of accepted) expect(record.taskId).toMatch(/^cgt-[0-9a-f]{32}$/);
    for (const id of ["t1", "t2", "t3", "t4"]) expect((await stat(join(out(), `${id}.mp4`))).size).toBe(7959);
    expect(mock.stats.accepted).toBe(4);
    expect(JSON.stringify(records)).not.toContain("sk-task-batch");
  });

  test("a wait cut short leaves the tasks accepted (summary 'task', exit 1); the re-run polls them, never sends again, even with --retry-uncertain", async () => {
    mock = await startMockServer({ mode: "async", latencyMs: 4_000 });
    await writeJobs(3);
    const first = await runCliHere(batch("--timeout", "1500ms"), { env: env() });
    expect(first.code).toBe(1);
    expect(first.stdout).toMatch(
      /^ {2}task +3 +accepted as tasks \(billed\), no video yet; running the command again finishes them/m,
    );
    expect(first.stdout).toMatch(/^ {2}\d+ +t1 +task +task cgt-[0-9a-f]{32}; TaskPendingError: /m);
    expect(first.stdout).toContain(
      "resume (failed and not-run jobs, accepted tasks, unsaved videos; nothing is paid twice):",
    );
    expect([...(await lastStates()).values()]).toEqual(["accepted", "accepted", "accepted"]);

    const dry = await runCliHere(["batch", jobsFile(), "--out", out(), "--dry-run", "--json"], { env: env() });
    expect(JSON.parse(dry.stdout)).toMatchObject({ generations: 0, tasks: 3 });

    const second = await runCliHere(batch("--retry-uncertain", "--json"), { env: env() });
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ ok: true, counts: { done: 3 } });
    expect(mock.stats.accepted).toBe(3);
  }, 30_000);

  test("--no-wait: accepted tasks are journaled with their id and left; the resume command (without --no-wait) finishes them", async () => {
    mock = await startMockServer({ mode: "async", latencyMs: 100 });
    await writeJobs(2);
    const first = await runCliHere(batch("--no-wait"), { env: env() });
    expect(first.code).toBe(1);
    expect([...(await lastStates()).values()]).toEqual(["accepted", "accepted"]);
    expect(mock.stats.taskPolls).toBe(0);
    const resume =
      /resume \(failed and not-run jobs, accepted tasks, unsaved videos; nothing is paid twice\):\n\s+(.+)\n/.exec(
        first.stdout,
      )![1]!;
    expect(resume).not.toContain("--no-wait");
    const again = await runCliHere(batch("--no-wait"), { env: env() });
    expect(again.code).toBe(1);
    expect(mock.stats.taskPolls).toBe(0);
    const second = await runCliHere(batch("--json"), { env: env() });
    expect(JSON.parse(second.stdout)).toMatchObject({ ok: true, counts: { done: 2 } });
    expect(mock.stats.accepted).toBe(2);
  });

  test("crash: SIGKILL while tasks are polled; the re-run finishes them without a second submit", async () => {
    mock = await startMockServer({ mode: "async", latencyMs: 1_200 });
    await writeJobs(3);
    const running = startCli(batch("--concurrency", "3"), { env: env() });
    await waitFor(
      async () => [...(await lastStates()).values()].filter((state) => state === "accepted").length === 3,
      20_000,
      "three tasks accepted",
    );
    running.child.kill("SIGKILL");
    expect((await running.done).signal).toBe("SIGKILL");
    const rerun = await runCliHere(batch("--json"), { env: env() });
    expect(rerun.code).toBe(0);
    expect(JSON.parse(rerun.stdout)).toMatchObject({ ok: true, counts: { done: 3 } });
    expect(mock.stats.accepted).toBe(3);
  }, 40_000);

  test("a task that ends failed is uncertain (billed, no video), with the gateway's reason; the other jobs run", async () => {
    mock = await startMockServer({ mode: "async" });
    await writeFile(
      jobsFile(),
      `${JSON.stringify({ id: "ok", prompt: "fine" })}\n${JSON.stringify({ id: "bad", prompt: "bad" })}\n`,
    );
    // The mock picks a task's end from the submit's x-mock-task header: send "failed" for one job only.
    const failing = new Set(["bad"]);
    const proxy = await proxyMarkingFailures(mock.url, failing);
    try {
      const run = await runCliHere(batch("--concurrency", "1"), { env: { ...env(), ONEROUTER_BASE_URL: proxy.url } });
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(/^ {2}\d+ +bad +uncertain +task cgt-\w+; TaskFailedError: Task cgt-/m);
    } finally {
      await proxy.close();
    }
    const bad = (await journal()).filter((record) => record.id === "bad").at(-1) as JournalLine & {
      error?: { message: string };
    };
    expect(bad.state).toBe("uncertain");
    expect(bad.error!.message).toMatch(/failed: The render was stopped by the provider's content moderation/);
    expect((await lastStates()).get("ok")).toBe("done");
  });
});

/**
 * A loopback proxy in front of the mock that adds `x-mock-task: failed` to the submit of each job
 * whose prompt is in `failing` (the CLI sends no such header itself).
 */
async function proxyMarkingFailures(
  target: string,
  failing: ReadonlySet<string>,
): Promise<{ url: string; close(): Promise<void> }> {
  const { createServer } = await import("node:http");
  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const headers = new Headers();
    for (const [name, value] of Object.entries(request.headers)) {
      if (typeof value === "string" && name !== "host" && name !== "content-length") headers.set(name, value);
    }
    if (body.length > 0 && failing.has(String((JSON.parse(body.toString()) as { prompt?: unknown }).prompt))) {
      headers.set("x-mock-task", "failed");
    }
    const answer = await fetch(`${target}${request.url}`, {
      method: request.method,
      headers,
      body: body.length > 0 ? body : undefined,
    });
    response.writeHead(answer.status, Object.fromEntries(answer.headers));
    response.end(Buffer.from(await answer.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
