import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { parseJobs, type BatchJob, type MalformedLine } from "./batch/jobs";
import { planDryRun, renderDryRun } from "./batch/dry-run";
import { jobDownloadCommand, nextCommands, renderFollowUp, renderNextSteps } from "./batch/follow-up";
import { JOURNAL_FILE, type Journal } from "./batch/journal";
import { openJournal, peekJournal } from "./batch/open-journal";
import { liveBatchClient } from "./batch/live-client";
import { LOCK_FILE, takeLock } from "./batch/lock";
import { prepareOutDir, unusableOutDir } from "./batch/out-dir";
import { isJournalWriteError } from "./batch/journal-write-error";
import { removeStaleParts } from "./batch/stale-parts";
import { runBatch, type JobResult } from "./batch/scheduler";
import { categoryOf, countResults, renderSummary } from "./batch/summary";
import { describeFinish, progressTracker } from "./batch/tracker";
import type { CliContext } from "./context";
import { EXIT, UsageError, type ExitCode } from "./exit";
import { listenTwoStep } from "./interrupt";
import { addClientOptions, cliDisplay, clientConfig, createCliClient, integerIn, type ClientFlags } from "./options";
import { columnsOf, painterFor } from "./terminal";
import { runQueueBatch } from "./queue/batch";
import { addPollOption, withTaskWait } from "./task-flow";
import { addQueueCaps, queueOption, type QueueFlags } from "./queue/options";

/** The flags of `sora-video batch`, as commander hands them over. */
export interface BatchFlags extends ClientFlags, QueueFlags {
  out: string;
  /** Jobs at once: 4 by default, or with --queue the queue's in-flight cap. */
  concurrency?: number;
  retryUncertain?: boolean;
  dryRun?: boolean;
  json?: boolean;
  /** Time between polls of an accepted task (the gateway's asynchronous flow). */
  pollInterval: number;
  /** false with --no-wait: accepted tasks are journaled with their id and not polled. */
  wait?: boolean;
}

/** Declares `batch` on the program; `action` receives the jobs file and the parsed flags. */
export function declareBatch(program: Command, action: (file: string, flags: BatchFlags) => Promise<void>): Command {
  const command = program
    .command("batch")
    .description(
      "Run many jobs from a JSON Lines file with bounded concurrency and a crash-safe journal; run it again to resume.",
    )
    .argument(
      "<jobs.jsonl>",
      'one JSON job per line: {"id"?, "prompt", "image_url"? (none: text-to-video), "duration"?, "resolution"?, "aspect_ratio"?, "model"?, ' +
        '"out"?}, or a remix: {"id"?, "video_id", "prompt", "model"?, "out"?}',
    )
    .requiredOption("-o, --out <dir>", "directory for the videos and the journal (sora-batch.journal.jsonl)")
    .option("-c, --concurrency <n>", "jobs at once (1-64; default 4, with --queue the in-flight cap)", integerIn(1, 64))
    .option(
      "--retry-uncertain",
      "send again jobs that may already have been accepted (timeouts, 5xx, crashes mid-call): MAY BILL TWICE",
    )
    .option(
      "--dry-run",
      "check every line against the spec and count the paid generations a run would start; send nothing, no key needed",
    )
    .option("--json", "print exactly one JSON summary on stdout (progress stays on stderr)")
    .option(
      "--no-wait",
      "journal jobs the gateway accepts as tasks with their id and leave them (not polled); the same command without it finishes them",
    )
    .addOption(queueOption(false));
  return addClientOptions(addPollOption(addQueueCaps(command))).action(action);
}

/** Failures that every other job would meet too (a wrong key, base URL or model): the batch stops starting jobs. */
const FATAL = new Set(["AuthenticationError", "PermissionDeniedError", "NotFoundError"]);

async function readJobsFile(file: string): Promise<string> {
  return readFile(file, "utf8").catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`Cannot read the jobs file ${file} (${error.code ?? error.message}).`);
  });
}

