import { applyRecord, type JobStatus } from "../../src/batch/journal-state";
import { apiErrorFor, APITimeoutError } from "../../src/errors";
import { storedJobs } from "../../src/queue/jobs";
import {
  processDownload,
  processRender,
  type ProcessableJob,
  type QueueWorkerClient,
} from "../../src/queue/process-job";
import { jobStatusOf } from "../../src/queue/state";
import type { QueueRequest, StoredJob } from "../../src/queue/types";

const IMAGE = "https://img.example/cat.png";
const RESPONSE = { created: 1, data: [{ url: "https://cdn.example/v/1.mp4", video_id: "vid_1", revised_prompt: "p" }] };

/** A job whose updateData keeps every version it was given (what Redis would hold after each step). */
function fakeJob(request: QueueRequest, status?: Partial<JobStatus>): ProcessableJob & { history: StoredJob[] } {
  const [data] = storedJobs([{ id: "j1", out: "j1.mp4", request }]);
  const history: StoredJob[] = [];
  return {
    data: { ...data!, status: { ...data!.status, ...status } },
    history,
    async updateData(next) {
      history.push(next);
      this.data = next;
    },
  };
}

function fakeClient(generate: () => Promise<typeof RESPONSE>, extra: Partial<QueueWorkerClient> = {}) {
  const calls = { generate: 0, remix: 0, download: 0 };
  const client: QueueWorkerClient = {
    waitForTask: () => Promise.reject(new Error("no task in this test")),
    generateVideo: async () => {
      calls.generate += 1;
      return generate();
    },
    remixVideo: async () => {
      calls.remix += 1;
      return RESPONSE;
    },
    downloadVideo: async (url, dest) => {
      calls.download += 1;
      return { path: dest, bytes: 42 };
    },
    ...extra,
  };
  return { client, calls };
}

const states = (job: { history: StoredJob[] }) => job.history.map((data) => data.status.state);
const apiError = (status: number) =>
  apiErrorFor({ status, endpoint: "POST /v1/videos/generations", headers: new Headers(), body: {} } as never);
const rejecting = (error: unknown) => async () => Promise.reject(error);
const SENT = ["submitted", "uncertain"];

/** A hand-off that keeps what it was given (what the downloads queue would hold). */
function fakeHandOff() {
  const handedOver: StoredJob[] = [];
  return { handedOver, handOff: async (data: StoredJob) => handedOver.push(data) };
}

/** Renders then, when the render handed over, downloads: what a worker's two queues do to one job. */
async function renderThenDownload(job: ReturnType<typeof fakeJob>, client: QueueWorkerClient) {
  const { handedOver, handOff } = fakeHandOff();
  await processRender(job, client, handOff);
  expect(handedOver).toHaveLength(1);
  const download = fakeJob(job.data.request, handedOver[0]!.status);
  return { download, saved: await processDownload(download, client, "/out") };
}

