import { QueueEngineMissingError } from "./errors";

/** The command that installs the queue engine, at the versions this package is tested with. */
export const INSTALL_ENGINE = "npm i bullmq@6.7.0 ioredis@5.11.1";

/** The parts of BullMQ and ioredis the queue uses, loaded on first use. */
export interface QueueEngine {
  Queue: typeof import("bullmq").Queue;
  Worker: typeof import("bullmq").Worker;
  QueueEvents: typeof import("bullmq").QueueEvents;
  Redis: typeof import("ioredis").Redis;
}

let loading: Promise<QueueEngine> | undefined;

function isMissing(error: unknown, name: string): boolean {
  const { code, message } = (error ?? {}) as { code?: string; message?: string };
  return (code === "MODULE_NOT_FOUND" || code === "ERR_MODULE_NOT_FOUND") && String(message).includes(name);
}

async function load(name: "bullmq" | "ioredis"): Promise<unknown> {
  try {
    return name === "bullmq" ? await import("bullmq") : await import("ioredis");
  } catch (error) {
    // bullmq imports ioredis itself: whichever of the two is missing is named.
    const missing = (["ioredis", "bullmq"] as const).find((engine) => isMissing(error, engine));
    if (missing) throw new QueueEngineMissingError(missing, INSTALL_ENGINE, { cause: error });
    throw error;
  }
}

/**
 * Loads BullMQ and ioredis once, on first use: neither is loaded by importing this package (or
 * installed by users who never use the queue). Throws QueueEngineMissingError naming what to install.
 */
export function loadQueueEngine(): Promise<QueueEngine> {
  loading ??= (async () => {
    const { Redis } = (await load("ioredis")) as typeof import("ioredis");
    const { Queue, Worker, QueueEvents } = (await load("bullmq")) as typeof import("bullmq");
    return { Queue, Worker, QueueEvents, Redis };
  })();
  loading.catch(() => (loading = undefined));
  return loading;
}
