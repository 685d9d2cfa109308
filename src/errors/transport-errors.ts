import { SoraError, type SoraErrorOptions } from "./sora-error";

/**
 * Thrown when no HTTP response arrived: connection refused, DNS failure, a reset, a TLS failure.
 * `mayHaveBeenAccepted` is false only when the failure happened before the request could reach the
 * server (refused, DNS); a reset after the body went out may have started a generation.
 */
export class APIConnectionError extends SoraError {
  override readonly name: string = "APIConnectionError";
  /** The low-level error code when known (e.g. "ECONNREFUSED", "ENOTFOUND", "UND_ERR_SOCKET"). */
  readonly code: string | undefined;

  constructor(message: string, options: SoraErrorOptions & { code?: string }) {
    super(message, options);
    this.code = options.code;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), code: this.code };
  }
}

/**
 * Thrown when an attempt took longer than `timeoutMs`. The server may still be rendering (and
 * billing) the video, so `mayHaveBeenAccepted` is true and the client does not re-send it.
 */
export class APITimeoutError extends SoraError {
  override readonly name: string = "APITimeoutError";
  /** The per-attempt timeout that expired, in milliseconds. */
  readonly timeoutMs: number;

  constructor(timeoutMs: number, cause?: unknown) {
    super(`Request timed out after ${timeoutMs} ms; the generation may still run and be billed. Raise timeoutMs for long renders.`, { mayHaveBeenAccepted: true, cause });
    this.timeoutMs = timeoutMs;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), timeoutMs: this.timeoutMs };
  }
}

/**
 * Thrown when the caller's AbortSignal ended the call. `mayHaveBeenAccepted` is true when the
 * request had already been sent (the server may go on rendering), false when it was aborted before
 * any attempt or during a retry wait after a certain rejection.
 */
export class APIUserAbortError extends SoraError {
  override readonly name: string = "APIUserAbortError";

  constructor(mayHaveBeenAccepted: boolean, cause?: unknown) {
    super(`Request aborted by the caller${mayHaveBeenAccepted ? "; it had been sent, so the generation may still run and be billed" : " before it was sent"}.`, { mayHaveBeenAccepted, cause });
  }
}
