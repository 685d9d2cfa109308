import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { JobRequest } from "../../src/batch/job-request";
import { parseJobs, type BatchJob } from "../../src/cli/batch/jobs";
import { JOURNAL_FILE, Journal } from "../../src/cli/batch/journal";
import { runBatch, type BatchClient, type BatchEvent, type JobResult } from "../../src/cli/batch/scheduler";
import { APITimeoutError, APIUserAbortError, DownloadError } from "../../src";
import { apiErrorFor } from "../../src/errors";
import { useTempDir } from "./helpers/temp-dir";

type Outcome = "ok" | "reject" | "timeout" | "no-url" | "download-404";

/** A fake client: each prompt's outcome comes from `outcomes` (default ok); every call is recorded. */
function fakeClient(
  outcomes: Record<string, Outcome> = {},
  hooks: { beforeGenerate?: (prompt: string) => Promise<void>; beforeDownload?: (url: string) => Promise<void> } = {},
) {
  const generated: string[] = [];
  const downloaded: string[] = [];
  let running = 0;
  let peak = 0;
  const client: BatchClient = {
    waitForTask: () => Promise.reject(new Error("no task in this test")),
    async render(request: JobRequest, { signal }) {
      generated.push(request.prompt);
      running += 1;
      peak = Math.max(peak, running);
      try {
        await hooks.beforeGenerate?.(request.prompt);
        await new Promise((resolve) => setTimeout(resolve, 5));
        if (signal?.aborted) throw new APIUserAbortError(true);
        const outcome = outcomes[request.prompt] ?? "ok";
        if (outcome === "reject")
          throw apiErrorFor({
            endpoint: "POST /v1/videos/generations",
            status: 400,
            statusText: "Bad Request",
            headers: new Headers(),
            body: "bad",
            requestId: undefined,
          });
        if (outcome === "timeout") throw new APITimeoutError(1000);
        return {
          created: 1,
          data:
            outcome === "no-url"
              ? []
              : [
                  {
                    url: `http://video.test/${request.prompt}.mp4`,
                    video_id: `vid-${request.prompt}`,
                    revised_prompt: request.prompt,
                  },
                ],
        };
      } finally {
        running -= 1;
      }
    },
    async downloadVideo(url, dest) {
      downloaded.push(url);
      await hooks.beforeDownload?.(url);
      if (outcomes[url.replace(/^http:\/\/video\.test\/|\.mp4$/g, "")] === "download-404")
        throw new DownloadError("404 Not Found", { url, status: 404 });
      return { path: dest, bytes: 42 };
    },
  };
  return { client, generated, downloaded, peak: () => peak };
}

const jobsOf = (...prompts: string[]): BatchJob[] =>
  parseJobs(
    prompts.map((prompt) => JSON.stringify({ id: prompt, prompt, image_url: "https://img.example/a.png" })).join("\n"),
  ).jobs;

