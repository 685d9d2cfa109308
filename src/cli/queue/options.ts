import { InvalidArgumentError, Option, type Command } from "commander";
import { QueueEngineMissingError, openSoraQueue, type QueueLimits, type SoraQueue } from "../../queue";
import { isUnreachable } from "../../queue/outage-gate";
import { UsageError } from "../exit";
import { integerIn } from "../options";

/** The queue flags of `batch` and `worker`, as commander hands them over. */
export interface QueueFlags {
  queue?: string;
  maxInFlight?: number;
  /** Jobs started per minute across every worker. */
  rate?: number;
}

const PER_UNIT: Readonly<Record<string, number>> = { s: 60, sec: 60, m: 1, min: 1, h: 1 / 60 };

/** Parses `--rate`: `N/min` (or `N/s`, `N/h`, or a bare N per minute) into jobs per minute. */
export function parseRate(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(?:\/\s*(s|sec|m|min|h))?\s*$/.exec(text);
  const perMinute = match ? Number(match[1]) * PER_UNIT[match[2] ?? "min"]! : Number.NaN;
  if (!(perMinute >= 1)) {
    throw new InvalidArgumentError("Expected a rate such as 600/min, 10/s, or a number per minute (at least 1).");
  }
  return perMinute;
}

/** A commander parser for `--queue`: a redis:// or rediss:// URL. */
function parseQueueUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InvalidArgumentError("Expected a Redis URL such as redis://127.0.0.1:6379 or redis://host:6379/2.");
  }
  if (url.protocol !== "redis:" && url.protocol !== "rediss:") {
    throw new InvalidArgumentError("Expected a redis:// or rediss:// URL.");
  }
  return text;
}

/** The `--queue` option: required on `worker` and `queue …`, optional on `batch`. */
export function queueOption(required: boolean): Option {
  const what = "Redis URL of the queue shared by every worker, e.g. redis://127.0.0.1:6379[/db]";
  const option = new Option("--queue <url>", required ? what : `run on the queue at this ${what}`);
  option.argParser(parseQueueUrl);
  return required ? option.makeOptionMandatory() : option;
}

/** Adds the queue-wide caps (`--max-in-flight`, `--rate`) to `batch` or `worker`. */
export function addQueueCaps(command: Command): Command {
  return command
    .addOption(
      new Option(
        "--max-in-flight <n>",
        "with --queue: jobs in flight across every worker (kept in Redis; 30 if unset)",
      ).argParser(integerIn(1, 10_000)),
    )
    .addOption(
      new Option("--rate <n/min>", "with --queue: jobs started per minute across every worker, e.g. 600/min").argParser(
        parseRate,
      ),
    );
}

/** The URL without its password or user, for printing. */
export function describeQueueUrl(text: string): string {
  const url = new URL(text);
  url.username = "";
  url.password = "";
  return url.toString();
}

/** How long the CLI waits for Redis before giving up (a URL with nothing behind it would retry forever). */
const CONNECT_TIMEOUT_MS = 10_000;

/**
 * Opens the queue for a command: a missing engine or an unreachable server is a UsageError with
 * what to do, and every durability warning of the server is logged.
 */
export async function openCliQueue(url: string, log: (line: string) => void): Promise<SoraQueue> {
  const where = describeQueueUrl(url);
  let opened = false;
  let firstFailure: Error | undefined;
  // One line per outage (the queue's gate), never a raw dump; while opening, the timeout's message says it.
  const onError = (error: Error) => {
    if (!isUnreachable(error)) return log(`warning: Redis at ${where}: ${error.message}`);
    if (!opened) {
      firstFailure ??= error;
      return;
    }
    log(`warning: lost Redis at ${where} (${reasonOf(error)}); retrying quietly until it is back.`);
  };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    const fail = () => {
      const why = firstFailure ? ` (${reasonOf(firstFailure)})` : "";
      const message = `Cannot reach Redis at ${where} within ${CONNECT_TIMEOUT_MS / 1000} s${why}.`;
      reject(new UsageError(message, "check --queue and that the server runs."));
    };
    timer = setTimeout(fail, CONNECT_TIMEOUT_MS);
  });
  try {
    const queue = await Promise.race([openSoraQueue({ connection: url, onError }), timeout]);
    opened = true;
    for (const warning of await queue.serverWarnings()) log(`warning: ${warning}`);
    return queue;
  } catch (error) {
    if (error instanceof QueueEngineMissingError) {
      throw new UsageError(error.message, "the queue's engine is an optional dependency of sora-video-client.");
    }
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/** An unreachable error in a few words: its code and, when it says, the address (`ECONNREFUSED 127.0.0.1:6379`). */
function reasonOf(error: Error): string {
  const { code, address, port } = error as Error & { code?: string; address?: string; port?: number };
  return (
    [code, address && port !== undefined ? `${address}:${port}` : address].filter(Boolean).join(" ") || error.message
  );
}

/** One line saying which queue a command works on and its caps. */
export function describeQueue(url: string, queue: SoraQueue, limits: QueueLimits): string {
  const rate = limits.perMinute === undefined ? "" : `, ${limits.perMinute} started a minute`;
  const where = `Queue "${queue.name}" on ${describeQueueUrl(url)}`;
  return `${where}: at most ${limits.maxInFlight} in flight across every worker${rate}.`;
}
