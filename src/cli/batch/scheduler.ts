import { join } from "node:path";
import type { RenderResponse, RetryNotice } from "../../node";

/** What a render (or a task) answers: any operation's 200 body; the batch reads what they all have. */
type RenderAnswer = RenderResponse;
import type { JobRequest } from "../../batch/job-request";
import type { BatchJob } from "./jobs";
import type { Journal } from "./journal";
import { isJournalWriteError } from "./journal-write-error";
import { diskFailureCode } from "./disk-failure";
import type { JobState, Receipt, RecordedError } from "../../batch/journal-state";
import {
  INTERRUPTED,
  NO_VIDEO_URL,
  acceptedTaskId,
  recordedError as recorded,
  submissionFailure,
} from "../../batch/outcome";
import { planJob, type JobAction } from "../../batch/plan";
import { runPool } from "./pool";

/** What the scheduler asks to hear about one generation's attempts (see liveBatchClient). */
export interface GenerationHooks {
  /** Awaited before each attempt is sent, the first included. */
  beforeSend(): Promise<void>;
  /** A failed attempt will be re-sent after a wait (GenerateVideoOptions.onRetry). */
  onRetry(notice: RetryNotice): void;
  /** An attempt was answered, or failed: the facts of its receipt (the last one counts). */
  onAnswer(receipt: Receipt): void;
}

/** The calls a batch makes; the CLI passes the real client, tests a fake. */
export interface BatchClient {
  /** The paid call: a generation, or a remix when the request names a `video_id`. */
  render(request: JobRequest, options: { signal?: AbortSignal; hooks?: GenerationHooks }): Promise<RenderAnswer>;
  /** Polls a task the gateway accepted until it has a video (free; see `SoraClient.waitForTask`). */
  waitForTask(taskId: string, options: { signal?: AbortSignal }): Promise<RenderAnswer>;
  downloadVideo(
    url: string,
    dest: string,
    options: { signal?: AbortSignal; overwrite?: boolean; resume?: boolean },
  ): Promise<{ path: string; bytes: number }>;
}

/** What the scheduler reports while it runs. */
export type BatchEvent =
  | { type: "planned"; runnable: number }
  | { type: "start"; job: BatchJob; action: "submit" | "poll" | "download" }
  /** The gateway accepted the job as an asynchronous task (journaled before it is polled). */
  | { type: "task"; job: BatchJob; taskId: string }
  | { type: "generated"; job: BatchJob }
  /** A download begins (it may have waited for one of the `concurrency` download slots). */
  | { type: "download"; job: BatchJob }
  | { type: "finish"; result: JobResult }
  | { type: "changed"; job: BatchJob }
  /** The disk failed (the journal or a download could not be written): no new job starts. */
  | { type: "disk-failure"; code: string; message: string }
  | { type: "recovered"; id: string };

/** A job's outcome: its action this run and its state in the journal afterwards. */
export interface JobResult {
  job: BatchJob;
  action: JobAction | "not-started";
  state: JobState;
  path?: string;
  bytes?: number;
  url?: string;
  /** The task the gateway accepted the job as, while it has no video yet. */
  taskId?: string;
  error?: RecordedError;
  /** The receipts of the job's calls that may have been billed (from the journal, across runs). */
  receipts?: Receipt[];
}

/** Options of runBatch. */
export interface BatchRunOptions {
  jobs: readonly BatchJob[];
  outDir: string;
  journal: Journal;
  client: BatchClient;
  concurrency: number;
  retryUncertain: boolean;
  /**
   * false: a job accepted as a task is journaled `accepted` with its id and left there (not
   * polled), and jobs accepted before are not polled either. @default true
   */
  waitForTasks?: boolean;
  /** Once aborted, no new job starts; running ones finish. */
  stop?: AbortSignal;
  /** Once aborted, running calls are aborted too (their jobs stay consistent in the journal). */
  abort?: AbortSignal;
  onEvent?: (event: BatchEvent) => void;
}

/**
 * Runs a batch against the journal: marks jobs a crash left `submitted` as uncertain, records new
 * jobs as pending, then submits or downloads each job by planJob with bounded concurrency. Every
 * change is journaled (and synced) before the step it announces: `submitted` before the request
 * is sent, `generated` with the URL before the download starts.
 */
