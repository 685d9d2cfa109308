import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parseJobs } from "../../src/cli/batch/jobs";
import { JOURNAL_FILE, Journal } from "../../src/cli/batch/journal";
import { foldJournal, type JournalRecord } from "../../src/batch/journal-state";
import { planJob } from "../../src/batch/plan";
import { runBatch, type BatchClient, type GenerationHooks } from "../../src/cli/batch/scheduler";
import { APIUserAbortError, type SoraError, type VideoGenerationResponse } from "../../src";
import { apiErrorFor } from "../../src/errors";
import { waitFor } from "./helpers/run-cli";
import { useTempDir } from "./helpers/temp-dir";

const job = parseJobs(JSON.stringify({ id: "a", prompt: "a", image_url: "https://img.example/a.png" })).jobs;
const VIDEO: VideoGenerationResponse = {
  created: 1,
  data: [{ url: "http://video.test/a.mp4", video_id: "v", revised_prompt: "a" }],
};
const error = (status: number): SoraError =>
  apiErrorFor({
    endpoint: "POST /v1/videos/generations",
    status,
    statusText: "",
    headers: new Headers(),
    body: "",
    requestId: undefined,
  });

/** A client whose one generation is scripted against the hooks the scheduler hands it. */
function scripted(
  script: (hooks: GenerationHooks, signal: AbortSignal | undefined) => Promise<VideoGenerationResponse>,
): BatchClient {
  return {
    render: (_request, { hooks, signal }) => script(hooks!, signal),
    waitForTask: () => Promise.reject(new Error("no task in this test")),
    downloadVideo: async (_url, dest) => ({ path: dest, bytes: 1 }),
  };
}

describe("runBatch journals each attempt of a generation (refused, re-sent) and keeps receipts", () => {
  const tempDir = useTempDir("sora-attempts-");
  const journalPath = () => join(tempDir(), JOURNAL_FILE);
  const records = async () => {
    const text = await readFile(journalPath(), "utf8").catch(() => "");
    return text
      .split("\n")
      .filter((line) => line !== "")
      .map((line) => JSON.parse(line) as JournalRecord);
  };
  const states = async () => (await records()).map((record) => record.state);

  async function run(client: BatchClient, abort?: AbortSignal) {
    const { journal } = await Journal.open(journalPath());
    try {
      return await runBatch({
        jobs: job,
        outDir: tempDir(),
        journal,
        client,
        concurrency: 1,
        retryUncertain: false,
        abort,
      });
    } finally {
      await journal.close();
    }
  }

  test("429, then a re-send that succeeds: refused on disk during the wait, submitted again before the re-send", async () => {
    const onDisk: string[] = [];
    const [result] = await run(
      scripted(async (hooks) => {
        await hooks.beforeSend();
        hooks.onAnswer({ sentAt: "s1", answeredAt: "a1", status: 429, requestId: "req_1" });
        hooks.onRetry({ error: error(429), attempt: 1, delayMs: 1000 });
        await hooks.beforeSend();
        onDisk.push(...(await states()));
        hooks.onAnswer({ sentAt: "s2", answeredAt: "a2", status: 200, requestId: "req_2" });
        return VIDEO;
      }),
    );
    expect(onDisk).toEqual(["pending", "submitted", "refused", "submitted"]);
    expect(await states()).toEqual(["pending", "submitted", "refused", "submitted", "generated", "done"]);
    const refused = (await records())[2]!;
    expect(refused.error).toMatchObject({ name: "RateLimitError" });
    const receipt = { sentAt: "s2", answeredAt: "a2", status: 200, requestId: "req_2" };
    expect((await records())[4]!.receipt).toEqual(receipt);
    expect(result!.receipts).toEqual([receipt]);
  });

  test("a crash during the Retry-After wait leaves a job the next run sends again without --retry-uncertain", async () => {
    const abort = new AbortController();
    const running = run(
      scripted(async (hooks, signal) => {
        await hooks.beforeSend();
        hooks.onRetry({ error: error(429), attempt: 1, delayMs: 60_000 });
        await new Promise((_resolve, reject) =>
          signal!.addEventListener("abort", () => reject(new APIUserAbortError(false))),
        );
        throw new Error("unreachable");
      }),
      abort.signal,
    );
    await waitFor(async () => (await states()).at(-1) === "refused", 10_000, "refused on disk");
    // The process dies here: what the next run reads is the journal as it is now.
    const { statuses } = foldJournal(await readFile(journalPath(), "utf8"));
    expect(planJob(statuses.get("a"), false)).toBe("submit");
    abort.abort();
    const [result] = await running;
    expect(result).toMatchObject({ state: "failed", error: { name: "APIUserAbortError" } });
  });

  test("a re-send after a failure that may have been billed (retry: unsafe) is not journaled as refused", async () => {
    await run(
      scripted(async (hooks) => {
        await hooks.beforeSend();
        hooks.onRetry({ error: error(502), attempt: 1, delayMs: 0 });
        await hooks.beforeSend();
        return VIDEO;
      }),
    );
    expect(await states()).toEqual(["pending", "submitted", "generated", "done"]);
  });

  test("a call that may have been billed and failed is uncertain with a receipt naming the error", async () => {
    const [result] = await run(
      scripted(async (hooks) => {
        await hooks.beforeSend();
        hooks.onAnswer({ sentAt: "s1", answeredAt: "a1", status: 502, requestId: "req_9" });
        throw error(502);
      }),
    );
    const receipt = { sentAt: "s1", answeredAt: "a1", status: 502, requestId: "req_9", error: "InternalServerError" };
    expect((await records()).at(-1)).toMatchObject({ state: "uncertain", receipt });
    expect(result!.receipts).toEqual([receipt]);
  });
});
