import type { JobStatus } from "./journal-state";

/** What a run does with a job, decided from its journaled status alone. */
export type JobAction = "submit" | "poll" | "download" | "skip-done" | "skip-uncertain";

/**
 * Decides a job's action:
 * - never seen, pending, refused (a crash while waiting to re-send a certainly refused request), or
 *   failed before any video existed → submit (it was certainly not billed);
 * - accepted (the gateway took it as an asynchronous task) → poll the task (free; it is never
 *   sent again, not even with `retryUncertain`: it is a paid render in progress);
 * - generated, or failed while downloading → download again (the video exists; downloads are free);
 * - done → skip;
 * - uncertain, or submitted (a crash while the call was open) → skip, unless `retryUncertain`,
 *   since it may have been accepted and billed already.
 */
export function planJob(status: JobStatus | undefined, retryUncertain: boolean): JobAction {
  switch (status?.state) {
    case undefined:
    case "pending":
    case "refused":
      return "submit";
    case "accepted":
      return "poll";
    case "generated":
      return "download";
    case "failed":
      return status.url ? "download" : "submit";
    case "done":
      return "skip-done";
    case "submitted":
    case "uncertain":
      return retryUncertain ? "submit" : "skip-uncertain";
  }
}
