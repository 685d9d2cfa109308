/**
 * The BullMQ settings the money rule needs, in one place.
 *
 * - `attempts: 1` on every job and `maxStalledCount: 0` on every worker: the engine never runs a
 *   job twice by itself. A worker that dies mid-call leaves its job failed as stalled; the queue
 *   reads that as uncertain (a crash with the request open), re-sent only by retryUncertain.
 * - Finished jobs are kept (no removeOnComplete / removeOnFail): a kept id is what makes
 *   re-enqueueing it add nothing.
 */
export const JOB_OPTIONS = { attempts: 1, removeOnComplete: false, removeOnFail: false } as const;

/** Stalled jobs are failed, never moved back to wait to run again. Not configurable. */
export const MAX_STALLED_COUNT = 0;

/**
 * How long a worker's lock on a job lasts without renewal. A live worker renews it every half
 * lockDuration for as long as the call runs, so a render held open for many minutes never passes
 * for a dead worker. What it bounds is how long a *stuck* event loop (GC, a starved CPU, a slow
 * Redis) may go unrenewed before a healthy job is declared stalled, i.e. uncertain: a false alarm
 * that costs a user's review (and maybe a second bill), so it is twice BullMQ's 30 s default.
 */
export const DEFAULT_LOCK_DURATION_MS = 60_000;

/**
 * How often workers look for jobs whose lock expired. A dead worker's job is reported uncertain
 * within about lockDuration + stalledInterval (90 s): small beside renders of minutes, and
 * nothing is paid while it waits. BullMQ's default.
 */
export const DEFAULT_STALLED_INTERVAL_MS = 30_000;

/** The queue-wide in-flight cap when none is set: a community account's 30 concurrent tasks. */
export const DEFAULT_MAX_IN_FLIGHT = 30;

/** The queue's name in Redis when none is given. */
export const DEFAULT_QUEUE_NAME = "sora-video";

/**
 * The name of the queue a job moves to once its render answered: downloads run there, outside the
 * render queue's in-flight cap (the account's cap counts renders at the gateway, not downloads
 * from the video host). No cap of its own beyond each worker's local concurrency.
 */
export function downloadsQueueName(name: string): string {
  return `${name}-downloads`;
}

/** The BullMQ job name of a download job. */
export const DOWNLOAD_JOB = "download";
