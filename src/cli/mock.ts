import type { Command } from "commander";
import { startMockServer } from "../node/mock";
import type { CliContext } from "./context";
import { EXIT, type ExitCode } from "./exit";
import { integerIn, parseDuration } from "./options";
import { shellQuote } from "./shell-quote";

/** The flags of `sora-video mock`. */
export interface MockFlags {
  port: number;
  host: string;
  latency: number;
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
    .option("--latency <duration>", "simulated render time of each generation, e.g. 2s", parseDuration, 2_000)
    .action(action);
}

/** Runs `mock`: prints the base URL and a ready-to-paste command on stdout, then serves until SIGINT/SIGTERM. */
export async function runMock(flags: MockFlags, context: CliContext): Promise<ExitCode> {
  const server = await startMockServer({ port: flags.port, host: flags.host, latencyMs: flags.latency });
  const prompt = shellQuote("A cat turns and walks away");
  const environment = `ONEROUTER_API_KEY=sk-mock ONEROUTER_BASE_URL=${server.url}`;
  const args = `--prompt ${prompt} --image https://example.com/cat.png --out cat.mp4`;
  const example = `${environment} sora-video generate ${args}`;
  context.stdout.write(
    [
      `Mock Sora gateway listening on ${server.url} (render latency ${flags.latency} ms; any non-empty key is accepted).`,
      "",
      "Try it from another terminal:",
      `  ${example}`,
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
  context.stderr.write(
    `Mock stopped after ${server.stats.accepted} accepted generation(s) and ${server.stats.downloads} download(s).\n`,
  );
  return EXIT.ok;
}
