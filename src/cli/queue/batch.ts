import type { QueueJobState, QueueJobStatus, SoraQueue } from "../../queue";
import type { BatchJob, MalformedLine } from "../batch/jobs";
import { prepareOutDir } from "../batch/out-dir";
import type { JobResult } from "../batch/scheduler";
import { categoryOf } from "../batch/summary";
import type { CliContext } from "../context";
import type { ExitCode } from "../exit";
import { listenTwoStep } from "../interrupt";
import type { Display } from "../progress/display";
import { renderBatch, type BatchProgress } from "../progress/render";
import { describeQueue, describeQueueUrl, openCliQueue, type QueueFlags } from "./options";

/** What `batch --queue` needs from the batch command. */
export interface QueueBatchInput {
  jobs: readonly BatchJob[];
  malformed: readonly MalformedLine[];
  flags: QueueFlags & { queue: string; concurrency?: number; retryUncertain?: boolean; json?: boolean };
  outDir: string;
  display: Display;
  client: Parameters<SoraQueue["startWorker"]>[0]["client"];
  /** The API key, taken out of what the worker writes to Redis. */
  secret: string;
  context: CliContext;
  /** Prints the summary and returns the exit code (the local batch's report). */
  report(results: JobResult[], interrupted: boolean, journal: string, elapsedMs: number): ExitCode;
  /** One finished job's line for `display` (the local batch's: fitted, coloured). */
  describe(result: JobResult, display: Display): string;
}

function resultOf(
  job: BatchJob,
  status: QueueJobStatus | undefined,
  before: QueueJobState | undefined,
  resent: boolean,
): JobResult {
  if (status === undefined || status.state === "waiting" || status.state === "active") {
    return { job, action: "not-started", state: "pending" };
  }
  const facts = { path: status.path, bytes: status.bytes, url: status.url, error: status.error };
  if (status.state === "done") {
    return { job, action: before === "done" ? "skip-done" : "submit", ...facts, state: "done" };
  }
  if (status.state === "task") {
    return { job, action: before === "task" ? "poll" : "submit", ...facts, state: "accepted", taskId: status.taskId };
  }
  const skipped = status.state === "uncertain" && before === "uncertain" && !resent;
  return { job, action: skipped ? "skip-uncertain" : "submit", state: status.state, ...facts };
}

/**
 * `batch --queue`: enqueues every job of the file (ids already queued are left alone), queues
 * again the file's failed jobs (never billed) and accepted tasks (polled, never sent again) and, with --retry-uncertain, its uncertain ones,
 * works on the queue in this process too, and returns once every job of the file has ended. The
 * first Ctrl-C stops waiting and lets this process's running jobs finish; the second aborts them.
 */
export async function runQueueBatch(input: QueueBatchInput): Promise<ExitCode> {
  const { jobs, flags, display } = input;
  const started = Date.now();
  const queue = await openCliQueue(flags.queue, (line) => display.log(line));
  await prepareOutDir(input.outDir).catch(async (error: unknown) => {
    await queue.close();
    throw error;
  });
  const ids = jobs.map((job) => job.id);
  let stopWorker: ((options?: { abort?: boolean }) => Promise<void>) | undefined;
  const interrupt = listenTwoStep(input.context, (line) => display.log(line), {
    first:
      "Stopping: this process takes no new job and waits for its running ones (Ctrl-C again aborts them); " +
      "queued jobs stay for other workers.",
    second: "Aborting this process's running jobs; jobs whose request was open become uncertain.",
  });
  interrupt.abort.addEventListener("abort", () => void stopWorker?.({ abort: true }), { once: true });
  try {
    const limits = await queue.setLimits({ maxInFlight: flags.maxInFlight, perMinute: flags.rate });
    display.log(describeQueue(flags.queue, queue, limits));
    for (const entry of input.malformed) display.log(`✗ line ${entry.line}: ${entry.message} (skipped)`);
    const before = new Map((await queue.status(ids)).jobs.map((status) => [status.id, status.state]));
    const enqueued = await queue.enqueue(jobs.map((job) => ({ id: job.id, request: job.request, out: job.out })));
    for (const id of enqueued.changed) {
      display.log(`! ${id} changed since it was queued; its queued state is kept (give it a new "id" to run it anew)`);
    }
    await queue.retryFailed(ids.filter((id) => before.get(id) === "failed"));
    // Accepted tasks whose wait ended before their video: polled again (free), never sent again.
    await queue.retryTasks(ids.filter((id) => before.get(id) === "task"));
    let resent = new Set<string>();
    if (flags.retryUncertain) {
      resent = new Set(await queue.retryUncertain(ids.filter((id) => before.get(id) === "uncertain")));
      if (resent.size > 0) {
        display.log(`warning: sending ${resent.size} uncertain job(s) again (may be billed already): MAY BILL TWICE.`);
      }
    }
    const worker = await queue.startWorker({
      client: input.client,
      outDir: input.outDir,
      secret: input.secret,
      concurrency: flags.concurrency ?? limits.maxInFlight,
      onError: (error) => display.log(`warning: ${error.message}`),
    });
    stopWorker = (options) => worker.close(options);

    const progress: BatchProgress = {
      total: ids.length,
      done: 0,
      rendering: 0,
      downloading: 0,
      queueActive: 0,
      failed: 0,
      uncertain: 0,
      elapsedMs: 0,
    };
    const byId = new Map(jobs.map((job) => [job.id, job]));
    const draw = () => {
      progress.elapsedMs = Date.now() - started;
      display.status("batch", (style) => renderBatch(progress, style));
    };
    const timer = setInterval(draw, display.live ? 100 : 1_000);
    const statuses = new Map<string, QueueJobStatus>();
    try {
      await queue.waitUntilEnded(ids, {
        signal: interrupt.stop,
        onProgress: ({ ended, active }) => {
          progress.queueActive = active;
          for (const status of ended) {
            statuses.set(status.id, status);
            const result = resultOf(byId.get(status.id)!, status, before.get(status.id), resent.has(status.id));
            const category = categoryOf(result);
            if (category === "done" || category === "failed" || category === "uncertain") progress[category] += 1;
            const skipped = result.action === "skip-done" || result.action === "skip-uncertain";
            if (!skipped) display.log(input.describe(result, display));
          }
          draw();
        },
      });
    } catch (error) {
      if (!interrupt.stop.aborted) throw error;
    } finally {
      clearInterval(timer);
      display.end();
    }
    await worker.close();
    if (interrupt.interrupted) for (const status of (await queue.status(ids)).jobs) statuses.set(status.id, status);
    const results = jobs.map((job) => resultOf(job, statuses.get(job.id), before.get(job.id), resent.has(job.id)));
    const where = `queue "${queue.name}" on ${describeQueueUrl(flags.queue)}`;
    return input.report(results, interrupt.interrupted, where, Date.now() - started);
  } finally {
    interrupt.dispose();
    await queue.close();
  }
}
