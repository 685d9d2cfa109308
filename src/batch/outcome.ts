import type { RecordedError } from "./journal-state";

/**
 * The outcome rules every batch shares, the local journal and the queue alike: how a failure
 * becomes `failed` (certainly not accepted, so not billed and safe to send again) or `uncertain`
 * (maybe accepted and billed: sent again only on an explicit command).
 */

/** The error recorded for a job whose request was open when its runner stopped (a crash, a dead worker). */
export const INTERRUPTED: RecordedError = {
  name: "Interrupted",
  message: "a previous run stopped while this job's request was open; it may have been accepted and billed",
};

/** The error recorded when a generation answered without a video URL: it was accepted and may be billed. */
export const NO_VIDEO_URL: RecordedError = {
  name: "ResponseValidationError",
  message: "the generation returned no video URL; it was accepted and may be billed",
};

/** An error as the journal records it: its name and message. */
export function recordedError(error: unknown): RecordedError {
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: "Error", message: String(error) };
}

/** Whether a failed generation may have been accepted; anything that does not say so counts as maybe. */
function mayHaveBeenAccepted(error: unknown): boolean {
  const flag = (error as { mayHaveBeenAccepted?: unknown } | null)?.mayHaveBeenAccepted;
  return typeof flag === "boolean" ? flag : true;
}

/**
 * The state a job takes when its generation (or remix) call throws: `failed` only when the error
 * says the server certainly did not accept it (`mayHaveBeenAccepted === false`), else `uncertain`.
 */
export function submissionFailure(error: unknown): { state: "failed" | "uncertain"; error: RecordedError } {
  return { state: mayHaveBeenAccepted(error) ? "uncertain" : "failed", error: recordedError(error) };
}

/**
 * The task id of a call that the gateway accepted as an asynchronous task (a TaskPendingError),
 * else undefined: such a job is journaled `accepted` and polled, never sent again.
 */
export function acceptedTaskId(error: unknown): string | undefined {
  const { name, taskId } = (error ?? {}) as { name?: unknown; taskId?: unknown };
  return name === "TaskPendingError" && typeof taskId === "string" ? taskId : undefined;
}