/** `batch --queue`: the same jobs file, summary and exit codes, with the state in the queue (see queue/batch.ts). */
function runBatchOnQueue(
  file: string,
  flags: BatchFlags & { queue: string },
  parsed: { jobs: BatchJob[]; malformed: MalformedLine[] },
  outDir: string,
  context: CliContext,
): Promise<ExitCode> {
  const config = clientConfig(flags, context.env);
  const display = cliDisplay(flags.progress, context);
  const wait = { timeoutMs: flags.timeout, pollIntervalMs: flags.pollInterval };
  const client = withTaskWait(
    createCliClient(config, flags.debug, (line) => display.log(line)),
    wait,
  );
  const { malformed } = parsed;
  return runQueueBatch({
    ...parsed,
    flags,
    outDir,
    display,
    client,
    secret: config.apiKey,
    context,
    describe: describeFinish,
    report: (results, interrupted, journal, elapsedMs) => {
      const rerun = rerunArgs(file, flags, context);
      const outcome = { results, malformed, outDir, journal, elapsedMs, interrupted, rerun };
      return report(outcome, flags, context);
    },
  });
}

/** `batch --dry-run`: checks every line and plans the run from the journal; sends nothing, needs no key. */
async function runDryRun(file: string, flags: BatchFlags, context: CliContext): Promise<ExitCode> {
  const { jobs, malformed } = parseJobs(await readJobsFile(file));
  const statuses = await peekJournal(resolve(flags.out));
  const report = planDryRun(jobs, malformed, statuses, flags.retryUncertain === true);
  const json = () => `${JSON.stringify({ ok: malformed.length === 0, dryRun: true, ...report })}\n`;
  context.stdout.write(flags.json ? json() : renderDryRun(report, file, columnsOf(context.stdout, context.env)));
  return malformed.length === 0 ? EXIT.ok : EXIT.failure;
}

/** The command line to run this batch again: as given, or (called in-process) its file and --out. */
function rerunArgs(file: string, flags: BatchFlags, context: CliContext): readonly string[] {
  return context.argv ?? ["batch", file, "--out", flags.out];
}

interface Outcome {
  results: JobResult[];
  malformed: MalformedLine[];
  outDir: string;
  /** Where the jobs' state is kept: the journal's path, or the queue. */
  journal: string;
  elapsedMs: number;
  interrupted: boolean;
  /** The command line to run again (without `sora-video`). */
  rerun: readonly string[];
  /** Why the journal stopped taking records during the run (it is behind this summary), if it did. */
  journalFailure?: string;
}

/** Prints the summary table (or the --json document) with receipts and download commands; returns the exit code. */
function report(outcome: Outcome, flags: BatchFlags, context: CliContext): ExitCode {
  const { results, malformed, outDir, journal, elapsedMs, interrupted, journalFailure } = outcome;
  const counts = countResults(results, malformed);
  const ok = counts.done === results.length && counts.malformed === 0 && journalFailure === undefined;
  const next = nextCommands(results, malformed, outcome.rerun);
  let text: string;
  if (flags.json) {
    const jobs = results.map((result) => {
      const { job, path, bytes, url, error, receipts } = result;
      const download_command = jobDownloadCommand(result, outDir);
      const state = categoryOf(result);
      return { id: job.id, line: job.line, state, path, bytes, url, error, receipts, download_command };
    });
    const failure = journalFailure === undefined ? {} : { journal_failure: journalFailure };
    const document = {
      ok,
      interrupted,
      outDir,
      journal,
      elapsedMs,
      counts,
      jobs,
      malformed,
      next_commands: next,
      ...failure,
    };
    text = `${JSON.stringify(document)}\n`;
  } else {
    const behind =
      journalFailure === undefined
        ? []
        : ["", `${journalFailure}: the journal is behind this summary; the next run sends none of these jobs twice.`];
    const followUp = [...renderFollowUp(results, outDir), ...behind, ...renderNextSteps(next, malformed)];
    const layout = { columns: columnsOf(context.stdout, context.env), paint: painterFor(context.stdout) };
    text = renderSummary(results, malformed, { journal, elapsedMs, followUp, ...layout });
  }
  context.stdout.write(text);
  if (interrupted) return EXIT.interrupted;
  return ok ? EXIT.ok : EXIT.failure;
}

