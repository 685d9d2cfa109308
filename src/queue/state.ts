import { applyRecord, type JobStatus, type RecordedError } from "../batch/journal-state";
import { INTERRUPTED } from "../batch/outcome";
import type { QueueJobState, QueueJobStatus, StoredJob } from "./types";

/** A BullMQ job as the status functions read it. */
export interface EngineJobView {
  data: StoredJob;
  failedReason?: string;
  returnvalue?: unknown;
}

function describe(error: RecordedError | undefined): string | undefined {
  return error ? `${error.name}: ${error.message}` : undefined;
}

/**
 * The journal status of a job BullMQ has failed, with what the engine saw recorded: a job left
 * `submitted` (its worker died, or lost its lock, with the request open) becomes uncertain, as in
 * the local journal; one left `generated` (died while downloading) becomes failed with its URL,
 * so running it again downloads instead of paying again. Other states are kept as they are.
 */
export function settleFailed(status: JobStatus, id: string, failedReason: string | undefined): JobStatus {
  const at = new Date().toISOString();
  const engine = failedReason ? ` (${failedReason})` : "";
  if (status.state === "submitted") {
    const error = { ...INTERRUPTED, message: INTERRUPTED.message + engine };
    return applyRecord(status, { at, id, state: "uncertain", error });
  }
  if (status.state === "generated") {
    const message = `the worker stopped while downloading${engine}; downloading again costs nothing`;
    const error = { name: "Interrupted", message };
    return applyRecord(status, { at, id, state: "failed", url: status.url, error });
  }
  return status;
}

const ENDED_STATES: Readonly<Record<string, QueueJobState>> = {
  done: "done",
  failed: "failed",
  uncertain: "uncertain",
  accepted: "task",
};

/**
 * A job's state for users, from BullMQ's state and the journal status in its data: completed →
 * done (a render job that completed by handing its download over, without a saved video: active); failed → the settled journal state (failed, uncertain, or done when only the engine's
 * bookkeeping failed after the video was saved; `pending` means never sent, so failed); anything
 * else → waiting or active.
 */
export function jobStatusOf(engineState: string, job: EngineJobView): QueueJobStatus {
  const { data } = job;
  const base = { id: data.id, out: data.out, submissions: data.status.submissions };
  const saved = (job.returnvalue ?? {}) as { path?: string; bytes?: number };
  if (engineState === "completed" && saved.path === undefined && data.status.state !== "done") {
    // A render job that handed its download over (read before its download job existed).
    return { ...base, state: "active", url: data.status.url };
  }
  if (engineState === "completed") {
    const path = saved.path ?? data.status.path;
    return { ...base, state: "done", url: data.status.url, path, bytes: saved.bytes ?? data.bytes };
  }
  if (engineState === "active") return { ...base, state: "active", url: data.status.url };
  if (engineState !== "failed") return { ...base, state: "waiting", url: data.status.url };
  const status = settleFailed(data.status, data.id, job.failedReason);
  const state = ENDED_STATES[status.state] ?? "failed";
  if (state === "done") return { ...base, state, url: status.url, path: status.path, bytes: data.bytes };
  const reason = describe(status.error) ?? job.failedReason ?? "never sent";
  const facts = {
    ...(status.error ? { error: status.error } : {}),
    ...(status.url ? { url: status.url } : {}),
    ...(state === "task" && status.taskId ? { taskId: status.taskId } : {}),
  };
  return { ...base, state, reason, ...facts };
}
