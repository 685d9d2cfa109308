import {
  APIConnectionError,
  APITimeoutError,
  APIUserAbortError,
  InternalServerError,
  RateLimitError,
  TaskPendingError,
  type SoraError,
} from "./errors";
import type { RetryPolicy } from "./types";

/**
 * True when the server certainly did not accept the failed attempt, so re-sending cannot bill
 * twice: a 429, or a connection that never reached the server (refused, DNS).
 */
function isCertainlyRejected(error: SoraError): boolean {
  return error instanceof RateLimitError || (error instanceof APIConnectionError && !error.mayHaveBeenAccepted);
}

/** Whether `policy` allows re-sending after `error` (retries remaining is the caller's check). */
export function shouldRetry(policy: RetryPolicy, error: SoraError, attempt: number): boolean {
  // An accepted task is a paid render in progress: sending again would start (and bill) another.
  if (error instanceof TaskPendingError) return false;
  if (typeof policy === "function") return policy({ error, attempt });
  if (isCertainlyRejected(error)) return true;
  if (policy !== "unsafe") return false;
  return (
    error instanceof InternalServerError || error instanceof APITimeoutError || error instanceof APIConnectionError
  );
}

/** Exponential back-off with full jitter: up to 0.5 s, 1 s, 2 s … capped at 8 s. */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(8_000, 500 * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** Waits `ms` like `sleep`; the caller's abort ends the wait with APIUserAbortError (nothing was sent). */
export function abortableWait(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return sleep(ms, signal).catch((reason: unknown) => {
    throw new APIUserAbortError(false, reason);
  });
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. Leaves no timer behind. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
