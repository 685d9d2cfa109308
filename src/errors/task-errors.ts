import { SoraError } from "./sora-error";

/** What a task error is built from. */
export interface TaskErrorInit {
  /** The gateway's task id (e.g. "cgt-…"): the one handle on a paid render. */
  taskId: string;
  /** The model the task runs, when the answer named it. */
  model?: string | undefined;
  /** The task's status word as normalised (see `TaskStatus`), or "submitted" before any poll. */
  status: string;
  /** The answer that carried the task, bounded (4 KiB of JSON) and without the key. */
  answer?: unknown;
  /** The provider's request ID, when a response header carried one. */
  requestId?: string | undefined;
  cause?: unknown;
}

const ANSWER_LIMIT = 4096;

/** The answer, kept whole when its JSON is small, else as its first 4 KiB of JSON text. */
export function boundedAnswer(answer: unknown): unknown {
  const text = JSON.stringify(answer) ?? "";
  return text.length <= ANSWER_LIMIT ? answer : `${text.slice(0, ANSWER_LIMIT)}…`;
}

/** The base of the task errors: every one carries the task id, and the render was accepted (billed). */
abstract class TaskError extends SoraError {
  /** The gateway's task id: keep it; `waitForTask(taskId)` or `sora-video task <id>` finishes it. */
  readonly taskId: string;
  /** The model the task runs, when known. */
  readonly model: string | undefined;
  /** The last status seen: "submitted", "queued", "running", "failed", "unknown: <word>", … */
  readonly status: string;
  /** The answer that carried it, bounded and without the key. */
  readonly answer: unknown;
  /** The provider's request ID, when known. */
  readonly requestId: string | undefined;

  constructor(message: string, init: TaskErrorInit) {
    super(message, { mayHaveBeenAccepted: true, cause: init.cause });
    this.taskId = init.taskId;
    this.model = init.model;
    this.status = init.status;
    this.answer = boundedAnswer(init.answer);
    this.requestId = init.requestId;
  }

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      taskId: this.taskId,
      model: this.model,
      status: this.status,
      requestId: this.requestId,
    };
  }
}

/**
 * The render was accepted as an asynchronous task and is not finished: the gateway answered a
 * task envelope (`{"code": 200, "data": {"task_id": …}}`) instead of a video, or `waitForTask` hit
 * its deadline while the task was still running. Never a finished video, never re-sent: it was
 * accepted and is billed. Finish it with `sora.waitForTask(error.taskId)` or `sora-video task <id>`.
 */
export class TaskPendingError extends TaskError {
  override readonly name: string = "TaskPendingError";

  constructor(init: TaskErrorInit, detail = "the render was accepted as an asynchronous task") {
    super(
      `Task ${init.taskId} is ${init.status}: ${detail}. It is billed; finish it with waitForTask, never send again.`,
      init,
    );
  }
}

/** The task ended without a video: failed, cancelled or expired, with the gateway's reason. */
export class TaskFailedError extends TaskError {
  override readonly name: string = "TaskFailedError";
  /** The gateway's reason (`fail_reason`, `error` or `message`), when it gave one. */
  readonly reason: string | undefined;

  constructor(init: TaskErrorInit & { reason?: string | undefined }) {
    super(`Task ${init.taskId} ${init.status}${init.reason ? `: ${init.reason}` : ""}.`, init);
    this.reason = init.reason;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), reason: this.reason };
  }
}

/**
 * The task's status could not be read: the task endpoint refused (a 404: the endpoint or the task
 * is unknown on that host; another 4xx), or answered a status word this client does not know
 * (reported, never guessed). The task may still be running: the id is kept in `taskId`.
 */
export class TaskLookupError extends TaskError {
  override readonly name: string = "TaskLookupError";
  /** The task endpoint's HTTP status, when it answered with a refusal. */
  readonly httpStatus: number | undefined;

  constructor(message: string, init: TaskErrorInit & { httpStatus?: number | undefined }) {
    super(`Task ${init.taskId}: ${message}. Its id is kept; the render may still be running.`, init);
    this.httpStatus = init.httpStatus;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), httpStatus: this.httpStatus };
  }
}
