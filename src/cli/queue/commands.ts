import type { Command } from "commander";
import type { QueueStatus } from "../../queue";
import type { CliContext } from "../context";
import { EXIT, type ExitCode } from "../exit";
import { fitterFor } from "../progress/format";
import { columnsOf, messageWriter } from "../terminal";
import { describeQueueUrl, openCliQueue, queueOption } from "./options";

/** The flags of `sora-video queue status`. */
export interface QueueStatusFlags {
  queue: string;
  json?: boolean;
}

/** The flags of `sora-video queue retry-uncertain` and `retry-failed`. */
export interface QueueRetryFlags {
  queue: string;
}

/** What the `queue` subcommands do once parsed. */
export interface QueueActions {
  status(ids: string[], flags: QueueStatusFlags): Promise<void>;
  retry(kind: "uncertain" | "failed", ids: string[], flags: QueueRetryFlags): Promise<void>;
}

const RETRY_DESCRIPTION = {
  uncertain: "Queue again uncertain jobs (all, or the given ids): they MAY HAVE BEEN BILLED; this may bill twice.",
  failed: "Queue again failed jobs (all, or the given ids): never billed, or only their download failed.",
} as const;

/** Declares `queue status`, `queue retry-uncertain` and `queue retry-failed` on the program. */
export function declareQueue(program: Command, actions: QueueActions): Command[] {
  const queue = program
    .command("queue")
    .description("Inspect a queue of video jobs, or send its uncertain or failed jobs again.");
  const status = queue
    .command("status")
    .description("Counts by state and every job that is not done, with why; given ids, those jobs and their videos.")
    .argument("[ids...]", "job ids (default: every job in the queue)")
    .addOption(queueOption(true))
    .option("--json", 'print exactly one JSON document: {"counts":{…},"jobs":[{"id","state","reason"}]}')
    .action((ids: string[], flags: QueueStatusFlags) => actions.status(ids, flags));
  const retries = (["uncertain", "failed"] as const).map((kind) =>
    queue
      .command(`retry-${kind}`)
      .description(RETRY_DESCRIPTION[kind])
      .argument("[ids...]", `job ids (default: every ${kind} job)`)
      .addOption(queueOption(true))
      .action((ids: string[], flags: QueueRetryFlags) => actions.retry(kind, ids, flags)),
  );
  return [queue, status, ...retries];
}

const NEXT_STEP: Readonly<Record<string, string>> = {
  failed: "not billed (or only the download failed): `sora-video queue retry-failed` runs them again",
  uncertain: "may have been billed: `sora-video queue retry-uncertain` sends them again (MAY BILL TWICE)",
  task: "accepted as tasks (billed), not finished: the batch run again (or `sora-video task <id>`) finishes them for free",
};

const REASON_OF_RUNNING: Readonly<Record<string, string>> = { waiting: "waiting for a worker", active: "running" };

/**
 * The status table. With `columns` (a terminal) each line is cut to fit and a video URL, which must
 * stay whole, gets a line of its own under its job; without, the URL ends the job's line.
 */
function renderStatus(status: QueueStatus, where: string, listDone: boolean, columns: number | undefined): string {
  const fit = fitterFor(columns);
  const lines = [fit(`Queue ${where}`)];
  for (const [state, count] of Object.entries(status.counts)) {
    const note = count > 0 ? NEXT_STEP[state] : undefined;
    lines.push(fit(`  ${state.padEnd(10)} ${String(count).padStart(6)}${note ? `   ${note}` : ""}`));
  }
  const listed = status.jobs.filter((job) => listDone || job.state !== "done");
  if (listed.length > 0) lines.push("");
  for (const job of listed) {
    const saved = job.state === "done" ? `${job.path ?? job.out}` : (job.reason ?? REASON_OF_RUNNING[job.state] ?? "");
    const url = (job.state === "failed" || job.state === "done") && job.url ? job.url : undefined;
    const row = `  ${job.id}  ${job.state}  ${saved}`;
    if (url === undefined) lines.push(fit(row));
    else if (columns === undefined) lines.push(`${row} (video: ${url})`);
    else lines.push(fit(row), `    ${url}`);
  }
  return `${lines.join("\n")}\n`;
}

/**
 * Runs `queue status`: a table, or exactly the one JSON document the README documents. Given ids,
 * it reports those jobs only, and the table lists the done ones too, with where each video was
 * saved and its URL.
 */
export async function runQueueStatus(ids: string[], flags: QueueStatusFlags, context: CliContext): Promise<ExitCode> {
  const write = messageWriter(context.stderr, context.env);
  const queue = await openCliQueue(flags.queue, write);
  try {
    const status = await queue.status(ids.length > 0 ? ids : undefined);
    // An id asked for that the queue does not hold is said, and is a failure: silence would read as "fine".
    const found = new Set(status.jobs.map((job) => job.id));
    const notFound = [...new Set(ids.filter((id) => !found.has(id)))];
    const where = `"${queue.name}" on ${describeQueueUrl(flags.queue)}`;
    if (flags.json) {
      const jobs = status.jobs
        .filter((job) => job.state !== "done")
        .map((job) => ({ id: job.id, state: job.state, reason: job.reason ?? REASON_OF_RUNNING[job.state] ?? "" }));
      const missing = notFound.length > 0 ? { not_found: notFound } : {};
      context.stdout.write(`${JSON.stringify({ counts: status.counts, jobs, ...missing })}\n`);
    } else {
      const columns = columnsOf(context.stdout, context.env);
      context.stdout.write(renderStatus(status, where, ids.length > 0, columns));
    }
    if (notFound.length === 0) return EXIT.ok;
    write(`not in queue ${where}: ${notFound.join(", ")} (check the ids and --queue)`, "fail");
    return EXIT.failure;
  } finally {
    await queue.close();
  }
}

/** Runs `queue retry-uncertain` / `retry-failed`: queues the jobs again and prints their ids; a worker runs them. */
export async function runQueueRetry(
  kind: "uncertain" | "failed",
  ids: string[],
  flags: QueueRetryFlags,
  context: CliContext,
): Promise<ExitCode> {
  const write = messageWriter(context.stderr, context.env);
  const queue = await openCliQueue(flags.queue, write);
  try {
    if (kind === "uncertain") {
      write("warning: uncertain jobs may have been accepted and billed; sending again MAY BILL TWICE", "warn");
    }
    const some = ids.length > 0 ? ids : undefined;
    const retried = kind === "uncertain" ? await queue.retryUncertain(some) : await queue.retryFailed(some);
    const missed = ids.filter((id) => !retried.includes(id));
    if (missed.length > 0) {
      write(`not ${kind} (or not in the queue), left as they are: ${missed.join(", ")}`);
    }
    write(`Queued again ${retried.length} ${kind} job(s); a worker sends them.`);
    for (const id of retried) context.stdout.write(`${id}\n`);
    return EXIT.ok;
  } finally {
    await queue.close();
  }
}
