import type { Redis } from "ioredis";
import type { QueueEngine } from "./engine";
import { fromEngineId } from "./job-id";
import { activeCount, engineStates, governingJobs, inChunks, type QueuePair } from "./lookup";
import { jobStatusOf } from "./state";
import type { QueueJobStatus } from "./types";

/** Options of waitUntilEnded. */
export interface WaitOptions {
  /** Stops waiting (rejects with the signal's reason). */
  signal?: AbortSignal;
  /** How often every unfinished job is checked, besides BullMQ's events, in ms. @default 2000 */
  intervalMs?: number;
  /** Called as jobs end: the jobs that ended since the last call, and how many are active (queue-wide) or waiting. */
  onProgress?: (progress: WaitProgress) => void;
}

/** What waitUntilEnded reports after each poll. */
export interface WaitProgress {
  ended: QueueJobStatus[];
  /** Jobs rendering or downloading now, queue-wide. */
  active: number;
  waiting: number;
}

/** What waitUntilEnded reads: both queues, and the engine and connection its event streams need. */
interface WaitContext extends QueuePair {
  engine: QueueEngine;
  connection: Redis;
  /** Where the event streams' errors go (through the queue's outage gate). */
  report: (error: Error) => void;
}

const OVER = ["completed", "failed", "unknown"];

/**
 * Resolves with the statuses of `ids` once each has ended (done, failed or uncertain). Ends are
 * announced on BullMQ's event streams (a failed render; a completed or failed download: a render
 * that completes only hands over); a slow full check catches any event missed.
 */
export async function waitUntilEnded(
  context: WaitContext,
  ids: readonly string[],
  { signal, intervalMs = 2_000, onProgress }: WaitOptions = {},
): Promise<QueueJobStatus[]> {
  const unfinished = new Set(ids);
  const ended = new Map<string, QueueJobStatus>();
  const announced = new Set<string>();
  const connections = [context.connection.duplicate(), context.connection.duplicate()];
  const [renderEvents, downloadEvents] = [context.renders, context.downloads].map(
    (queue, index) => new context.engine.QueueEvents(queue.name, { connection: connections[index]! }),
  );
  let wake: () => void = () => undefined;
  const onEnd = ({ jobId }: { jobId: string }) => {
    const id = fromEngineId(jobId);
    if (id !== undefined && unfinished.has(id)) announced.add(id);
    wake();
  };
  for (const events of [renderEvents!, downloadEvents!]) events.on("error", context.report);
  renderEvents!.on("failed", onEnd);
  downloadEvents!.on("completed", onEnd);
  downloadEvents!.on("failed", onEnd);
  const finish = async (candidates: readonly string[]) => {
    const jobs = await governingJobs(context, candidates);
    const statuses = await inChunks(jobs, async (job) => jobStatusOf(await job.getState(), job));
    const over = statuses.filter((status) => status.state !== "waiting" && status.state !== "active");
    for (const status of over) ended.set(status.id, status);
    const known = new Set(statuses.map((status) => status.id));
    for (const id of candidates) if (ended.has(id) || !known.has(id)) unfinished.delete(id);
    const active = await activeCount(context);
    onProgress?.({ ended: over, active, waiting: Math.max(0, unfinished.size - active) });
  };
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", done);
        wake = () => undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener("abort", done, { once: true });
      wake = done;
    });
  try {
    await Promise.all([renderEvents!.waitUntilReady(), downloadEvents!.waitUntilReady()]);
    let lastFull = -Infinity;
    while (unfinished.size > 0) {
      signal?.throwIfAborted();
      if (Date.now() - lastFull >= intervalMs) {
        lastFull = Date.now();
        const list = [...unfinished];
        const states = await engineStates(context, list);
        await finish(list.filter((_, index) => OVER.includes(states[index]!)));
      } else if (announced.size > 0) {
        const batch = [...announced];
        announced.clear();
        await finish(batch);
      }
      if (unfinished.size > 0 && announced.size === 0) await pause(intervalMs - (Date.now() - lastFull));
    }
  } finally {
    await Promise.all([renderEvents!.close(), downloadEvents!.close()]);
    await Promise.all(connections.map((connection) => connection.quit().catch(() => undefined)));
  }
  return ids.flatMap((id) => ended.get(id) ?? []);
}
