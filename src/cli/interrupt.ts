import type { CliContext } from "./context";

/** Ctrl-C in two steps, as `batch` and `generate` use it: the first asks to stop gently, the second aborts. */
export interface TwoStepInterrupt {
  /** Aborted by the first Ctrl-C: start nothing new, let what runs finish. */
  readonly stop: AbortSignal;
  /** Aborted by the second Ctrl-C (or the first, while `immediate()` says so): abort what runs. */
  readonly abort: AbortSignal;
  /** Whether Ctrl-C (or SIGTERM, SIGHUP) came at all. */
  readonly interrupted: boolean;
  /** Stops listening for the signals. */
  dispose(): void;
}

/** What the two steps say, and when one press is enough. */
export interface TwoStepOptions {
  /** Logged on the first press (it only sets `stop`). */
  first: string;
  /** Logged on the press that sets `abort` (a function: what it says depends on what runs then). */
  second: string | (() => string);
  /** While this returns true, one press aborts at once (e.g. a free download, as opposed to a billed render). */
  immediate?: () => boolean;
}

/**
 * Listens for Ctrl-C / SIGTERM / SIGHUP through the context: the first signal logs `first` and
 * aborts `stop`; the next logs `second` and aborts `abort`. A third ends the process (see
 * CliContext). A signal other than SIGINT is named first, so the log says why it stopped.
 */
export function listenTwoStep(
  context: CliContext,
  log: (line: string) => void,
  options: TwoStepOptions,
): TwoStepInterrupt {
  const stop = new AbortController();
  const abort = new AbortController();
  let interrupted = false;
  const dispose = context.onInterrupt((signal) => {
    interrupted = true;
    if (signal !== "SIGINT") log(`${signal} received: handled as Ctrl-C.`);
    if (stop.signal.aborted || options.immediate?.() === true) {
      log(typeof options.second === "function" ? options.second() : options.second);
      stop.abort(new Error("interrupted"));
      abort.abort(new Error("interrupted"));
      return;
    }
    log(options.first);
    stop.abort(new Error("interrupted"));
  });
  return {
    stop: stop.signal,
    abort: abort.signal,
    get interrupted() {
      return interrupted;
    },
    dispose,
  };
}