describe("runBatch", () => {
  const tempDir = useTempDir("sora-batch-");
  const journalPath = () => join(tempDir(), JOURNAL_FILE);
  const journalLines = async () =>
    (await readFile(journalPath(), "utf8"))
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { id: string; state: string; url?: string });
  const statesOf = async (id: string) =>
    (await journalLines()).filter((record) => record.id === id).map((record) => record.state);

  async function run(
    jobs: BatchJob[],
    client: BatchClient,
    extra: { retryUncertain?: boolean; concurrency?: number; stop?: AbortSignal; abort?: AbortSignal } = {},
  ) {
    const { journal } = await Journal.open(journalPath());
    const events: BatchEvent[] = [];
    try {
      const results = await runBatch({
        jobs,
        outDir: tempDir(),
        journal,
        client,
        concurrency: extra.concurrency ?? 2,
        retryUncertain: extra.retryUncertain ?? false,
        stop: extra.stop,
        abort: extra.abort,
        onEvent: (event) => events.push(event),
      });
      return { results, events, byId: (id: string) => results.find((result) => result.job.id === id) as JobResult };
    } finally {
      await journal.close();
    }
  }

  test("a fresh run: every job pending → submitted → generated → done, downloaded into the out dir", async () => {
    const fake = fakeClient();
    const { results } = await run(jobsOf("a", "b", "c"), fake.client);
    expect(results.map(({ job, state, action, path }) => [job.id, state, action, path])).toEqual(
      ["a", "b", "c"].map((id) => [id, "done", "submit", join(tempDir(), `${id}.mp4`)]),
    );
    for (const id of ["a", "b", "c"]) expect(await statesOf(id)).toEqual(["pending", "submitted", "generated", "done"]);
    expect(fake.downloaded.sort()).toEqual([
      "http://video.test/a.mp4",
      "http://video.test/b.mp4",
      "http://video.test/c.mp4",
    ]);
  });

  test("`submitted` is on disk before the request is sent, and the URL before the download starts", async () => {
    const seen: string[] = [];
    const fake = fakeClient(
      {},
      {
        beforeGenerate: async (prompt) => {
          seen.push(`${prompt}:${(await statesOf(prompt)).at(-1)}`);
        },
        beforeDownload: async (url) => {
          const record = (await journalLines()).filter((entry) => entry.url === url).at(-1);
          seen.push(`${url}:${record?.state}`);
        },
      },
    );
    await run(jobsOf("a"), fake.client);
    expect(seen).toEqual(["a:submitted", "http://video.test/a.mp4:generated"]);
  });

  test("a certain rejection is failed, and the next run sends it again", async () => {
    const first = await run(jobsOf("a", "b"), fakeClient({ b: "reject" }).client);
    expect(first.byId("b")).toMatchObject({ state: "failed", error: { name: "BadRequestError" } });
    const fake = fakeClient();
    const second = await run(jobsOf("a", "b"), fake.client);
    expect(fake.generated).toEqual(["b"]);
    expect(second.byId("a").action).toBe("skip-done");
    expect(second.byId("b")).toMatchObject({ state: "done", action: "submit" });
  });

  test("a timeout is uncertain: skipped by the next run, sent again only with retryUncertain", async () => {
    await run(jobsOf("a"), fakeClient({ a: "timeout" }).client);
    expect(await statesOf("a")).toEqual(["pending", "submitted", "uncertain"]);
    const skipping = fakeClient();
    expect((await run(jobsOf("a"), skipping.client)).byId("a")).toMatchObject({
      action: "skip-uncertain",
      state: "uncertain",
      error: { name: "APITimeoutError" },
    });
    expect(skipping.generated).toEqual([]);
    const retrying = fakeClient();
    expect((await run(jobsOf("a"), retrying.client, { retryUncertain: true })).byId("a").state).toBe("done");
    expect(retrying.generated).toEqual(["a"]);
  });

  test("a crash while a call was open (last record `submitted`) becomes uncertain and is not sent again", async () => {
    const line = (record: object) => `${JSON.stringify({ at: "t", ...record })}\n`;
    await writeFile(
      journalPath(),
      line({ id: "a", state: "pending" }) + line({ id: "a", state: "submitted" }) + line({ id: "b", state: "pending" }),
    );
    const fake = fakeClient();
    const { byId, events } = await run(jobsOf("a", "b"), fake.client);
    expect(events).toContainEqual({ type: "recovered", id: "a" });
    expect(byId("a")).toMatchObject({ action: "skip-uncertain", state: "uncertain", error: { name: "Interrupted" } });
    expect(byId("b").state).toBe("done");
    expect(fake.generated).toEqual(["b"]);
  });

  test("a failed download keeps the URL: the next run downloads again without generating", async () => {
    const first = await run(jobsOf("a"), fakeClient({ a: "download-404" }).client);
    expect(first.byId("a")).toMatchObject({
      state: "failed",
      url: "http://video.test/a.mp4",
      error: { name: "DownloadError" },
    });
    const fake = fakeClient();
    expect((await run(jobsOf("a"), fake.client)).byId("a")).toMatchObject({ action: "download", state: "done" });
    expect({ generated: fake.generated, downloaded: fake.downloaded }).toEqual({
      generated: [],
      downloaded: ["http://video.test/a.mp4"],
    });
  });

  test("a job whose generation returned (crash before the download) is downloaded, not generated", async () => {
    const line = (record: object) => `${JSON.stringify({ at: "t", ...record })}\n`;
    await writeFile(
      journalPath(),
      line({ id: "a", state: "pending" }) +
        line({ id: "a", state: "submitted" }) +
        line({ id: "a", state: "generated", url: "http://video.test/a.mp4" }),
    );
    const fake = fakeClient();
    expect((await run(jobsOf("a"), fake.client)).byId("a")).toMatchObject({ action: "download", state: "done" });
    expect(fake.generated).toEqual([]);
  });

  test("a 200 without a video URL is uncertain (it was accepted), never failed", async () => {
    expect((await run(jobsOf("a"), fakeClient({ a: "no-url" }).client)).byId("a")).toMatchObject({
      state: "uncertain",
      error: { name: "ResponseValidationError" },
    });
  });

  test("concurrency bounds the calls in flight, and they do overlap", async () => {
    const fake = fakeClient();
    await run(jobsOf(...Array.from({ length: 12 }, (_, index) => `p${index}`)), fake.client, { concurrency: 4 });
    expect(fake.peak()).toBe(4);
    expect(fake.generated).toHaveLength(12);
  });

  test("stop: no new job starts, the running ones finish; the rest stay pending for the next run", async () => {
    const stop = new AbortController();
    const fake = fakeClient({}, { beforeGenerate: async () => stop.abort() });
    const { results } = await run(jobsOf("a", "b", "c", "d"), fake.client, { concurrency: 2, stop: stop.signal });
    expect(results.map((result) => [result.job.id, result.action, result.state])).toEqual([
      ["a", "submit", "done"],
      ["b", "submit", "done"],
      ["c", "not-started", "pending"],
      ["d", "not-started", "pending"],
    ]);
  });

  test("abort: a call cut short after it was sent is uncertain in the journal", async () => {
    const abort = new AbortController();
    const fake = fakeClient({}, { beforeGenerate: async () => abort.abort() });
    expect((await run(jobsOf("a"), fake.client, { abort: abort.signal })).byId("a")).toMatchObject({
      state: "uncertain",
      error: { name: "APIUserAbortError" },
    });
    expect(await statesOf("a")).toEqual(["pending", "submitted", "uncertain"]);
  });

  test("a job edited since it was journaled is reported and keeps its journaled state", async () => {
    await run(jobsOf("a"), fakeClient().client);
    const edited = parseJobs(
      JSON.stringify({ id: "a", prompt: "a, but blue", image_url: "https://img.example/a.png" }),
    ).jobs;
    const fake = fakeClient();
    const { events, byId } = await run(edited, fake.client);
    expect(events.filter((event) => event.type === "changed")).toHaveLength(1);
    expect(byId("a").action).toBe("skip-done");
    expect(fake.generated).toEqual([]);
  });

  test("a download does not hold a generation lane: the next job renders while the previous video downloads", async () => {
    let releaseDownloads!: () => void;
    const downloadsHeld = new Promise<void>((resolve) => (releaseDownloads = resolve));
    const { client, generated, downloaded } = fakeClient({}, { beforeDownload: () => downloadsHeld });
    const finished = run(jobsOf("a", "b", "c"), client, { concurrency: 1 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    // b rendered beside a's download; c waits, since b's download would exceed `concurrency` downloads.
    expect(generated).toEqual(["a", "b"]);
    expect(downloaded).toEqual(["http://video.test/a.mp4"]);
    releaseDownloads();
    const { results } = await finished;
    expect(generated).toEqual(["a", "b", "c"]);
    expect(results.map((result) => result.state)).toEqual(["done", "done", "done"]);
  });

  test("at most `concurrency` downloads are in flight; generations go on beside them", async () => {
    let inFlight = 0;
    let peakDownloads = 0;
    const { client, generated } = fakeClient(
      {},
      {
        beforeDownload: async () => {
          inFlight += 1;
          peakDownloads = Math.max(peakDownloads, inFlight);
          await new Promise((resolve) => setTimeout(resolve, 30));
          inFlight -= 1;
        },
      },
    );
    const { results } = await run(jobsOf("a", "b", "c", "d", "e", "f"), client, { concurrency: 2 });
    expect(peakDownloads).toBeLessThanOrEqual(2);
    expect(generated).toHaveLength(6);
    expect(results.every((result) => result.state === "done")).toBe(true);
  });
});
