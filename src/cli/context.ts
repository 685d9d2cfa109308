import type { DisplayStream } from "./progress/display";
import { guardOutput } from "./guarded-output";

/** The signals the CLI takes as Ctrl-C. Without a listener, SIGTERM and SIGHUP would kill it mid-render. */
export const INTERRUPT_SIGNALS: readonly NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];

/** What a command needs from the process; main passes the real one, so commands never reach for globals. */
export interface CliContext {
  /** Results only: the saved path, a summary, or exactly one JSON document with --json. */
  stdout: { write(text: string): unknown; isTTY?: boolean; columns?: number };
  /** Progress, log lines, warnings and errors. */
  stderr: DisplayStream & { isTTY?: boolean };
  env: Readonly<Record<string, string | undefined>>;
  /** The command line as given, without node and the script (set by runCli): for the commands printed to run next. */
  argv?: readonly string[];
  /**
   * Calls `handler` on each SIGINT, SIGTERM or SIGHUP (a closed terminal, a service manager's stop)
   * until the returned function is called: all three are a Ctrl-C. A third signal ends the process
   * at once (exit 130), whatever the handler does, so a stuck step cannot trap the user.
   */
  onInterrupt(handler: (signal: NodeJS.Signals) => void): () => void;
}

/**
 * The context of the running process. Its stdout and stderr survive a reader that went away
 * (`| head`, a closed terminal): writes stop, the command goes on (see guardOutput).
 */
export function processContext(): CliContext {
  return {
    stdout: guardOutput(process.stdout),
    stderr: guardOutput(process.stderr),
    env: process.env,
    onInterrupt(handler) {
      let signals = 0;
      const listener = (signal: NodeJS.Signals) => {
        signals += 1;
        if (signals >= 3) process.exit(130);
        handler(signal);
      };
      for (const signal of INTERRUPT_SIGNALS) process.on(signal, listener);
      return () => {
        for (const signal of INTERRUPT_SIGNALS) process.off(signal, listener);
      };
    },
  };
}
