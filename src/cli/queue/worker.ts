import { resolve } from "node:path";
import { Option, type Command } from "commander";
import type { QueueJobStatus } from "../../queue";
import type { CliContext } from "../context";
import { prepareOutDir } from "../batch/out-dir";
import { EXIT, type ExitCode } from "../exit";
import { listenTwoStep } from "../interrupt";
import { addClientOptions, cliDisplay, clientConfig, createCliClient, integerIn, parseTimeout } from "../options";
import type { ClientFlags } from "../options";
import { addQueueCaps, describeQueue, openCliQueue, queueOption, type QueueFlags } from "./options";
import { addPollOption, withTaskWait } from "../task-flow";

/** The flags of `sora-video worker`, as commander hands them over. */
export interface WorkerFlags extends ClientFlags, QueueFlags {
  queue: string;
  out: string;
  concurrency?: number;
  lockDuration?: number;
  stalledInterval?: number;
  /** Time between polls of an accepted task. */
  pollInterval: number;
}

/** Declares `worker` on the program. */
export function declareWorker(program: Command, action: (flags: WorkerFlags) => Promise<void>): Command {
  const command = program
    .command("worker")
    .description(
      "Work on a queue's jobs (from `batch --queue` or any service) until SIGINT/SIGTERM/SIGHUP; " +
        "the first signal lets running jobs finish.",
    )
    .addOption(queueOption(true))
    .requiredOption("-o, --out <dir>", "directory for the videos (a shared mount when other machines read them)")
    .addOption(
      new Option(
        "-c, --concurrency <n>",
        "renders this process runs at once, and as many downloads (1-1000; default: the in-flight cap)",
      ).argParser(integerIn(1, 1_000)),
    )
    .addOption(
      new Option(
        "--lock-duration <duration>",
        "how long a stuck worker's jobs stay locked before they count as dead (default: 60s)",
      ).argParser(parseTimeout),
    )
    .addOption(
      new Option(
        "--stalled-interval <duration>",
        "how often workers look for jobs of dead workers (default: 30s)",
      ).argParser(parseTimeout),
    );
  return addClientOptions(addPollOption(addQueueCaps(command))).action(action);
}

function describeEnd(status: QueueJobStatus): string {
  if (status.state === "done") return `✓ ${status.id} → ${status.path ?? status.out}`;
  if (status.state === "task")
    return `… ${status.id} task ${status.taskId ?? "?"} accepted, not finished: ${status.reason ?? ""}`;
  return `${status.state === "uncertain" ? "?" : "✗"} ${status.id} ${status.state}: ${status.reason ?? ""}`;
}

/** Runs `worker`: works on the queue until a signal; exit 0 after a clean stop, 130 when running jobs were aborted. */
export async function runWorker(flags: WorkerFlags, context: CliContext): Promise<ExitCode> {
  const config = clientConfig(flags, context.env);
  const outDir = resolve(flags.out);
  const display = cliDisplay(flags.progress, context);
  const queue = await openCliQueue(flags.queue, (line) => display.log(line));
  try {
    // Only once Redis answered: a command that cannot run leaves no --out behind.
    await prepareOutDir(outDir);
    const limits = await queue.setLimits({ maxInFlight: flags.maxInFlight, perMinute: flags.rate });
    display.log(describeQueue(flags.queue, queue, limits));
    const wait = { timeoutMs: flags.timeout, pollIntervalMs: flags.pollInterval };
    const client = withTaskWait(
      createCliClient(config, flags.debug, (line) => display.log(line)),
      wait,
    );
    const worker = await queue.startWorker({
      client,
      outDir,
      secret: config.apiKey,
      concurrency: flags.concurrency ?? limits.maxInFlight,
      lockDurationMs: flags.lockDuration,
      stalledIntervalMs: flags.stalledInterval,
      onJobEnd: (status) => display.log(describeEnd(status)),
      onError: (error) => display.log(`warning: ${error.message}`),
    });
    display.log(`Working; saving videos in ${outDir}. Ctrl-C (or SIGTERM, SIGHUP) stops after the running jobs.`);
    const interrupt = listenTwoStep(context, (line) => display.log(line), {
      first: "Stopping: no new job starts; waiting for the running ones (a second signal aborts them).",
      second: "Aborting the running jobs; jobs whose request was open become uncertain.",
    });
    interrupt.abort.addEventListener("abort", () => void worker.close({ abort: true }), { once: true });
    await new Promise<void>((done) => {
      interrupt.stop.addEventListener("abort", () => void worker.close().finally(done), { once: true });
    });
    interrupt.dispose();
    return interrupt.abort.aborted ? EXIT.interrupted : EXIT.ok;
  } finally {
    await queue.close();
  }
}
