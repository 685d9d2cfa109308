import type { JobStatus, RecordedError } from "../batch/journal-state";
import type { JobRequest } from "../batch/job-request";

/** What a queued job sends: a generation, or a remix (told apart by `"video_id" in request`). */
export type QueueRequest = JobRequest;

/** A job to enqueue. */
export interface QueueJob {
  /** Unique in the queue; enqueueing an id that is already queued (in any state) adds nothing. Up to 100 characters. */
  id: string;
  request: QueueRequest;
  /** The file name the worker saves the video as, inside its out directory. */
  out: string;
}

/**
 * Where a queued job stands: waiting for a worker, running, or ended (done, failed, uncertain, or
 * task: accepted as an asynchronous task, billed, whose wait ended before its video; running it
 * again polls it, never sends it again).
 */
export type QueueJobState = "waiting" | "active" | "done" | "failed" | "uncertain" | "task";

/** One job's status as `status()` reports it. */
export interface QueueJobStatus {
  id: string;
  state: QueueJobState;
  /** failed and uncertain: why (`Name: message`). */
  reason?: string;
  /** failed and uncertain: the error recorded, when there is one (a job never sent may have none). */
  error?: RecordedError;
  /** task: the gateway's task id (finish it with `retryTasks`, `sora-video task <id>` or a re-run). */
  taskId?: string;
  /** The video URL once a generation answered (kept when the download failed: fetch it again for free). */
  url?: string;
  /** done: where the worker saved the video (on that worker's disk or shared mount), and its size. */
  path?: string;
  bytes?: number;
  /** How many times the request was sent (or about to be). */
  submissions: number;
  /** The output file name given at enqueue. */
  out: string;
}

/** Counts per state and the jobs asked about. */
export interface QueueStatus {
  counts: Record<QueueJobState, number>;
  jobs: QueueJobStatus[];
}

/**
 * What a BullMQ job carries in Redis: the job as enqueued and its journal status (the same state
 * machine as the local journal).
 */
export interface StoredJob {
  id: string;
  request: QueueRequest;
  out: string;
  status: JobStatus;
  /** Set by retryUncertain (the user accepted it may bill twice); dropped when the job is next submitted. */
  resend?: boolean;
  /** done: the saved video's size. */
  bytes?: number;
}
