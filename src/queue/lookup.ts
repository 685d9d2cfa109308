import type { Job, Queue } from "bullmq";
import { fromEngineId, toEngineId } from "./job-id";
import { jobStatusOf } from "./state";
import type { QueueJobStatus, StoredJob } from "./types";

/** A BullMQ job of ours, in either queue. */
export type EngineJob = Job<StoredJob>;

/**
 * The two BullMQ queues of one SoraQueue: renders (capped queue-wide) and downloads (a job moves
 * there, under the same id, once its render answered). A job's state is read from its download
 * job when it has one, else from its render job: one state per id across both queues.
 */
export interface QueuePair {
  renders: Queue<StoredJob>;
  downloads: Queue<StoredJob>;
}

const ENGINE_TYPES = [
  "waiting",
  "active",
  "completed",
  "failed",
  "delayed",
  "prioritized",
  "waiting-children",
] as const;
const SHOWN_AS: Readonly<Record<string, string>> = { completed: "completed", failed: "failed", active: "active" };
const PAGE = 500;

/** Whether a BullMQ job is one of ours (made by enqueue, with a journal status). */
function ownJob(job: EngineJob | undefined): job is EngineJob {
  return job?.id !== undefined && fromEngineId(job.id) !== undefined && job.data?.status !== undefined;
}

/** Runs `run` on every item, `size` at a time (the commands of a chunk share round trips). */
export async function inChunks<T, R>(items: readonly T[], run: (item: T) => Promise<R>, size = 200): Promise<R[]> {
  const results: R[] = [];
  for (let start = 0; start < items.length; start += size) {
    results.push(...(await Promise.all(items.slice(start, start + size).map(run))));
  }
  return results;
}

/** The job that speaks for each id (its download job, else its render job); unknown ids are left out. */
export async function governingJobs(pair: QueuePair, ids: readonly string[]): Promise<EngineJob[]> {
  const found = await inChunks(ids, async (id) => {
    const engineId = toEngineId(id);
    const [download, render] = (await Promise.all([
      pair.downloads.getJob(engineId),
      pair.renders.getJob(engineId),
    ])) as (EngineJob | undefined)[];
    return ownJob(download) ? download : render;
  });
  return found.filter(ownJob);
}

/**
 * BullMQ's state of each id's governing job ("unknown" when neither queue has it). A render job
 * completes only after its download job was added, so "completed" from the render queue alone is
 * a job done before downloads had a queue of their own.
 */
export async function engineStates(pair: QueuePair, ids: readonly string[]): Promise<string[]> {
  return inChunks(ids, async (id) => {
    const engineId = toEngineId(id);
    const [download, render] = await Promise.all([
      pair.downloads.getJobState(engineId),
      pair.renders.getJobState(engineId),
    ]);
    return download !== "unknown" ? download : render;
  });
}

async function statusesIn(queue: Queue<StoredJob>, into: Map<string, QueueJobStatus>): Promise<void> {
  for (const type of ENGINE_TYPES) {
    for (let start = 0; ; start += PAGE) {
      const page = (await queue.getJobs([type], start, start + PAGE - 1, true)) as EngineJob[];
      for (const job of page.filter(ownJob)) into.set(job.data.id, jobStatusOf(SHOWN_AS[type] ?? "waiting", job));
      if (page.length < PAGE) break;
    }
  }
}

/**
 * The status of every job: from its download job when it has one, else from its render job. The
 * renders are read first, so a job handed over meanwhile is found in the downloads read after.
 */
export async function allStatuses(pair: QueuePair): Promise<QueueJobStatus[]> {
  const statuses = new Map<string, QueueJobStatus>();
  await statusesIn(pair.renders, statuses);
  await statusesIn(pair.downloads, statuses);
  return [...statuses.values()];
}

/** The ids whose render or download BullMQ has failed (candidates for the retries). */
export async function failedIds(pair: QueuePair): Promise<string[]> {
  const failed = await Promise.all([pair.renders, pair.downloads].map((queue) => queue.getJobs(["failed"], 0, -1)));
  return [...new Set((failed.flat() as EngineJob[]).filter(ownJob).map((job) => job.data.id))];
}

/** Jobs running now in both queues: renders holding a slot, and downloads. */
export async function activeCount(pair: QueuePair): Promise<number> {
  const [renders, downloads] = await Promise.all([pair.renders.getActiveCount(), pair.downloads.getActiveCount()]);
  return renders + downloads;
}