export async function runBatch(options: BatchRunOptions): Promise<JobResult[]> {
  const { journal, client, onEvent = () => undefined } = options;
  const recoveries: Promise<void>[] = [];
  for (const [id, status] of journal.statuses()) {
    if (status.state !== "submitted") continue;
    const receipt: Receipt = { ...(status.submittedAt ? { sentAt: status.submittedAt } : {}), error: INTERRUPTED.name };
    recoveries.push(journal.record(id, "uncertain", { error: INTERRUPTED, receipt }));
    onEvent({ type: "recovered", id });
  }
  await Promise.all(recoveries);
  const registrations = options.jobs.map((job) => {
    const status = journal.status(job.id);
    if (status === undefined)
      return journal.record(job.id, "pending", { line: job.line, fingerprint: job.fingerprint });
    if (status.fingerprint !== job.fingerprint) onEvent({ type: "changed", job });
    return undefined;
  });
  await Promise.all(registrations);

  const actions = new Map(
    options.jobs.map((job) => [job.id, planJob(journal.status(job.id), options.retryUncertain)] as const),
  );
  const results = new Map<string, JobResult>();
  const waitForTasks = options.waitForTasks !== false;
  const runs = new Set<JobAction>(waitForTasks ? ["submit", "poll", "download"] : ["submit", "download"]);
  const runnable = options.jobs.filter((job) => runs.has(actions.get(job.id)!));
  onEvent({ type: "planned", runnable: runnable.length });

  const finish = (result: JobResult) => {
    results.set(result.job.id, result);
    onEvent({ type: "finish", result });
  };
  // A generation holds a lane only while it renders: its download runs beside the next submission,
  // with at most `concurrency` downloads in flight (a lane waits for a free one before moving on).
  const downloads = new Set<Promise<void>>();
  let downloadFailure: { error: unknown } | undefined;
  // A full or failing disk (the journal's or a download's): nothing new starts, what runs finishes.
  let diskFailure: string | undefined;
  const failDisk = (error: unknown): boolean => {
    const code = diskFailureCode(error) ?? (isJournalWriteError(error) ? "EIO" : undefined);
    if (code === undefined) return false;
    if (diskFailure === undefined) {
      diskFailure = code;
      onEvent({ type: "disk-failure", code, message: error instanceof Error ? error.message : String(error) });
    }
    return true;
  };
  /**
   * Journals a step already taken (the request was sent, answered, or a video saved). If the
   * journal cannot be written, the batch stops starting jobs, but this run's result is kept for
   * the summary (with the URL of a paid video), and the next run finds the job no worse than
   * `submitted`, which it never sends again on its own.
   */
  const note = async (id: string, state: JobState, facts: Parameters<Journal["record"]>[2] = {}) => {
    try {
      await journal.record(id, state, facts);
    } catch (error) {
      if (!isJournalWriteError(error)) throw error;
      failDisk(error);
    }
  };
  const startDownload = async (job: BatchJob, url: string, action: JobAction) => {
    while (downloads.size >= options.concurrency) await Promise.race(downloads);
    onEvent({ type: "download", job });
    const pending: Promise<void> = download(job, url).then(
      (result) => finish({ ...result, action }),
      (error: unknown) => void (downloadFailure ??= { error }),
    );
    downloads.add(pending);
    void pending.then(() => downloads.delete(pending));
  };

  const run = async (job: BatchJob): Promise<void> => {
    const action = actions.get(job.id) as "submit" | "poll" | "download";
    onEvent({ type: "start", job, action });
    if (action === "download") return startDownload(job, journal.status(job.id)!.url!, "download");
    let outcome: JobResult;
    try {
      outcome = action === "poll" ? await poll(job, journal.status(job.id)!.taskId!, "poll") : await submit(job);
    } catch (error) {
      // `submitted` could not be journaled, so the request was not sent: the job is as it was.
      if (isJournalWriteError(error) && failDisk(error)) return;
      throw error;
    }
    if ("url" in outcome && outcome.state === "generated") return startDownload(job, outcome.url!, action);
    finish(outcome);
  };

  /** Journals a job's attempts: `refused` while it waits to re-send a certain refusal, `submitted` again before. */
  const hooksFor = (job: BatchJob, answered: (receipt: Receipt) => void): GenerationHooks => ({
    beforeSend: async () => {
      if (journal.status(job.id)?.state === "refused") await journal.record(job.id, "submitted");
    },
    onRetry: ({ error }) => {
      if (error.mayHaveBeenAccepted !== false || journal.status(job.id)?.state !== "submitted") return;
      // Not awaited: if the process dies before this is on disk, the job is merely (and safely) uncertain.
      journal.record(job.id, "refused", { error: recorded(error) }).catch(() => undefined);
    },
    onAnswer: answered,
  });

  const submit = async (job: BatchJob): Promise<JobResult> => {
    await journal.record(job.id, "submitted");
    let receipt: Receipt | undefined;
    let response: RenderAnswer;
    try {
      const hooks = hooksFor(job, (answered) => (receipt = answered));
      response = await client.render(job.request, { signal: options.abort, hooks });
    } catch (caught) {
      // A re-send after a certain refusal could not be journaled first (beforeSend), so it was not sent.
      if (isJournalWriteError(caught) && failDisk(caught)) {
        return { job, action: "submit", state: journal.status(job.id)!.state, error: recorded(caught) };
      }
      const taskId = acceptedTaskId(caught);
      if (taskId !== undefined) {
        // Journaled before the task is polled: from now on the job is polled, never sent again.
        await journal.record(job.id, "accepted", { taskId, ...(receipt ? { receipt } : {}) });
        onEvent({ type: "task", job, taskId });
        if (!waitForTasks) return { job, action: "submit", state: "accepted", taskId };
        return poll(job, taskId, "submit");
      }
      const { state, error } = submissionFailure(caught);
      const billable = state === "uncertain" ? { receipt: { ...receipt, error: error.name } } : {};
      await note(job.id, state, { error, ...billable });
      return { job, action: "submit", state, error };
    }
    return generated(job, response, receipt, "submit");
  };

  /**
   * Polls an accepted task: its video makes the job `generated`; a task that ended without one
   * (TaskFailedError) is `uncertain` (billed); a wait cut short (the deadline, an unknown task
   * endpoint, Ctrl-C) leaves it `accepted`, for the next run to poll again.
   */
  const poll = async (job: BatchJob, taskId: string, action: "submit" | "poll"): Promise<JobResult> => {
    let response: RenderAnswer;
    try {
      response = await client.waitForTask(taskId, { signal: options.abort });
    } catch (caught) {
      const error = recorded(caught);
      if ((caught as { name?: unknown }).name !== "TaskFailedError")
        return { job, action, state: "accepted", taskId, error };
      await note(job.id, "uncertain", { error });
      return { job, action, state: "uncertain", taskId, error };
    }
    return generated(job, response, undefined, action);
  };

  /** Journals a finished render: `generated` with its URL, or `uncertain` when it has none. */
  const generated = async (
    job: BatchJob,
    response: RenderAnswer,
    receipt: Receipt | undefined,
    action: "submit" | "poll",
  ): Promise<JobResult> => {
    const video = response.data[0];
    if (!video?.url) {
      await note(job.id, "uncertain", {
        error: NO_VIDEO_URL,
        receipt: { ...receipt, error: NO_VIDEO_URL.name },
      });
      return { job, action, state: "uncertain", error: NO_VIDEO_URL };
    }
    const videoId = video.video_id ? { videoId: video.video_id } : {};
    await note(job.id, "generated", { url: video.url, ...videoId, ...(receipt ? { receipt } : {}) });
    onEvent({ type: "generated", job });
    return { job, action, state: "generated", url: video.url };
  };

  const download = async (job: BatchJob, url: string): Promise<JobResult> => {
    try {
      // resume: a download cut by a crash or Ctrl-C continues from its .part on the next run.
      const dest = join(options.outDir, job.out);
      const saved = await client.downloadVideo(url, dest, { signal: options.abort, overwrite: true, resume: true });
      await note(job.id, "done", { path: saved.path, bytes: saved.bytes });
      return { job, action: "download", state: "done", path: saved.path, bytes: saved.bytes, url };
    } catch (error) {
      // Cut short by the user: the job stays `generated` and the next run downloads it.
      if (options.abort?.aborted) return { job, action: "download", state: "generated", url, error: recorded(error) };
      failDisk(error);
      await note(job.id, "failed", { url, error: recorded(error) });
      return { job, action: "download", state: "failed", url, error: recorded(error) };
    }
  };

  await runPool(
    runnable,
    options.concurrency,
    run,
    () => options.stop?.aborted === true || downloadFailure !== undefined || diskFailure !== undefined,
  );
  while (downloads.size > 0) await Promise.all(downloads);
  if (downloadFailure !== undefined) throw downloadFailure.error;

  return options.jobs.map((job) => {
    const status = journal.status(job.id)!;
    const receipts = status.receipts ? { receipts: status.receipts } : {};
    const ran = results.get(job.id);
    if (ran) return { ...ran, ...receipts };
    const action = actions.get(job.id)!;
    const skipped = action === "skip-done" || action === "skip-uncertain";
    const { state, path, url, error, taskId } = status;
    const task = state === "accepted" && taskId !== undefined ? { taskId } : {};
    return { job, action: skipped ? action : "not-started", state, path, url, error, ...task, ...receipts };
  });
}
