import type { Job, Queue, Worker } from "bullmq";
import type { Redis } from "ioredis";
import type { QueueEngine } from "./engine";
import { isUnreachable, type OutageGate } from "./outage-gate";
import { redactValue } from "../redact";
import {
  processDownload,
  processRender,
  type ProcessableJob,
  type QueueWorkerClient,
  type SavedVideo,
} from "./process-job";
import {
  DEFAULT_LOCK_DURATION_MS,
  DEFAULT_MAX_IN_FLIGHT,
  DEFAULT_STALLED_INTERVAL_MS,
  DOWNLOAD_JOB,
  JOB_OPTIONS,
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
  /** Renders this process runs at once; the queue-wide cap (setLimits) still applies. @default 30 */
  concurrency?: number;
  /**
   * Downloads this process runs at once. Downloads run from their own queue and never count
   * against the queue-wide in-flight cap. @default concurrency
   */
  downloadConcurrency?: number;
  /** See settings.ts: how long an unrenewed lock lasts. Lower only in tests. @default 60000 */
  lockDurationMs?: number;
  /** How often workers look for jobs of dead workers. Lower only in tests. @default 30000 */
  stalledIntervalMs?: number;
  /**
   * The API key the client sends: taken out of everything this worker writes to Redis (job data,
   * hand-offs, return values), should the gateway echo it into a video URL. @default none
   */
  secret?: string;
  /** Called when a job this worker ran (or found stalled) ends. */
  onJobEnd?: (status: QueueJobStatus) => void;
  /**
   * Called with the engine's own errors (a lock that could not be renewed). A lost Redis
   * connection goes to the queue's `onError`, once per outage. @default the queue's `onError`
   */
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
interface WorkerContext {
  engine: QueueEngine;
  connection: Redis;
  name: string;
  /** The downloads queue, where a render hands its job over. */
  downloads: Queue<StoredJob>;
  /** The queue's outage gate: one report per outage, shared with the queue's own connections. */
  gate: OutageGate;
  /** The queue's error sink, for a worker started without `onError`. */
  onError: (error: Error) => void;
}

/**
 * Starts the two BullMQ workers of one process, both with the money rule's settings (see
 * settings.ts): renders (processRender, under the queue-wide cap) and downloads (processDownload,
 * uncapped queue-wide, `downloadConcurrency` at once here).
 */
export async function startWorker(context: WorkerContext, options: SoraWorkerOptions): Promise<SoraWorker> {
  const abort = new AbortController();
  const concurrency = options.concurrency ?? DEFAULT_MAX_IN_FLIGHT;
  const settings = {
    connection: context.connection,
    maxStalledCount: MAX_STALLED_COUNT,
    lockDuration: options.lockDurationMs ?? DEFAULT_LOCK_DURATION_MS,
    stalledInterval: options.stalledIntervalMs ?? DEFAULT_STALLED_INTERVAL_MS,
  };
  // Redis is outside the package: what goes there has the key taken out; memory keeps the answer as is.
  const stored = <T>(value: T): T => redactValue(value, options.secret ?? "");
  const writable = (job: Job<StoredJob>): ProcessableJob => ({
    get data() {
      return job.data;
    },
    set data(data: StoredJob) {
      job.data = data;
    },
    updateData: (data) => job.updateData(stored(data)),
  });
  const handOff = (job: Job<StoredJob>) => (data: StoredJob) =>
    context.downloads.add(DOWNLOAD_JOB, stored(data), { ...JOB_OPTIONS, jobId: job.id! });
  const renders = new context.engine.Worker<StoredJob, SavedVideo | undefined>(
    context.name,
    async (job) => stored(await processRender(writable(job), options.client, handOff(job), abort.signal)),
    { ...settings, concurrency },
  );
  const downloads = new context.engine.Worker<StoredJob, SavedVideo>(
    context.downloads.name,
    async (job) => stored(await processDownload(writable(job), options.client, options.outDir, abort.signal)),
    { ...settings, concurrency: options.downloadConcurrency ?? concurrency },
  );
  const ended = (state: string) => (job: Job<StoredJob, SavedVideo | undefined> | undefined) => {
    if (!job?.data?.status) return;
    const status = jobStatusOf(state, job);
    // A render that handed its download over has not ended: its download job reports the end.
    if (status.state !== "active") options.onJobEnd?.(status);
  };
  for (const worker of [renders, downloads] as Worker<StoredJob, SavedVideo | undefined>[]) {
    // An outage is the queue's (reported once for all its connections); other errors are this worker's.
    const sink = (error: Error) => (isUnreachable(error) ? context.onError : (options.onError ?? context.onError));
    worker.on("error", (error) => context.gate(error, sink(error)));
    worker.on("completed", ended("completed"));
    worker.on("failed", ended("failed"));
  }
  await Promise.all([renders.waitUntilReady(), downloads.waitUntilReady()]);
  return {
    close: async ({ abort: abortRunning = false } = {}) => {
      if (abortRunning) abort.abort(new Error("the worker was stopped"));
      // Renders first: each one still running hands its download over before downloads stop.
      await renders.close(abortRunning);
      await downloads.close(abortRunning);
    },
  };
}
