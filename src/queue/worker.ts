import type { Job } from "bullmq";
import type { Redis } from "ioredis";
import type { QueueEngine } from "./engine";
import { processJob, type QueueWorkerClient, type SavedVideo } from "./process-job";
import {
  DEFAULT_LOCK_DURATION_MS,
  DEFAULT_MAX_IN_FLIGHT,
  DEFAULT_STALLED_INTERVAL_MS,
  MAX_STALLED_COUNT,
} from "./settings";
import { jobStatusOf } from "./state";
import type { QueueJobStatus, StoredJob } from "./types";

/** Options of `queue.startWorker`. */
export interface SoraWorkerOptions {
  /** Generates (or remixes) and downloads: `createSoraClient(...)` from the Node entry. */
  client: QueueWorkerClient;
  /** Where this worker saves videos (a shared mount when other machines must see them). */
  outDir: string;
  /** Jobs this process runs at once; the queue-wide cap (setLimits) still applies. @default 30 */
  concurrency?: number;
  /** See settings.ts: how long an unrenewed lock lasts. Lower only in tests. @default 60000 */
  lockDurationMs?: number;
  /** How often workers look for jobs of dead workers. Lower only in tests. @default 30000 */
  stalledIntervalMs?: number;
  /** Called when a job this worker ran (or found stalled) ends. */
  onJobEnd?: (status: QueueJobStatus) => void;
  /** Called with the engine's own errors (a lost Redis connection, a lock that could not be renewed). */
  onError?: (error: Error) => void;
}

/** A running worker. */
export interface SoraWorker {
  /**
   * Stops taking jobs. By default waits for the running ones to finish; with `{ abort: true }`
   * aborts their calls (jobs whose request was open become uncertain).
   */
  close(options?: { abort?: boolean }): Promise<void>;
}

/** What the worker needs from the queue it belongs to. */
export interface WorkerContext {
  engine: QueueEngine;
  connection: Redis;
  name: string;
}

/** Starts a BullMQ worker with the money rule's settings (see settings.ts) that runs processJob. */
export async function startWorker(context: WorkerContext, options: SoraWorkerOptions): Promise<SoraWorker> {
  const abort = new AbortController();
  const worker = new context.engine.Worker<StoredJob, SavedVideo>(
    context.name,
    (job) => processJob(job, options.client, options.outDir, abort.signal),
    {
      connection: context.connection,
      concurrency: options.concurrency ?? DEFAULT_MAX_IN_FLIGHT,
      maxStalledCount: MAX_STALLED_COUNT,
      lockDuration: options.lockDurationMs ?? DEFAULT_LOCK_DURATION_MS,
      stalledInterval: options.stalledIntervalMs ?? DEFAULT_STALLED_INTERVAL_MS,
    },
  );
  worker.on("error", (error) => options.onError?.(error));
  const ended = (state: string) => (job: Job<StoredJob, SavedVideo> | undefined) => {
    if (job?.data?.status) options.onJobEnd?.(jobStatusOf(state, job));
  };
  worker.on("completed", ended("completed"));
  worker.on("failed", ended("failed"));
  await worker.waitUntilReady();
  return {
    close: async ({ abort: abortRunning = false } = {}) => {
      if (abortRunning) abort.abort(new Error("the worker was stopped"));
      await worker.close(abortRunning);
    },
  };
}
