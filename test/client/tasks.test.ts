import {
  createSoraClient,
  ConfigurationError,
  TaskFailedError,
  TaskLookupError,
  TaskPendingError,
  isSoraError,
} from "../../src/index";
import { startMockServer, type MockServer } from "../../src/node/mock/index";
import { CANARY_KEY, VALID_REQUEST } from "../helpers/fetch";
import { sendJson, useServers } from "../helpers/server";

describe("the asynchronous flow: a 200 carrying a task is never a finished video", () => {
  const serve = useServers();
  let mock: MockServer | undefined;
  afterEach(async () => {
    await mock?.close();
    mock = undefined;
  });

  test.each(["off", "warn", "throw"] as const)(
    "validateResponses %s: TaskPendingError with the task id and model, billed, never re-sent (retry unsafe)",
    async (validateResponses) => {
      mock = await startMockServer({ mode: "async" });
      const warnings: string[] = [];
      const sora = createSoraClient({
        apiKey: CANARY_KEY,
        baseUrl: mock.url,
        validateResponses,
        retry: "unsafe",
        maxRetries: 3,
        logger: { warn: (line) => warnings.push(line) },
      });
      const error = await sora.generateVideo(VALID_REQUEST).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(TaskPendingError);
      const pending = error as TaskPendingError;
      expect(pending.taskId).toMatch(/^cgt-[0-9a-f]{32}$/);
      expect(pending).toMatchObject({
        model: "sora-2-pro-image-to-video",
        status: "submitted",
        mayHaveBeenAccepted: true,
      });
      expect(pending.message).toContain(pending.taskId);
      expect(isSoraError(error, "TaskPendingError")).toBe(true);
      expect(mock.stats.accepted).toBe(1);
      expect(warnings).toEqual([]);
    },
  );

  test("a top-level task_id (as third-party clients read it) is a task too; the answer is kept without the key", async () => {
    const server = await serve((request, response) =>
      sendJson(response, 200, { task_id: "task_9", status: "queued", echo: request.headers.authorization }),
    );
    const sora = createSoraClient({ apiKey: CANARY_KEY, baseUrl: server.url });
    const error = (await sora
      .textToVideo({ prompt: "A storm" })
      .catch((caught: unknown) => caught)) as TaskPendingError;
    expect(error).toBeInstanceOf(TaskPendingError);
    expect(error.taskId).toBe("task_9");
    expect(error.answer).toEqual({ task_id: "task_9", status: "queued", echo: "[redacted]" });
    expect(JSON.stringify(error.toJSON())).not.toContain(CANARY_KEY);
    expect(server.requests).toHaveLength(1);
  });

  test("waitForTask polls until the video: queued → running → its URL, with progress; the video downloads", async () => {
    mock = await startMockServer({ mode: "async", latencyMs: 300 });
    const sora = createSoraClient({ apiKey: CANARY_KEY, baseUrl: mock.url });
    const { taskId } = (await sora.generateVideo(VALID_REQUEST).catch((caught: unknown) => caught)) as TaskPendingError;
    const seen: string[] = [];
    const video = await sora.waitForTask(taskId, {
      pollIntervalMs: 40,
      onProgress: ({ status }) => void seen.push(status),
    });
    expect(video.task_id).toBe(taskId);
    expect(video.data[0]!.url).toMatch(new RegExp(`^${mock.url}/videos/video_\\w+\\.mp4$`));
    expect(video.data[0]!.video_id).toMatch(/^video_/);
    expect(seen[0]).toBe("queued");
    expect(seen).toContain("running");
    expect(seen.at(-1)).toBe("completed");
    expect(mock.stats.taskPolls).toBe(seen.length);
    expect((await fetch(video.data[0]!.url!)).status).toBe(200);
    expect(mock.stats.accepted).toBe(1);
  });

  test("a failed task is a TaskFailedError with the gateway's reason; a stuck one ends the wait as still running", async () => {
    mock = await startMockServer({ mode: "async" });
    const submit = async (outcome: string) => {
      const sora = createSoraClient({ apiKey: CANARY_KEY, baseUrl: mock!.url, headers: { "x-mock-task": outcome } });
      const { taskId } = (await sora
        .generateVideo(VALID_REQUEST)
        .catch((caught: unknown) => caught)) as TaskPendingError;
      return sora.waitForTask(taskId, { pollIntervalMs: 20, timeoutMs: 250 }).catch((caught: unknown) => caught);
    };
    const failed = (await submit("failed")) as TaskFailedError;
    expect(failed).toBeInstanceOf(TaskFailedError);
    expect(failed).toMatchObject({ status: "failed", mayHaveBeenAccepted: true });
    expect(failed.reason).toMatch(/content moderation/);
    const stuck = (await submit("stuck")) as TaskPendingError;
    expect(stuck).toBeInstanceOf(TaskPendingError);
    expect(stuck.status).toBe("running");
    expect(stuck.message).toMatch(/still not finished when the wait ended after 250 ms/);
  });

  test("a 404 ends the wait at once (TaskLookupError, the id kept); 503s are polled again", async () => {
    let polls = 0;
    const server = await serve((request, response) => {
      if (request.url === "/v1/videos/tasks/gone")
        return sendJson(response, 404, { error: { code: 404, message: "no" } });
      polls += 1;
      if (polls <= 2) return sendJson(response, 503, { error: { code: 503, message: "busy" } });
      sendJson(response, 200, {
        data: { task_id: "t1", status: "success", urls: { video: "https://cdn.example/v.mp4" } },
      });
    });
    const sora = createSoraClient({ apiKey: CANARY_KEY, baseUrl: server.url });
    const gone = (await sora
      .waitForTask("gone", { pollIntervalMs: 10 })
      .catch((caught: unknown) => caught)) as TaskLookupError;
    expect(gone).toBeInstanceOf(TaskLookupError);
    expect(gone).toMatchObject({ taskId: "gone", httpStatus: 404, mayHaveBeenAccepted: true });
    expect(server.requests).toHaveLength(1);
    const done = await sora.waitForTask("t1", { pollIntervalMs: 10 });
    expect(done.data).toEqual([{ url: "https://cdn.example/v.mp4" }]);
    expect(polls).toBe(3);
  }, 30_000);

  test("an unknown status word is reported, not guessed; other answer shapes are read", async () => {
    const answers: Record<string, unknown> = {
      "/v1/videos/tasks/odd": { data: { task_id: "odd", status: "paused-ish" } },
      "/v1/videos/tasks/outputs": { task_id: "outputs", state: "COMPLETED", outputs: ["https://cdn.example/o.mp4"] },
      "/v1/videos/tasks/list": { status: "succeeded", data: [{ url: "https://cdn.example/l.mp4", video_id: "v_l" }] },
      "/v1/videos/tasks/cancel": { data: { status: "cancelled", error: { message: "user cancelled" } } },
    };
    const server = await serve((request, response) => sendJson(response, 200, answers[request.url] ?? {}));
    const sora = createSoraClient({ apiKey: CANARY_KEY, baseUrl: server.url });
    const odd = (await sora.waitForTask("odd").catch((caught: unknown) => caught)) as TaskLookupError;
    expect(odd).toBeInstanceOf(TaskLookupError);
    expect(odd.status).toBe("unknown: paused-ish");
    expect(odd.message).toContain('"paused-ish"');
    expect((await sora.waitForTask("outputs")).data[0]!.url).toBe("https://cdn.example/o.mp4");
    expect((await sora.waitForTask("list")).data[0]).toEqual({ url: "https://cdn.example/l.mp4", video_id: "v_l" });
    const cancelled = (await sora.waitForTask("cancel").catch((caught: unknown) => caught)) as TaskFailedError;
    expect(cancelled).toMatchObject({ name: "TaskFailedError", status: "cancelled", reason: "user cancelled" });
  });

  test("taskUrl: a template on the API's origin is used; another origin is a ConfigurationError (the key goes with polls)", async () => {
    const server = await serve((request, response) =>
      sendJson(response, 200, { data: { status: "completed", video_url: `https://cdn.example${request.url}.mp4` } }),
    );
    const sora = createSoraClient({
      apiKey: CANARY_KEY,
      baseUrl: server.url,
      taskUrl: "{baseUrl}/v2/tasks/{task_id}?full=1",
    });
    expect((await sora.waitForTask("abc")).data[0]!.url).toBe("https://cdn.example/v2/tasks/abc?full=1.mp4");
    expect(server.requests[0]!.headers.authorization).toBe(CANARY_KEY);
    expect(server.requests[0]!.method).toBe("GET");
    for (const taskUrl of ["https://media.onerouter.pro/v1/videos/tasks/{task_id}", "{baseUrl}/v1/tasks"]) {
      expect(() => createSoraClient({ apiKey: CANARY_KEY, baseUrl: server.url, taskUrl })).toThrow(ConfigurationError);
    }
    await expect(sora.waitForTask("../etc")).rejects.toBeInstanceOf(ConfigurationError);
  });
});
