/** The documented exit codes of `sora-video`. */
export const EXIT = {
  /** Everything asked for was done. */
  ok: 0,
  /** The API or the network failed (or, in a batch, a job failed, was malformed or is uncertain). */
  failure: 1,
  /** The command line or its inputs are wrong (unknown flag, bad value, no key). Nothing was sent. */
  usage: 2,
  /** Interrupted by Ctrl-C (SIGINT, or SIGTERM / SIGHUP taken as one), as shells expect of SIGINT: 128 + 2. */
  interrupted: 130,
} as const;

/** One of the codes in EXIT. */
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/**
 * Thrown by a command when its arguments, environment or inputs are unusable; main prints the
 * message (one line) and the hint, and exits 2. Nothing was sent to the API.
 */
export class UsageError extends Error {
  override readonly name = "UsageError";
  /** A second line telling the user what to do. */
  readonly hint: string | undefined;

  constructor(message: string, hint?: string) {
    super(message);
    this.hint = hint;
  }
}

/** Thrown when Ctrl-C ended a step that is not an API call (a download); main exits 130. */
export class InterruptedError extends Error {
  override readonly name = "InterruptedError";
}
