/**
 * Thrown on first use of the queue when its engine is not installed: BullMQ and its Redis client
 * are optional peer dependencies, installed only by users of `sora-video-client/queue`. Nothing
 * was sent and nothing was queued.
 */
export class QueueEngineMissingError extends Error {
  override readonly name = "QueueEngineMissingError";
  /** The command that installs the engine, e.g. `npm i bullmq@6.7.0 ioredis@5.11.1`. */
  readonly install: string;

  constructor(missing: string, install: string, options?: { cause?: unknown }) {
    super(`The queue needs ${missing}, which is not installed: run \`${install}\``, options);
    this.install = install;
  }
}

/** One problem of a job given to `enqueue`: which job (its index and id) and what is wrong. */
export interface QueueJobProblem {
  index: number;
  id: string | undefined;
  message: string;
}

/**
 * Thrown by `enqueue` when a job is unusable (an id, an output file name or a request the spec
 * rejects). Nothing of that call was queued; `problems` lists every bad job.
 */
export class InvalidQueueJobError extends Error {
  override readonly name = "InvalidQueueJobError";
  readonly problems: readonly QueueJobProblem[];

  constructor(problems: readonly QueueJobProblem[]) {
    const first = problems[0];
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : "";
    const which = `job ${first?.index ?? "?"} (${JSON.stringify(first?.id)})`;
    super(`${which}: ${first?.message ?? "invalid"}${more}; nothing was queued`);
    this.problems = problems;
  }
}
