import { Command, CommanderError } from "commander";
import { version } from "../../package.json";
import { declareBatch, runBatchCommand } from "./batch";
import type { CliContext } from "./context";
import { EXIT, type ExitCode } from "./exit";
import { declareDownload, runDownload } from "./download";
import { declareGenerate, runGenerate } from "./generate";
import { declareMock, runMock } from "./mock";
import { declareRemix, runRemix } from "./remix";
import { declareVerify, runVerify } from "./verify";
import { declareQueue, runQueueRetry, runQueueStatus } from "./queue/commands";
import { declareWorker, runWorker } from "./queue/worker";
import { debugDetail, reportFailure } from "./report";

/** The help text's footer on every command: the exit codes and the environment. */
const HELP_FOOTER = `
Environment:
  ONEROUTER_API_KEY    the API key (required by generate, remix, batch, worker and verify --base-url; not
                       by download, batch --dry-run or verify --replay; never printed)
  ONEROUTER_BASE_URL   the API origin when --base-url is not given
  FORCE_TTY=1          draw the live progress line even when stderr is not a terminal

Exit codes:
  0    success
  1    API or network failure (a batch: some job failed, is uncertain, or a line is malformed;
       verify: the provider or a recording broke the contract)
  2    usage error: bad flag or value, no ONEROUTER_API_KEY; nothing was sent (verify: also an
       unreachable provider)
  130  interrupted (Ctrl-C)`;

function buildProgram(context: CliContext, setExit: (code: ExitCode) => void): Command {
  const program = new Command("sora-video")
    .description(
      "Turn a prompt and a first-frame image into an MP4 with the Sora 2 Pro image-to-video API, or remix one " +
        "with Sora 2: one video, a crash-safe batch (on one machine, or on a Redis queue across many), a " +
        "download of a video already generated, or an embedded mock.",
    )
    .exitOverride()
    .configureOutput({ writeOut: (text) => context.stdout.write(text), writeErr: (text) => context.stderr.write(text) })
    .showHelpAfterError("(add --help for usage)");
  const commands = [
    declareGenerate(program, async (flags) => setExit(await runGenerate(flags, context))),
    declareRemix(program, async (flags) => setExit(await runRemix(flags, context))),
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
  for (const command of [program, ...commands])
    command
      .version(version, "-V, --version", "print the version")
      .helpOption("-h, --help", "print this help")
      .addHelpText("after", HELP_FOOTER);
  return program;
}

/**
 * Runs `sora-video` with `argv` (without node and the script) and resolves to the exit code. Never
 * throws: a usage error prints commander's message (exit 2); any other failure prints one line and
 * a hint (the stack too with --debug), and never the API key.
 */
export async function runCli(argv: readonly string[], context: CliContext): Promise<ExitCode> {
  let exitCode: ExitCode = EXIT.ok;
  const program = buildProgram(context, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync([...argv], { from: "user" });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.code === "commander.helpDisplayed" || error.code === "commander.version" ? EXIT.ok : EXIT.usage;
    }
    const apiKey = context.env.ONEROUTER_API_KEY;
    const report = reportFailure(error, apiKey);
    context.stderr.write(`sora-video: ${report.line}\n${report.hint ? `hint: ${report.hint}\n` : ""}`);
    if (argv.includes("--debug")) context.stderr.write(`${debugDetail(error, apiKey)}\n`);
    return report.exitCode;
  }
}
