import type { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { loadQueueEngine } from "./engine";
import { toEngineId } from "./job-id";
import { storedJobs } from "./jobs";
import { allStatuses, failedIds, governingJobs, inChunks, type EngineJob, type QueuePair } from "./lookup";
import { outageGate } from "./outage-gate";
import { durabilityWarnings } from "./server-check";
import { DEFAULT_MAX_IN_FLIGHT, DEFAULT_QUEUE_NAME, downloadsQueueName, JOB_OPTIONS } from "./settings";
import { jobStatusOf, settleFailed } from "./state";
import type { QueueJob, QueueJobState, QueueJobStatus, QueueStatus, StoredJob } from "./types";
import { waitUntilEnded, type WaitOptions } from "./wait";
import { startWorker, type SoraWorker, type SoraWorkerOptions } from "./worker";

/** Options of `openSoraQueue`. */
export interface SoraQueueOptions {
  /**
   * A Redis URL (`redis://[user:password@]host:port[/db]`, `rediss://` for TLS), or an ioredis
   * connection made with `maxRetriesPerRequest: null` (left open by close()).
   */
  connection: string | Redis;
  /** The queue's name in Redis: producers and workers of one batch use the same. @default "sora-video" */
  name?: string;
  /**
   * Called with the engine's connection errors: once when Redis becomes unreachable (not for each
   * retry: the connection retries quietly until Redis is back, then a new outage is reported
   * again), and with any other error each time. @default one `console.warn` line per report
   */
  onError?: (error: Error) => void;
}

/** What enqueue did with each id. */
export interface EnqueueResult {
  /** Ids queued by this call. */
  added: string[];
  /** Ids already in the queue (any state): left as they are. */
  existing: string[];
  /** Existing ids whose request or file name differ from this call's: the queued job is kept. */
  changed: string[];
}

/** The queue-wide caps every worker obeys together. */
export interface QueueLimits {
  /** Renders in flight at once across every worker (downloads run from their own queue, not counted). */
  maxInFlight: number;
  /** Jobs started per minute across every worker; undefined when unlimited. */
  perMinute: number | undefined;
}

/** A queue of video jobs in Redis, shared by producers and workers on any number of machines. */
export interface SoraQueue {
  /** The queue's name in Redis. */
  readonly name: string;
  /** Checks then adds jobs, each under its id; ids already queued (in any state) are left alone. */
  enqueue(jobs: readonly QueueJob[]): Promise<EnqueueResult>;
  /** Counts by state and the status of every job, or of the given ids (unknown ids are left out). */
  status(ids?: readonly string[]): Promise<QueueStatus>;
  /** Resolves with the statuses of `ids` once each has ended (done, failed or uncertain). */
  waitUntilEnded(ids: readonly string[], options?: WaitOptions): Promise<QueueJobStatus[]>;
  /** Runs failed jobs (certainly not billed) again, all or the given ids; returns the ids queued again. */
  retryFailed(ids?: readonly string[]): Promise<string[]>;
  /**
   * Sends uncertain jobs again, all or the given ids: they MAY HAVE BEEN BILLED already, so this
   * may bill twice. Returns the ids queued again.
   */
  retryUncertain(ids?: readonly string[]): Promise<string[]>;
  /**
   * Polls again the accepted tasks whose wait ended before their video (state `task`), all or
   * the given ids: free, never a second render. Returns the ids queued again.
   */
  retryTasks(ids?: readonly string[]): Promise<string[]>;
  /**
   * Sets the queue-wide caps, stored in Redis for every worker (the last setter wins). A cap not
   * given is left as stored; the in-flight cap is set to 30 when none is stored yet.
   */
  setLimits(limits?: { maxInFlight?: number; perMinute?: number }): Promise<QueueLimits>;
  /**
   * What is unsafe in the Redis server's durability settings (see docs/batch-and-queue.md, "Redis
   * for real"); empty when fine.
   */
  serverWarnings(): Promise<string[]>;
  /** Starts a worker in this process on this queue's connection. */
  startWorker(options: SoraWorkerOptions): Promise<SoraWorker>;
  /** Closes the queue (and the connection it opened from a URL). Close workers first. */
  close(): Promise<void>;
}

function countsOf(jobs: readonly QueueJobStatus[]): Record<QueueJobState, number> {
  const counts: Record<QueueJobState, number> = { waiting: 0, active: 0, done: 0, failed: 0, uncertain: 0, task: 0 };
  for (const job of jobs) counts[job.state] += 1;
  return counts;
}

/**
 * Opens a queue of video jobs on Redis (BullMQ, loaded on first use: QueueEngineMissingError
 * says what to install). Every job runs at most once by the engine's own doing (`attempts: 1`,
 * no stalled-job retry): see docs/batch-and-queue.md, "The guarantee".
 *
 * @example
 * const queue = await openSoraQueue({ connection: "redis://127.0.0.1:6379" });
 * await queue.enqueue([{ id: "cat-1", out: "cat-1.mp4", request: { prompt: "A cat", image_url } }]);
 * const worker = await queue.startWorker({ client: createSoraClient(), outDir: "videos" });
 */
export async function openSoraQueue(options: SoraQueueOptions): Promise<SoraQueue> {
  const engine = await loadQueueEngine();
  const name = options.name ?? DEFAULT_QUEUE_NAME;
  const given = options.connection;
  const owned = typeof given === "string";
  const connection = typeof given === "string" ? new engine.Redis(given, { maxRetriesPerRequest: null }) : given;
  const onError = options.onError ?? ((error: Error) => console.warn(`sora-video-client: Redis: ${error.message}`));
  const gate = outageGate(connection);
  const report = (error: Error) => gate(error, onError);
  // Each emitter gets a listener: one without would dump every retry's error on stderr.
  if (owned) connection.on("error", report);
  const queue: Queue<StoredJob> = new engine.Queue<StoredJob>(name, { connection });
  const downloads: Queue<StoredJob> = new engine.Queue<StoredJob>(downloadsQueueName(name), { connection });
  for (const emitter of [queue, downloads]) emitter.on("error", report);
  const pair: QueuePair = { renders: queue, downloads };
  await Promise.all([queue.waitUntilReady(), downloads.waitUntilReady()]);

  const statusOf = async (job: EngineJob, state?: string) => jobStatusOf(state ?? (await job.getState()), job);
  const retry = async (ids: readonly string[] | undefined, state: "failed" | "uncertain" | "task", resend: boolean) => {
    const jobs = await governingJobs(pair, ids ?? (await failedIds(pair)));
    const retried: string[] = [];
    for (const job of jobs) {
      if ((await statusOf(job)).state !== state) continue;
      const status = settleFailed(job.data.status, job.data.id, job.failedReason);
      await job.updateData({ ...job.data, status, ...(resend ? { resend: true } : {}) });
      await job.retry("failed", { resetAttemptsMade: true, resetAttemptsStarted: true });
      retried.push(job.data.id);
    }
    return retried;
  };

  return {
    name,
    async enqueue(jobs) {
      const stored = storedJobs(jobs);
      const result: EnqueueResult = { added: [], existing: [], changed: [] };
      await inChunks(stored, async (data) => {
        const jobId = toEngineId(data.id);
        const existing = (await queue.getJob(jobId)) as EngineJob | undefined;
        if (existing === undefined) {
          await queue.add("video_id" in data.request ? "remix" : "generate", data, { ...JOB_OPTIONS, jobId });
          result.added.push(data.id);
          return;
        }
        result.existing.push(data.id);
        if (existing.data?.status?.fingerprint !== data.status.fingerprint) result.changed.push(data.id);
      });
      return result;
    },
    async status(ids) {
      const jobs =
        ids === undefined
          ? await allStatuses(pair)
          : await inChunks(await governingJobs(pair, ids), (job) => statusOf(job));
      return { counts: countsOf(jobs), jobs };
    },
    waitUntilEnded: (ids, waitOptions) => waitUntilEnded({ ...pair, engine, connection, report }, ids, waitOptions),
    retryFailed: (ids) => retry(ids, "failed", false),
    retryUncertain: (ids) => retry(ids, "uncertain", true),
    retryTasks: (ids) => retry(ids, "task", false),
    async setLimits(limits = {}) {
      if (limits.maxInFlight !== undefined) await queue.setGlobalConcurrency(limits.maxInFlight);
      else if ((await queue.getGlobalConcurrency()) === null) await queue.setGlobalConcurrency(DEFAULT_MAX_IN_FLIGHT);
      if (limits.perMinute !== undefined) await queue.setGlobalRateLimit(limits.perMinute, 60_000);
      const rate = await queue.getGlobalRateLimit();
      const maxInFlight = (await queue.getGlobalConcurrency()) ?? DEFAULT_MAX_IN_FLIGHT;
      return { maxInFlight, perMinute: rate ? (Number(rate.max) * 60_000) / Number(rate.duration) : undefined };
    },
    serverWarnings: () => durabilityWarnings(connection as unknown as Parameters<typeof durabilityWarnings>[0]),
    startWorker: (workerOptions) => startWorker({ engine, connection, name, downloads, gate, onError }, workerOptions),
    async close() {
      await Promise.all([queue.close(), downloads.close()]);
      if (owned) await connection.quit();
    },
  };
}
