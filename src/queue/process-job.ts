import { join } from "node:path";
import { applyRecord, type JobState, type JournalRecord } from "../batch/journal-state";
import { INTERRUPTED, NO_VIDEO_URL, acceptedTaskId, recordedError, submissionFailure } from "../batch/outcome";
import { planJob } from "../batch/plan";
import { isRemixRequest, withJobModel } from "../batch/job-request";
import type { DownloadOptions, DownloadResult } from "../node/download/types";
import type {
  CallOptions,
  GenerateVideoRequest,
  GenerateVideoResponse,
  RenderResponse,
  VideoRemixRequest,
} from "../types";
import type { QueueRequest, StoredJob } from "./types";

/** The client a worker uses: `createSoraClient(...)` from the Node entry fits. */
export interface QueueWorkerClient {
  generateVideo(request: GenerateVideoRequest, options: CallOptions): Promise<GenerateVideoResponse>;
  /** Polls a task the gateway accepted until it has a video (see `SoraClient.waitForTask`). */
  waitForTask(taskId: string, options: { signal?: AbortSignal }): Promise<RenderResponse>;
  remixVideo(request: VideoRemixRequest, options: CallOptions): Promise<RenderResponse>;
  downloadVideo(url: string, dest: string, options?: DownloadOptions): Promise<DownloadResult>;
}

/** The part of a BullMQ job the processors use. */
export interface ProcessableJob {
  data: StoredJob;
  updateData(data: StoredJob): Promise<void>;
}

/** What a done job returns (BullMQ keeps it as the job's return value). */
export interface SavedVideo {
  path: string;
  bytes: number;
  url: string;
}

/**
 * Queues the download of a job whose video exists (its data carries the URL) on the downloads
 * queue, under the same id; resolves once Redis has it.
 */
type HandOff = (data: StoredJob) => Promise<unknown>;

/** Thrown to end a job as failed in BullMQ; the why is in the job's journal status. */
class JobEndedError extends Error {
  override readonly name = "JobEndedError";
}

function send(client: QueueWorkerClient, request: QueueRequest, signal: AbortSignal | undefined) {
  return isRemixRequest(request)
    ? client.remixVideo(request, { signal })
    : client.generateVideo(withJobModel(request), { signal });
}

/**
 * Polls an accepted task to its video. A task that ended without one is `uncertain` (billed); a
 * wait cut short (its deadline, an unknown task endpoint, a stopped worker) ends the BullMQ job
 * with the task still `accepted`: `retryTasks` (or a re-run of the batch) polls it again.
 */
async function poll(
  job: ProcessableJob,
  client: QueueWorkerClient,
  taskId: string,
  signal: AbortSignal | undefined,
): Promise<RenderResponse> {
  try {
    return await client.waitForTask(taskId, { signal });
  } catch (caught) {
    const error = recordedError(caught);
    if (error.name === "TaskFailedError") return recorder(job).end("uncertain", { error });
    throw new JobEndedError(`task ${taskId} accepted and not finished: ${error.name}: ${error.message}`);
  }
}

/** Records journal states in a job's data, as the local journal records lines. */
function recorder(job: ProcessableJob) {
  const next = (state: JobState, extra: Partial<JournalRecord> = {}): StoredJob => {
    const { data } = job;
    const status = applyRecord(data.status, { at: new Date().toISOString(), id: data.id, ...extra, state });
    const { resend, ...rest } = data;
    return state === "submitted" || resend === undefined ? { ...rest, status } : { ...rest, resend, status };
  };
  const record = async (state: JobState, extra: Partial<JournalRecord> = {}) => {
    const data = next(state, extra);
    await job.updateData(data);
    job.data = data;
  };
  const end = async (state: "failed" | "uncertain", extra: Partial<JournalRecord>): Promise<never> => {
    await record(state, extra);
    throw new JobEndedError(`${state}: ${extra.error?.name}: ${extra.error?.message}`);
  };
  return { next, record, end };
}

/**
 * Runs one job of the render queue (the capped one) with the same plan and records as the local
 * journal: `submitted` is saved in Redis before the request is sent; once the render answered,
 * `generated` with the video URL is saved and the download is handed off, together (one round
 * trip), and the job leaves the render queue so its slot is free while the video downloads. A job
 * found `submitted` (its last run died mid-call) is recorded uncertain and not sent; an uncertain
 * one is sent only when retryUncertain marked it; one whose video exists is only handed off.
 * Throws (so BullMQ fails the job) when the render failed or is uncertain.
 */
export async function processRender(
  job: ProcessableJob,
  client: QueueWorkerClient,
  handOff: HandOff,
  signal?: AbortSignal,
): Promise<SavedVideo | undefined> {
  const { next, record, end } = recorder(job);
  if (job.data.status.state === "submitted") await record("uncertain", { error: INTERRUPTED });
  const { status } = job.data;
  const action = planJob(status, job.data.resend === true);
  if (action === "skip-done") return { path: status.path ?? "", bytes: job.data.bytes ?? 0, url: status.url ?? "" };
  if (action === "skip-uncertain") {
    throw new JobEndedError(`uncertain: ${status.error?.message ?? "may have been billed"}`);
  }
  if (action === "download") {
    await handOff(job.data);
    return undefined;
  }
  let response: RenderResponse;
  if (action === "poll") {
    response = await poll(job, client, status.taskId!, signal);
  } else {
    await record("submitted");
    try {
      response = await send(client, job.data.request, signal);
    } catch (caught) {
      const taskId = acceptedTaskId(caught);
      if (taskId === undefined) {
        const { state, error } = submissionFailure(caught);
        return end(state, { error });
      }
      // Saved before the task is polled: from now on the job is polled, never sent again.
      await record("accepted", { taskId });
      response = await poll(job, client, taskId, signal);
    }
  }
  const video = response.data[0];
  if (!video?.url) return end("uncertain", { error: NO_VIDEO_URL });
  const generated = next("generated", { url: video.url, ...(video.video_id ? { videoId: video.video_id } : {}) });
  // Sent together: whichever lands, the URL is kept (the download job, when it exists, speaks for the job).
  await Promise.all([job.updateData(generated), handOff(generated)]);
  job.data = generated;
  return undefined;
}

/**
 * Runs one job of the downloads queue: downloads the video of a job whose render answered
 * (`generated`, or `failed` with its URL when retried) into `outDir`. Done is BullMQ's completion
 * with the saved video as its return value (no extra write); a failed download is recorded
 * `failed` with the URL, so retrying it downloads again and never renders again.
 */
export async function processDownload(
  job: ProcessableJob,
  client: QueueWorkerClient,
  outDir: string,
  signal?: AbortSignal,
): Promise<SavedVideo> {
  const { end } = recorder(job);
  const { status, out } = job.data;
  const action = planJob(status, false);
  if (action === "skip-done") return { path: status.path ?? "", bytes: job.data.bytes ?? 0, url: status.url ?? "" };
  if (action !== "download") throw new JobEndedError(`${status.state}: a download job without a video URL`);
  const url = status.url!;
  try {
    const saved = await client.downloadVideo(url, join(outDir, out), { signal, overwrite: true });
    return { path: saved.path, bytes: saved.bytes, url };
  } catch (error) {
    return end("failed", { url, error: recordedError(error) });
  }
}
