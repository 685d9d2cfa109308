/** Options every SoraError takes. */
export interface SoraErrorOptions {
  /** Whether the server may have accepted the request, and so may bill it. */
  mayHaveBeenAccepted: boolean;
  /** The underlying error, when this one wraps another. */
  cause?: unknown;
}

/**
 * The base of every error this package throws. Catch it to handle any failure of the client.
 *
 * Every SoraError says, in `mayHaveBeenAccepted`, whether the server may have accepted the request
 * (and so may have started, and billed, a generation): `false` means the generation certainly did
 * not start and re-sending cannot pay twice. No SoraError carries the API key in its message,
 * properties, `toJSON()` or inspection output.
 */
export class SoraError extends Error {
  override readonly name: string = "SoraError";
  /** Whether the server may have accepted the request; if true, re-sending may bill twice. */
  readonly mayHaveBeenAccepted: boolean;

  constructor(message: string, options: SoraErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.mayHaveBeenAccepted = options.mayHaveBeenAccepted;
  }

  /** A plain object for logs and JSON: name, message, mayHaveBeenAccepted and the subclass's facts. */
  toJSON(): Record<string, unknown> {
    return { name: this.name, message: this.message, mayHaveBeenAccepted: this.mayHaveBeenAccepted };
  }
}