/** Runs `batch`: parses the jobs, resumes from the journal, runs with progress, prints the summary. */
export async function runBatchCommand(file: string, flags: BatchFlags, context: CliContext): Promise<ExitCode> {
  if (flags.dryRun) return runDryRun(file, flags, context);
  const config = clientConfig(flags, context.env);
  const { jobs, malformed } = parseJobs(await readJobsFile(file));
  const outDir = resolve(flags.out);
  // On a queue, --out is made once Redis answered (runQueueBatch): a run that cannot start leaves none.
  if (flags.queue !== undefined) {
    return runBatchOnQueue(file, { ...flags, queue: flags.queue }, { jobs, malformed }, outDir, context);
  }
  if (flags.maxInFlight !== undefined || flags.rate !== undefined) {
    throw new UsageError("--max-in-flight and --rate set a queue's caps: they need --queue.");
  }
  await prepareOutDir(outDir);
  const releaseLock = await takeLock(join(outDir, LOCK_FILE));
  const display = cliDisplay(flags.progress, context);
  const interrupt = listenTwoStep(context, (line) => display.log(line), {
    first: "Stopping: no new job starts; waiting for the running ones (press Ctrl-C again to abort them).",
    second: "Aborting the running jobs; their state is kept in the journal.",
  });
  const fatal = new AbortController();
  let journal: Journal | undefined;
  try {
    journal = await openJournal(outDir, (line) => display.log(line), config.apiKey);
    for (const entry of malformed) display.log(`✗ ${file} line ${entry.line}: ${entry.message} (skipped)`);
    const stale = await removeStaleParts(outDir, new Set(jobs.map((job) => job.out)));
    if (stale.length > 0) display.log(`Removed ${stale.length} partial download(s) left by an interrupted run.`);
    const debug = flags.debug ? (message: string) => display.log(`debug: ${message}`) : undefined;
    const warn = (message: string) => display.log(`warning: ${message}`);
    const wait = { timeoutMs: flags.timeout, pollIntervalMs: flags.pollInterval };
    const client = liveBatchClient({ ...config, logger: { warn, debug } }, wait);
    const tracker = progressTracker(display, (result) => {
      if (fatal.signal.aborted || !result.error || !FATAL.has(result.error.name)) return;
      display.log(
        `Stopping: ${result.error.name} would fail every other job too; no new job starts. Fix it and run the same command again.`,
      );
      fatal.abort();
    });
    const timer = setInterval(tracker.draw, display.live ? 100 : 1_000);
    let results: JobResult[];
    try {
      results = await runBatch({
        jobs,
        outDir,
        journal,
        client,
        concurrency: flags.concurrency ?? 4,
        retryUncertain: flags.retryUncertain === true,
        waitForTasks: flags.wait !== false,
        stop: AbortSignal.any([interrupt.stop, fatal.signal]),
        abort: interrupt.abort,
        onEvent: tracker.onEvent,
      });
    } catch (error) {
      // runBatch throws a journal write failure only before any request was sent (see note() there).
      if (isJournalWriteError(error)) throw unusableOutDir(outDir, error.cause) ?? error;
      throw error;
    } finally {
      clearInterval(timer);
      display.end();
    }
    const elapsedMs = Date.now() - tracker.startedAt;
    const { interrupted } = interrupt;
    const journalPath = join(outDir, JOURNAL_FILE);
    const rerun = rerunArgs(file, flags, context);
    const journalFailure = journal.writeFailure?.message;
    const outcome = { results, malformed, outDir, journal: journalPath, elapsedMs, interrupted, rerun };
    return report({ ...outcome, journalFailure }, flags, context);
  } finally {
    interrupt.dispose();
    await journal?.close();
    await releaseLock();
  }
}
