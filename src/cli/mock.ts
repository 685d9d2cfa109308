import { Option, type Command } from "commander";
import { startMockServer, type MockServer } from "../node/mock";
import type { CliContext } from "./context";
import { EXIT, UsageError, type ExitCode } from "./exit";
import { integerIn, parseDuration } from "./options";
import { formatElapsed } from "./progress/format";
import { shellQuote } from "./shell-quote";
import { columnsOf, messageWriter } from "./terminal";
import { wrapCommand, wrapText } from "./wrap";

/** The flags of `sora-video mock`. */
export interface MockFlags {
  port: number;
  host: string;
  latency: number;
  /** --async: the gateway's asynchronous flow (a task envelope, then the task endpoint). */
  async?: boolean;
}

/** Declares `mock` on the program. */
export function declareMock(program: Command, action: (flags: MockFlags) => Promise<void>): Command {
  return program
    .command("mock")
    .description(
      "Start the embedded mock gateway (no key, no cost) and print a command to try against it; runs until Ctrl-C.",
    )
    .option("--port <n>", "port to listen on (0: any free port)", integerIn(0, 65_535), 0)
    .option("--host <address>", "interface to listen on", "127.0.0.1")
    .addOption(
      new Option("--latency <duration>", "simulated render time of each generation, e.g. 2s, 500ms")
        .argParser(parseDuration)
        .default(2_000, "2s"),
    )
    .option(
      "--async",
      "answer with a task (the gateway's asynchronous flow) and serve GET /v1/videos/tasks/{task_id}: queued, running, then the video (x-mock-task: failed or stuck picks another end)",
    )
    .action(action);
}

/** Why the system refused to listen, as a usage error naming the port (or host) to change. */
const LISTEN_FAILURES: Readonly<Record<string, (where: string, port: number) => string>> = {
  EADDRINUSE: (where, port) => `Port ${port} is in use on ${where}: pick another --port, or --port 0 for any free one.`,
  EACCES: (where, port) => `Not allowed to listen on port ${port} of ${where}: pick a --port above 1023, or 0.`,
  EADDRNOTAVAIL: (where) => `Cannot listen on ${where}: no interface has that address (check --host).`,
};

/** `2s`, `1m 30s`, or `250 ms` below a whole second. */
function formatLatency(ms: number): string {
  return ms % 1_000 === 0 ? formatElapsed(ms) : `${ms} ms`;
}

async function startMock(flags: MockFlags): Promise<MockServer> {
  try {
    const mode = flags.async ? "async" : "sync";
    return await startMockServer({ port: flags.port, host: flags.host, latencyMs: flags.latency, mode });
  } catch (error) {
    const describe = LISTEN_FAILURES[(error as NodeJS.ErrnoException).code ?? ""];
    if (describe === undefined) throw error;
    throw new UsageError(describe(flags.host, flags.port), "nothing was started.");
  }
}

/** Runs `mock`: prints the base URL and a ready-to-paste command on stdout, then serves until SIGINT/SIGTERM. */
export async function runMock(flags: MockFlags, context: CliContext): Promise<ExitCode> {
  const server = await startMock(flags);
  const prompt = shellQuote("A cat turns and walks away");
  const environment = `ONEROUTER_API_KEY=sk-mock ONEROUTER_BASE_URL=${server.url}`;
  const args = `--prompt ${prompt} --image https://example.com/cat.png --out cat.mp4`;
  const example = `${environment} sora-video generate ${args}`;
  const columns = columnsOf(context.stdout, context.env);
  const listening = `Mock Sora gateway listening on ${server.url} (render latency ${formatLatency(flags.latency)}; `;
  context.stdout.write(
    [
      wrapText(`${listening}any non-empty key is accepted).`, columns),
      "",
      "Try it from another terminal:",
      ...wrapCommand(example, columns),
      "",
      "Press Ctrl-C to stop.",
      "",
    ].join("\n"),
  );
  await new Promise<void>((resolve) => {
    const stopListening = context.onInterrupt(() => {
      stopListening();
      resolve();
    });
  });
  await server.close();
  const { accepted, downloads } = server.stats;
  const write = messageWriter(context.stderr, context.env);
  write(`Mock stopped after ${accepted} accepted generation(s) and ${downloads} download(s).`);
  return EXIT.ok;
}