describe("processRender / processDownload: the local journal's outcome rules, recorded before each step", () => {
  test.each([
    ["a 400 (certainly refused)", rejecting(apiError(400)), ["submitted", "failed"], "failed"],
    ["a 402 (no credit)", rejecting(apiError(402)), ["submitted", "failed"], "failed"],
    ["a 502 (maybe accepted)", rejecting(apiError(502)), SENT, "uncertain"],
    ["a timeout (maybe accepted)", rejecting(new APITimeoutError(10)), SENT, "uncertain"],
    ["a plain Error (unknown: maybe)", rejecting(new Error("boom")), SENT, "uncertain"],
    ["a 200 without a URL", async () => ({ created: 1, data: [] }) as never, SENT, "uncertain"],
  ])("%s: the render fails, nothing is handed over", async (_name, generate, recorded, shown) => {
    const job = fakeJob({ prompt: "p", image_url: IMAGE });
    const { client, calls } = fakeClient(generate);
    const { handedOver, handOff } = fakeHandOff();
    await expect(processRender(job, client, handOff)).rejects.toThrow(/^(failed|uncertain): /);
    expect(states(job)).toEqual(recorded);
    expect(calls).toEqual({ generate: 1, remix: 0, download: 0 });
    expect(handedOver).toEqual([]);
    expect(jobStatusOf("failed", { data: job.data }).state).toBe(shown);
  });

  test("a success: submitted, then generated with the URL saved and handed over at once; the download is done", async () => {
    const job = fakeJob({ prompt: "p", image_url: IMAGE });
    const { client, calls } = fakeClient(async () => RESPONSE);
    const { handedOver, handOff } = fakeHandOff();
    // The render leaves its queue (its slot) before anything is downloaded.
    await expect(processRender(job, client, handOff)).resolves.toBeUndefined();
    expect(calls).toEqual({ generate: 1, remix: 0, download: 0 });
    expect(states(job)).toEqual(["submitted", "generated"]);
    expect(handedOver).toEqual([job.history[1]]);
    expect(handedOver[0]!.status).toMatchObject({ state: "generated", url: RESPONSE.data[0]!.url, submissions: 1 });
    // A render job completed without a saved video is handed over, not done.
    expect(jobStatusOf("completed", { data: job.data, returnvalue: undefined }).state).toBe("active");

    const download = fakeJob(job.data.request, handedOver[0]!.status);
    const saved = { path: "/out/j1.mp4", bytes: 42, url: RESPONSE.data[0]!.url };
    await expect(processDownload(download, client, "/out")).resolves.toEqual(saved);
    expect(download.history).toEqual([]);
    expect(calls).toEqual({ generate: 1, remix: 0, download: 1 });
    expect(jobStatusOf("completed", { data: download.data, returnvalue: saved })).toMatchObject({
      state: "done",
      ...saved,
    });
  });

  test("a job found `submitted` (its last run died mid-call) is recorded uncertain and not sent", async () => {
    const job = fakeJob({ prompt: "p", image_url: IMAGE }, { state: "submitted", submissions: 1 });
    const { client, calls } = fakeClient(async () => RESPONSE);
    await expect(processRender(job, client, fakeHandOff().handOff)).rejects.toThrow(/^uncertain: /);
    expect(states(job)).toEqual(["uncertain"]);
    expect(calls.generate).toBe(0);
  });

  test("an uncertain job is sent again only when retryUncertain marked it; the mark is dropped once sent", async () => {
    const uncertain = { state: "uncertain" as const, submissions: 1, error: { name: "APITimeoutError", message: "t" } };
    const { client, calls } = fakeClient(async () => RESPONSE);
    const unmarked = fakeJob({ prompt: "p", image_url: IMAGE }, uncertain);
    await expect(processRender(unmarked, client, fakeHandOff().handOff)).rejects.toThrow(/^uncertain/);
    expect(calls.generate).toBe(0);
    const marked = fakeJob({ prompt: "p", image_url: IMAGE }, uncertain);
    marked.data.resend = true;
    await processRender(marked, client, fakeHandOff().handOff);
    expect(calls.generate).toBe(1);
    expect(marked.history[0]).toMatchObject({ status: { state: "submitted", submissions: 2 } });
    expect(marked.history[0]!.resend).toBeUndefined();
  });

  test("a download failed, or cut, with the URL saved: downloaded again, never rendered again", async () => {
    let downloads = 0;
    const { client, calls } = fakeClient(async () => RESPONSE, {
      downloadVideo: async (url, dest) => {
        downloads += 1;
        if (downloads === 1) throw new Error("disk full");
        return { path: dest, bytes: 7 };
      },
    });
    const url = RESPONSE.data[0]!.url;
    const download = fakeJob({ prompt: "p", image_url: IMAGE }, { state: "generated", url, submissions: 1 });
    await expect(processDownload(download, client, "/out")).rejects.toThrow(/^failed: Error: disk full/);
    expect(download.data.status).toMatchObject({ state: "failed", url });
    expect(jobStatusOf("failed", { data: download.data })).toMatchObject({ state: "failed", url });
    await expect(processDownload(download, client, "/out")).resolves.toMatchObject({ bytes: 7, url });
    expect(states(download)).toEqual(["failed"]);

    // A render job whose worker died after saving `generated` (settled failed with its URL) only hands over.
    const render = fakeJob({ prompt: "p", image_url: IMAGE }, { state: "failed", url, submissions: 1 });
    const { handedOver, handOff } = fakeHandOff();
    await expect(processRender(render, client, handOff)).resolves.toBeUndefined();
    expect(handedOver).toEqual([render.data]);
    expect(render.history).toEqual([]);
    expect(calls.generate).toBe(0);
  });

  test("a remix request goes to remixVideo, a generation to generateVideo", async () => {
    const remix = { video_id: "vid_0", prompt: "Make it night" };
    const seen: unknown[] = [];
    const remixVideo: QueueWorkerClient["remixVideo"] = async (request) => (seen.push(request), RESPONSE);
    const { client, calls } = fakeClient(async () => RESPONSE, { remixVideo });
    await renderThenDownload(fakeJob(remix), client);
    expect(seen).toEqual([remix]);
    expect(calls.generate).toBe(0);
    await renderThenDownload(fakeJob({ prompt: "A cat", image_url: IMAGE }), client);
    expect(calls.generate).toBe(1);
    expect(seen).toHaveLength(1);
    expect(calls.download).toBe(2);
  });

  test("a remix request that breaks the remix spec is refused before anything is queued", () => {
    expect(() => storedJobs([{ id: "r1", out: "r1.mp4", request: { prompt: "no id", video_id: 7 } as never }])).toThrow(
      /request\/video_id must be string/,
    );
  });
});

describe("jobStatusOf: what BullMQ's verdict and the journal status say together", () => {
  const data = (status: Partial<JobStatus>): StoredJob => {
    const [stored] = storedJobs([{ id: "a:1", out: "a.mp4", request: { prompt: "p", image_url: IMAGE } }]);
    return { ...stored!, status: { ...applyRecord(undefined, { at: "", id: "a:1", state: "pending" }), ...status } };
  };
  const stalled = "job stalled more than allowable limit";
  test.each([
    ["waiting", "pending", undefined, "waiting"],
    ["delayed", "pending", undefined, "waiting"],
    ["active", "submitted", undefined, "active"],
    ["completed", "done", undefined, "done"],
    ["failed", "submitted", stalled, "uncertain"],
    ["failed", "generated", stalled, "failed"],
    ["failed", "pending", stalled, "failed"],
    ["failed", "uncertain", "uncertain: t", "uncertain"],
    ["failed", "failed", "failed: x", "failed"],
  ] as const)("engine %s, journal %s (%s) → %s", (engineState, journal, failedReason, want) => {
    const url = journal === "generated" ? "https://v/1.mp4" : undefined;
    const status = jobStatusOf(engineState, { data: data({ state: journal, url }), failedReason });
    expect(status.state).toBe(want);
    if (engineState === "failed" && journal === "submitted") {
      expect(status.reason).toMatch(/^Interrupted: .*billed \(job stalled/);
    }
    if (journal === "generated") {
      expect(status).toMatchObject({ url, reason: expect.stringMatching(/downloading again costs nothing/) });
    }
  });
});
