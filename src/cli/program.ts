import { Command, CommanderError } from "commander";
import { version } from "../../package.json";
import { declareBatch, runBatchCommand } from "./batch";
import type { CliContext } from "./context";
import { EXIT, type ExitCode } from "./exit";
import { declareDownload, runDownload } from "./download";
import { declareGenerate, runGenerate } from "./generate";
import { declareMock, runMock } from "./mock";
import { declareRemix, runRemix } from "./remix";
import { declareTask, runTask } from "./task-flow";
import { declareVerify, runVerify } from "./verify";
import { declareQueue, runQueueRetry, runQueueStatus } from "./queue/commands";
import { declareWorker, runWorker } from "./queue/worker";
import { helpFooter } from "./help";
import { commanderErrorJson, debugDetail, errorJson, reportFailure } from "./report";
import { columnsOf, messageWriter, painterFor } from "./terminal";
import { wrapText } from "./wrap";
import { cliKey, redactingOutput } from "./redacting-output";

function buildProgram(context: CliContext, setExit: (code: ExitCode) => void): Command {
  const paint = painterFor(context.stderr);
  const program = new Command("sora-video")
    .description(
      "Turn a prompt and a first-frame image into an MP4 with the Sora 2 Pro image-to-video API, or remix one " +
        "with Sora 2: one video, a crash-safe batch (on one machine, or on a Redis queue across many), a " +
        "download of a video already generated, or an embedded mock.",
    )
    .exitOverride()
    .configureOutput({
      writeOut: (text) => context.stdout.write(text),
      writeErr: (text) => context.stderr.write(text),
      outputError: (text, write) => write(paint("fail", wrapText(text, columnsOf(context.stderr, context.env)))),
    })
    .showHelpAfterError("(add --help for usage)");
  const commands = [
    declareGenerate(program, async (flags) => setExit(await runGenerate(flags, context))),
    declareRemix(program, async (flags) => setExit(await runRemix(flags, context))),
    declareTask(program, async (taskId, flags) => setExit(await runTask(taskId, flags, context))),
    declareBatch(program, async (file, flags) => setExit(await runBatchCommand(file, flags, context))),
    declareDownload(program, async (url, flags) => setExit(await runDownload(url, flags, context))),
    declareWorker(program, async (flags) => setExit(await runWorker(flags, context))),
    ...declareQueue(program, {
      status: async (ids, flags) => setExit(await runQueueStatus(ids, flags, context)),
      retry: async (kind, ids, flags) => setExit(await runQueueRetry(kind, ids, flags, context)),
    }),
    declareMock(program, async (flags) => setExit(await runMock(flags, context))),
    declareVerify(program, async (flags) => setExit(await runVerify(flags, context))),
  ];
  for (const command of [program, ...commands]) {
    command.version(version, "-V, --version", "print the version").helpOption("-h, --help", "print this help");
    command.addHelpText("after", helpFooter(command));
  }
  return program;
}

/** Whether `--json` was asked for (before a `--`), known even when commander then fails on another flag. */
function wantsJson(argv: readonly string[]): boolean {
  const end = argv.indexOf("--");
  return (end === -1 ? argv : argv.slice(0, end)).includes("--json");
}

/**
 * Runs `sora-video` with `argv` (without node and the script) and resolves to the exit code. Never
 * throws: a usage error prints commander's message (exit 2); any other failure prints one line and
 * a hint (the stack too with --debug), and never the API key. With `--json`, stdout holds exactly
 * one JSON document whatever the outcome: a command's own, else `{"ok": false, "error": {…}}`.
 */
export async function runCli(argv: readonly string[], context: CliContext): Promise<ExitCode> {
  let exitCode: ExitCode = EXIT.ok;
  let wroteStdout = false;
  const json = wantsJson(argv);
  const apiKey = cliKey(context.env);
  // Everything printed goes through one redacting writer; stdout also notes that it was written.
  const redactedStdout = redactingOutput(context.stdout, apiKey, json);
  const stderr = redactingOutput(context.stderr, apiKey, false);
  // The same stream (its prototype keeps isTTY, columns and what colour needs), noting each write.
  const stdout: CliContext["stdout"] = Object.create(redactedStdout as object);
  stdout.write = (text: string) => {
    wroteStdout = true;
    return redactedStdout.write(text);
  };
  const tracked: CliContext = { ...context, stdout, stderr, argv };
  const program = buildProgram(tracked, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync([...argv], { from: "user" });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === "commander.helpDisplayed" || error.code === "commander.version") return EXIT.ok;
      // `help` and `help <command>` asked for help (exit 0); help shown for a mistake (no or an unknown command) is not.
      if (error.code === "commander.help") return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
      if (json && !wroteStdout) stdout.write(`${JSON.stringify({ ok: false, error: commanderErrorJson(error) })}\n`);
      return EXIT.usage;
    }
    const report = reportFailure(error);
    const write = messageWriter(stderr, context.env);
    write(`sora-video: ${report.line}`, "fail");
    if (report.hint) write(`hint: ${report.hint}`, "dim");
    if (argv.includes("--debug")) stderr.write(`${debugDetail(error)}\n`);
    if (json && !wroteStdout) stdout.write(`${JSON.stringify({ ok: false, error: errorJson(error) })}\n`);
    return report.exitCode;
  }
}
