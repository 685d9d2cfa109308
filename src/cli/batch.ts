import { mkdir, readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { downloadVideo } from "../node";
import { parseJobs, type BatchJob, type MalformedLine } from "./batch/jobs";
import { JOURNAL_FILE, Journal } from "./batch/journal";
import { JournalCorruptError } from "./batch/journal-state";
import { LOCK_FILE, takeLock } from "./batch/lock";
import { removeStaleParts } from "./batch/stale-parts";
import { runBatch, type BatchClient, type BatchEvent, type JobResult } from "./batch/scheduler";
import { categoryOf, countResults, renderSummary } from "./batch/summary";
import type { CliContext } from "./context";
import { EXIT, UsageError, type ExitCode } from "./exit";
import { addClientOptions, clientConfig, createCliClient, integerIn, useLiveDisplay } from "./options";
import type { ClientFlags } from "./options";
import { createDisplay, type Display } from "./progress/display";
import { formatBytes } from "./progress/format";
import { renderBatch, type BatchProgress } from "./progress/render";
import { runQueueBatch } from "./queue/batch";
import { addQueueCaps, queueOption, type QueueFlags } from "./queue/options";

/** The flags of `sora-video batch`, as commander hands them over. */
export interface BatchFlags extends ClientFlags, QueueFlags {
  out: string;
  /** Jobs at once: 4 by default, or with --queue the queue's in-flight cap. */
  concurrency?: number;
  retryUncertain?: boolean;
  json?: boolean;
}

/** Declares `batch` on the program; `action` receives the jobs file and the parsed flags. */
export function declareBatch(program: Command, action: (file: string, flags: BatchFlags) => Promise<void>): Command {
  const command = program
    .command("batch")
    .description("Run many jobs from a JSON Lines file with bounded concurrency and a crash-safe journal; run it again to resume.")
    .argument("<jobs.jsonl>", 'one JSON job per line: {"id"?, "prompt", "image_url", "duration"?, "resolution"?, "aspect_ratio"?, "model"?, "out"?}')
    .requiredOption("-o, --out <dir>", "directory for the videos and the journal (sora-batch.journal.jsonl)")
    .option("-c, --concurrency <n>", "jobs at once (1-64; default 4, with --queue the in-flight cap)", integerIn(1, 64))
    .option("--retry-uncertain", "send again jobs that may already have been accepted (timeouts, 5xx, crashes mid-call): MAY BILL TWICE")
    .option("--json", "print exactly one JSON summary on stdout (progress stays on stderr)")
    .addOption(queueOption(false));
  return addClientOptions(addQueueCaps(command)).action(action);
}

/** Failures that every other job would meet too (a wrong key, base URL or model): the batch stops starting jobs. */
const FATAL = new Set(["AuthenticationError", "PermissionDeniedError", "NotFoundError"]);

function describeFinish(result: JobResult): string {
  const name = `${result.job.id} (line ${result.job.line})`;
  if (result.state === "done") return `✓ ${name} → ${result.path ?? result.job.out}${result.bytes === undefined ? "" : ` (${formatBytes(result.bytes)})`}`;
  const reason = result.error ? `: ${result.error.name}: ${result.error.message}` : "";
  return `${categoryOf(result) === "uncertain" ? "?" : "✗"} ${name} ${categoryOf(result)}${reason}`;
}

/** Progress counters fed by the scheduler's events, drawn on the display. */
function progressTracker(display: Display, onFinish: (result: JobResult) => void) {
  const started = Date.now();
  const state: BatchProgress = { total: 0, done: 0, running: 0, failed: 0, uncertain: 0, elapsedMs: 0 };
  const draw = () => {
    state.elapsedMs = Date.now() - started;
    display.status("batch", (style) => renderBatch(state, style));
  };
  const onEvent = (event: BatchEvent): void => {
    if (event.type === "planned") state.total = event.runnable;
    else if (event.type === "start") state.running += 1;
    else if (event.type === "recovered") display.log(`? ${event.id}: the last run stopped while its request was open; marked uncertain`);
    else if (event.type === "changed") display.log(`! ${event.job.id} (line ${event.job.line}) changed since it was journaled; its journaled state is kept (give it a new "id" to run it as a new job)`);
    else if (event.type === "finish") {
      state.running -= 1;
      const category = categoryOf(event.result);
      if (category === "done" || category === "failed" || category === "uncertain") state[category] += 1;
      display.log(describeFinish(event.result));
      onFinish(event.result);
    }
    draw();
  };
  return { onEvent, draw, startedAt: started };
}

async function openJournal(outDir: string): Promise<Journal> {
  const path = join(outDir, JOURNAL_FILE);
  try {
    return (await Journal.open(path)).journal;
  } catch (error) {
    if (error instanceof JournalCorruptError) throw new UsageError(`${path}: ${error.message}.`, "the journal was left as it is; inspect it (one JSON record per line) before running again.");
    throw error;
  }
}

/** What a batch report says besides the results: where the state is kept, and how the run went. */
export interface BatchReportInfo {
  json: boolean;
  interrupted: boolean;
  outDir: string;
  /** Where the jobs' state is kept: the journal's path, or the queue. */
  journal: string;
  elapsedMs: number;
}

/** Prints the summary table (or exactly one JSON document with --json) and returns today's exit code. */
export function printBatchReport(
  results: JobResult[],
  malformed: MalformedLine[],
  info: BatchReportInfo,
  context: CliContext,
): ExitCode {
  const counts = countResults(results, malformed);
  const { outDir, journal, elapsedMs, interrupted } = info;
  if (info.json) {
    const jobs = results.map((result) => ({
      id: result.job.id,
      line: result.job.line,
      state: categoryOf(result),
      path: result.path,
      bytes: result.bytes,
      url: result.url,
      error: result.error,
    }));
    const ok = counts.done === results.length && counts.malformed === 0;
    const report = { ok, interrupted, outDir, journal, elapsedMs, counts, jobs, malformed };
    context.stdout.write(`${JSON.stringify(report)}\n`);
  } else {
    context.stdout.write(renderSummary(results, malformed, { journal, elapsedMs }));
  }
  if (interrupted) return EXIT.interrupted;
  return counts.done === results.length && counts.malformed === 0 ? EXIT.ok : EXIT.failure;
}

/** `batch --queue`: the same jobs file, summary and exit codes, with the state in the queue (see queue/batch.ts). */
function runBatchOnQueue(
  flags: BatchFlags & { queue: string },
  parsed: { jobs: BatchJob[]; malformed: MalformedLine[] },
  outDir: string,
  context: CliContext,
): Promise<ExitCode> {
  const config = clientConfig(flags, context.env);
  const live = useLiveDisplay(flags.progress, context.stderr.isTTY === true, context.env);
  const display = createDisplay({ live, stream: context.stderr });
  const client = createCliClient(config, flags.debug, (line) => display.log(line));
  const { malformed } = parsed;
  return runQueueBatch({
    ...parsed,
    flags,
    outDir,
    display,
    client,
    context,
    describe: describeFinish,
    report: (results, interrupted, journal, elapsedMs) => {
      const info = { json: flags.json === true, interrupted, outDir, journal, elapsedMs };
      return printBatchReport(results, malformed, info, context);
    },
  });
}

/** Runs `batch`: parses the jobs, resumes from the journal, runs with progress, prints the summary. */
export async function runBatchCommand(file: string, flags: BatchFlags, context: CliContext): Promise<ExitCode> {
  const config = clientConfig(flags, context.env);
  const text = await readFile(file, "utf8").catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`Cannot read the jobs file ${file} (${error.code ?? error.message}).`);
  });
  const { jobs, malformed } = parseJobs(text);
  const outDir = resolve(flags.out);
  await mkdir(outDir, { recursive: true });
  if (flags.queue !== undefined) {
    return runBatchOnQueue({ ...flags, queue: flags.queue }, { jobs, malformed }, outDir, context);
  }
  if (flags.maxInFlight !== undefined || flags.rate !== undefined) {
    throw new UsageError("--max-in-flight and --rate set a queue's caps: they need --queue.");
  }
  const releaseLock = await takeLock(join(outDir, LOCK_FILE));
  const display = createDisplay({ live: useLiveDisplay(flags.progress, context.stderr.isTTY === true, context.env), stream: context.stderr });
  const stop = new AbortController();
  const abort = new AbortController();
  let interrupted = false;
  const stopListening = context.onInterrupt(() => {
    interrupted = true;
    if (stop.signal.aborted) {
      display.log("Aborting the running jobs; their state is kept in the journal.");
      abort.abort(new Error("interrupted"));
      return;
    }
    display.log("Stopping: no new job starts; waiting for the running ones (press Ctrl-C again to abort them).");
    stop.abort();
  });
  let journal: Journal | undefined;
  try {
    journal = await openJournal(outDir);
    for (const entry of malformed) display.log(`✗ ${file} line ${entry.line}: ${entry.message} (skipped)`);
    const stale = await removeStaleParts(outDir, new Set(jobs.map((job) => job.out)));
    if (stale.length > 0) display.log(`Removed ${stale.length} partial download(s) left by an interrupted run.`);
    const sora = createCliClient(config, flags.debug, (line) => display.log(line));
    const client: BatchClient = { generateVideo: (request, options) => sora.generateVideo(request, options), downloadVideo };
    const tracker = progressTracker(display, (result) => {
      if (stop.signal.aborted || !result.error || !FATAL.has(result.error.name)) return;
      display.log(`Stopping: ${result.error.name} would fail every other job too; no new job starts. Fix it and run the same command again.`);
      stop.abort();
    });
    const timer = setInterval(tracker.draw, display.live ? 100 : 1_000);
    let results: JobResult[];
    try {
      results = await runBatch({ jobs, outDir, journal, client, concurrency: flags.concurrency ?? 4, retryUncertain: flags.retryUncertain === true, stop: stop.signal, abort: abort.signal, onEvent: tracker.onEvent });
    } finally {
      clearInterval(timer);
      display.end();
    }
    const journalPath = join(outDir, JOURNAL_FILE);
    const elapsedMs = Date.now() - tracker.startedAt;
    const info = { json: flags.json === true, interrupted, outDir, journal: journalPath, elapsedMs };
    return printBatchReport(results, malformed, info, context);
  } finally {
    stopListening();
    await journal?.close();
    await releaseLock();
  }
}
