/**
 * Reading the gateway's asynchronous task answers. The submit answer is a task envelope
 * (`{"code": 200, "message": "success", "data": {"task_id": "cgt-…", "model": …}}`, or a top-level
 * `task_id`); the status answer's words and video location vary between hosts. No vendor page
 * documents the status endpoint yet: the shapes here rest on the gateway's docs (the envelope) and
 * on third-party clients (the status words and video fields).
 */

/** A task's state, normalised: still going, finished with a video, or ended without one. */
export type TaskStatus = "queued" | "running" | "completed" | "failed";

const WORDS: Record<string, TaskStatus> = {
  queued: "queued",
  pending: "queued",
  submitted: "queued",
  running: "running",
  processing: "running",
  in_progress: "running",
  completed: "completed",
  succeeded: "completed",
  success: "completed",
  failed: "failed",
  error: "failed",
  cancelled: "failed",
  canceled: "failed",
  expired: "failed",
};

type Json = Record<string, unknown>;

const isRecord = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const text = (value: unknown): string | undefined => (typeof value === "string" && value !== "" ? value : undefined);

/** The envelope's `data` object, or the body itself when it has none. */
const inner = (body: Json): Json => (isRecord(body.data) ? body.data : body);

/** The URL of a finished video in an answer: `data[0].url`, `data.video_url`, `data.urls.video` or `data.outputs[0]`. */
export function videoUrlOf(body: unknown): string | undefined {
  if (!isRecord(body)) return undefined;
  if (Array.isArray(body.data)) return text(isRecord(body.data[0]) ? body.data[0].url : undefined);
  const data = inner(body);
  const urls = isRecord(data.urls) ? data.urls.video : undefined;
  const outputs = Array.isArray(data.outputs) ? data.outputs[0] : undefined;
  return text(data.video_url) ?? text(urls) ?? text(outputs) ?? text(body.video_url);
}

/** A task's id and model, when the answer names a task. */
export interface TaskHandle {
  taskId: string;
  model: string | undefined;
}

/** The task an answer names (`data.task_id` or `task_id`), when it names one. */
export function taskOf(body: unknown): TaskHandle | undefined {
  if (!isRecord(body)) return undefined;
  const data = inner(body);
  const taskId = text(data.task_id) ?? text(body.task_id);
  return taskId === undefined ? undefined : { taskId, model: text(data.model) ?? text(body.model) };
}

/**
 * The task a submit answer started, when the answer is a task and not a finished video (a 200
 * carrying a task id and no video URL). Such an answer is accepted and billed, never a result.
 */
export function pendingTaskOf(body: unknown): TaskHandle | undefined {
  return videoUrlOf(body) === undefined ? taskOf(body) : undefined;
}

/** What one status answer says about its task. */
export interface TaskReading {
  /** The normalised status, or undefined for a word this client does not know. */
  status: TaskStatus | undefined;
  /** The word as the server wrote it (for reports), "" when it gave none. */
  word: string;
  /** The video URL, once the task completed. */
  videoUrl: string | undefined;
  /** The reason a failed task gave (`fail_reason`, `error` or `message`). */
  reason: string | undefined;
  /** The finished video's id (for a remix), when the answer gives one. */
  videoId: string | undefined;
}

/** Reads a status answer: its status word (`status`, `state` or `task_status`), video URL and reason. */
export function readTask(body: unknown): TaskReading {
  const data = isRecord(body) ? inner(body) : {};
  const outer = isRecord(body) ? body : {};
  const word = text(data.status) ?? text(data.state) ?? text(data.task_status) ?? text(outer.status) ?? "";
  const videoUrl = videoUrlOf(body);
  const status = WORDS[word.toLowerCase()] ?? (word === "" && videoUrl !== undefined ? "completed" : undefined);
  const error = isRecord(data.error) ? data.error.message : data.error;
  const reason = text(data.fail_reason) ?? text(error) ?? text(data.message) ?? text(outer.message);
  const videoId =
    text(data.video_id) ??
    (Array.isArray(outer.data) && isRecord(outer.data[0]) ? text(outer.data[0].video_id) : undefined);
  return { status, word, videoUrl, reason: status === "failed" ? reason : undefined, videoId };
}
