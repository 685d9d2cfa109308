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
 * Thrown when an attempt took longer than `timeoutMs`, or when the gateway answered 408 (its own
 * timeout). The server may still be rendering (and billing) the video, so `mayHaveBeenAccepted` is
 * true and the client does not re-send it.
 */
export class APITimeoutError extends SoraError {
  override readonly name: string = "APITimeoutError";
  /** The client's per-attempt timeout that expired, in milliseconds; undefined for a gateway 408. */
  readonly timeoutMs: number | undefined;
  /** 408 when the gateway reported the timeout; undefined when the client's own clock ran out. */
  readonly status: number | undefined;
  /** The provider's request ID, when the gateway's 408 carried one. */
  readonly requestId: string | undefined;

  /** `server`: the gateway's 408, its message already composed (endpoint, status, the server's words). */
  constructor(timeoutMs: number, cause?: unknown, server?: { message: string; requestId: string | undefined }) {
    const own = `Request timed out after ${timeoutMs} ms; the generation may still run and be billed. Raise timeoutMs for long renders.`;
    super(server?.message ?? own, { mayHaveBeenAccepted: true, cause });
    this.timeoutMs = server ? undefined : timeoutMs;
    this.status = server ? 408 : undefined;
    this.requestId = server?.requestId;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), timeoutMs: this.timeoutMs, status: this.status, requestId: this.requestId };
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
    super(
      `Request aborted by the caller${mayHaveBeenAccepted ? "; it had been sent, so the generation may still run and be billed" : " before it was sent"}.`,
      { mayHaveBeenAccepted, cause },
    );
  }
}
