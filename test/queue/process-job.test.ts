import { applyRecord, type JobStatus } from "../../src/batch/journal-state";
import { apiErrorFor, APITimeoutError } from "../../src/errors";
import { storedJobs } from "../../src/queue/jobs";
import { processJob, type ProcessableJob, type QueueWorkerClient } from "../../src/queue/process-job";
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

describe("processJob: the local journal's outcome rules, recorded in the job's data before each step", () => {
  test.each([
    ["a success", async () => RESPONSE, ["submitted", "generated", "done"], "completed", "done"],
    ["a 400 (certainly refused)", rejecting(apiError(400)), ["submitted", "failed"], "failed", "failed"],
    ["a 402 (no credit)", rejecting(apiError(402)), ["submitted", "failed"], "failed", "failed"],
    ["a 502 (maybe accepted)", rejecting(apiError(502)), SENT, "failed", "uncertain"],
    ["a timeout (maybe accepted)", rejecting(new APITimeoutError(10)), SENT, "failed", "uncertain"],
    ["a plain Error (unknown: maybe)", rejecting(new Error("boom")), SENT, "failed", "uncertain"],
    ["a 200 without a URL", async () => ({ created: 1, data: [] }) as never, SENT, "failed", "uncertain"],
  ])("%s", async (_name, generate, recorded, engineState, shown) => {
    const job = fakeJob({ prompt: "p", image_url: IMAGE });
    const { client, calls } = fakeClient(generate);
    const run = processJob(job, client, "/out");
    const saved = { path: "/out/j1.mp4", bytes: 42, url: RESPONSE.data[0]!.url };
    if (engineState === "completed") await expect(run).resolves.toEqual(saved);
    else await expect(run).rejects.toThrow(/^(failed|uncertain): /);
    expect(states(job)).toEqual(recorded);
    expect(calls.generate).toBe(1);
    expect(jobStatusOf(engineState, { data: job.data }).state).toBe(shown);
  });

  test("a job found `submitted` (its last run died mid-call) is recorded uncertain and not sent", async () => {
    const job = fakeJob({ prompt: "p", image_url: IMAGE }, { state: "submitted", submissions: 1 });
    const { client, calls } = fakeClient(async () => RESPONSE);
    await expect(processJob(job, client, "/out")).rejects.toThrow(/^uncertain: /);
    expect(states(job)).toEqual(["uncertain"]);
    expect(calls.generate).toBe(0);
  });

  test("an uncertain job is sent again only when retryUncertain marked it; the mark is dropped once sent", async () => {
    const uncertain = { state: "uncertain" as const, submissions: 1, error: { name: "APITimeoutError", message: "t" } };
    const { client, calls } = fakeClient(async () => RESPONSE);
    const unmarked = fakeJob({ prompt: "p", image_url: IMAGE }, uncertain);
    await expect(processJob(unmarked, client, "/out")).rejects.toThrow(/^uncertain/);
    expect(calls.generate).toBe(0);
    const marked = fakeJob({ prompt: "p", image_url: IMAGE }, uncertain);
    marked.data.resend = true;
    await processJob(marked, client, "/out");
    expect(calls.generate).toBe(1);
    expect(marked.history[0]).toMatchObject({ status: { state: "submitted", submissions: 2 } });
    expect(marked.history[0]!.resend).toBeUndefined();
  });

  test("a failed download keeps the URL; running the job again downloads without generating again", async () => {
    const job = fakeJob({ prompt: "p", image_url: IMAGE });
    let downloads = 0;
    const { client, calls } = fakeClient(async () => RESPONSE, {
      downloadVideo: async (url, dest) => {
        downloads += 1;
        if (downloads === 1) throw new Error("disk full");
        return { path: dest, bytes: 7 };
      },
    });
    await expect(processJob(job, client, "/out")).rejects.toThrow(/^failed: Error: disk full/);
    expect(job.data.status).toMatchObject({ state: "failed", url: RESPONSE.data[0]!.url });
    await expect(processJob(job, client, "/out")).resolves.toMatchObject({ bytes: 7 });
    expect(calls.generate).toBe(1);
    expect(states(job)).toEqual(["submitted", "generated", "failed", "done"]);
  });

  test("a remix request goes to remixVideo, a generation to generateVideo", async () => {
    const remix = { video_id: "vid_0", prompt: "Make it night" };
    const seen: unknown[] = [];
    const remixVideo: QueueWorkerClient["remixVideo"] = async (request) => (seen.push(request), RESPONSE);
    const { client, calls } = fakeClient(async () => RESPONSE, { remixVideo });
    await processJob(fakeJob(remix), client, "/out");
    expect(seen).toEqual([remix]);
    expect(calls.generate).toBe(0);
    await processJob(fakeJob({ prompt: "A cat", image_url: IMAGE }), client, "/out");
    expect(calls.generate).toBe(1);
    expect(seen).toHaveLength(1);
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
