import { join } from "node:path";
import { applyRecord, type JobState, type JournalRecord } from "../batch/journal-state";
import { INTERRUPTED, NO_VIDEO_URL, recordedError, submissionFailure } from "../batch/outcome";
import { planJob } from "../batch/plan";
import { isRemixRequest } from "../batch/job-request";
import type { DownloadOptions, DownloadResult } from "../node/download/types";
import type { CallOptions, VideoGenerationRequest, VideoGenerationResponse, VideoRemixRequest } from "../types";
import type { QueueRequest, StoredJob } from "./types";

/** The client a worker uses: `createSoraClient(...)` from the Node entry fits. */
export interface QueueWorkerClient {
  generateVideo(request: VideoGenerationRequest, options: CallOptions): Promise<VideoGenerationResponse>;
  remixVideo(request: VideoRemixRequest, options: CallOptions): Promise<VideoGenerationResponse>;
  downloadVideo(url: string, dest: string, options?: DownloadOptions): Promise<DownloadResult>;
}

/** The part of a BullMQ job the processor uses. */
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

/** Thrown to end a job as failed in BullMQ; the why is in the job's journal status. */
class JobEndedError extends Error {
  override readonly name = "JobEndedError";
}

function send(client: QueueWorkerClient, request: QueueRequest, signal: AbortSignal | undefined) {
  return isRemixRequest(request) ? client.remixVideo(request, { signal }) : client.generateVideo(request, { signal });
}

/**
 * Runs one queued job with the same plan and records as the local journal: `submitted` is saved
 * in Redis before the request is sent, `generated` with the video URL before the download starts,
 * then `done`, `failed` or `uncertain`. A job found `submitted` (its last run died mid-call) is
 * recorded uncertain and not sent; an uncertain one is sent only when retryUncertain marked it.
 * A job whose video exists is only downloaded. Throws (so BullMQ fails the job) unless it is done.
 */
export async function processJob(
  job: ProcessableJob,
  client: QueueWorkerClient,
  outDir: string,
  signal?: AbortSignal,
): Promise<SavedVideo> {
  let data = job.data;
  const record = async (state: JobState, extra: Partial<JournalRecord> = {}, bytes?: number) => {
    const status = applyRecord(data.status, { at: new Date().toISOString(), id: data.id, ...extra, state });
    const { resend, ...rest } = data;
    data = state === "submitted" || resend === undefined ? { ...rest, status } : { ...rest, resend, status };
    if (bytes !== undefined) data.bytes = bytes;
    await job.updateData(data);
  };
  const end = async (state: "failed" | "uncertain", extra: Partial<JournalRecord>): Promise<never> => {
    await record(state, extra);
    throw new JobEndedError(`${state}: ${extra.error?.name}: ${extra.error?.message}`);
  };

  if (data.status.state === "submitted") await record("uncertain", { error: INTERRUPTED });
  const action = planJob(data.status, data.resend === true);
  const { status } = data;
  if (action === "skip-done") return { path: status.path ?? "", bytes: data.bytes ?? 0, url: status.url ?? "" };
  if (action === "skip-uncertain") {
    throw new JobEndedError(`uncertain: ${status.error?.message ?? "may have been billed"}`);
  }

  let url = data.status.url;
  if (action === "submit") {
    await record("submitted");
    let response: VideoGenerationResponse;
    try {
      response = await send(client, data.request, signal);
    } catch (caught) {
      const { state, error } = submissionFailure(caught);
      return end(state, { error });
    }
    const video = response.data[0];
    if (!video?.url) return end("uncertain", { error: NO_VIDEO_URL });
    url = video.url;
    await record("generated", { url, ...(video.video_id ? { videoId: video.video_id } : {}) });
  }
  try {
    const saved = await client.downloadVideo(url!, join(outDir, data.out), { signal, overwrite: true });
    await record("done", { path: saved.path }, saved.bytes);
    return { path: saved.path, bytes: saved.bytes, url: url! };
  } catch (error) {
    return end("failed", { url, error: recordedError(error) });
  }
}
