/**
 * `sora-video-client/queue` (Node only): batches across machines on BullMQ over Redis, with one
 * account budget for every worker and never paying twice. BullMQ and ioredis are optional peer
 * dependencies, loaded on first use (`npm i bullmq@6.7.0 ioredis@5.11.1`). See `openSoraQueue`.
 */
export { openSoraQueue, type EnqueueResult, type QueueLimits, type SoraQueue, type SoraQueueOptions } from "./queue";
export type { WaitOptions, WaitProgress } from "./wait";
export type { SoraWorker, SoraWorkerOptions } from "./worker";
export type { QueueWorkerClient, SavedVideo } from "./process-job";
export type { QueueJob, QueueJobState, QueueJobStatus, QueueRequest, QueueStatus } from "./types";
export { InvalidQueueJobError, QueueEngineMissingError, type QueueJobProblem } from "./errors";
export { DEFAULT_LOCK_DURATION_MS, DEFAULT_MAX_IN_FLIGHT, DEFAULT_STALLED_INTERVAL_MS } from "./settings";
