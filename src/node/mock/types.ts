/** Options of `startMockServer`. Every one is optional. */
export interface MockServerOptions {
  /** The port to listen on; 0 picks a free one. @default 0 */
  port?: number;
  /** The interface to listen on. @default "127.0.0.1" */
  host?: string;
  /** Simulated render time of each accepted generation, in ms (cut short if the client goes away). @default 0 */
  latencyMs?: number;
  /**
   * When set, `Authorization` must be this key, raw or as `Bearer <key>` (else 401). When unset,
   * any non-empty `Authorization` is accepted; a missing one is always a 401.
   */
  apiKey?: string;
  /**
   * Serve a synthetic video of exactly this many bytes instead of the 7959-byte sample: the sample
   * with its `mdat` box padded with zeros, so it is still a valid MP4. Streamed in constant memory
   * (for big-download tests and benchmarks). At least the sample's size, below 4 GiB.
   * @default the sample's size
   */
  videoBytes?: number;
}

/**
 * A fault for the next generation request. `status` answers with that status (a 429 with
 * `Retry-After`, JSON or an HTML error page); `timeout` accepts the connection and never answers;
 * `reset` destroys the socket once the request has been read.
 */
export type MockFault =
  | { kind: "status"; status: 429 | 500 | 502 | 503; retryAfterSeconds?: number; html?: boolean }
  | { kind: "timeout" }
  | { kind: "reset" };

/** Live counters of a mock server (the same object, updated as requests arrive). */
export interface MockStats {
  /** Generation requests received (`POST /v1/videos/generations`), whatever became of them. */
  requests: number;
  /**
   * Generations accepted: authorised, valid requests that started a render (a real gateway bills
   * these), including ones whose client went away before the render finished.
   */
  accepted: number;
  /** Generation requests answered with an error status (400, 401, 413, 422 or an injected status fault). */
  rejected: number;
  /** The body of every accepted generation, in order. */
  acceptedBodies: Array<Record<string, unknown>>;
  /** Video requests answered with the video (200 or 206; each resumed range request counts). */
  downloads: number;
}

/** A running mock gateway. */
export interface MockServer {
  /** The base URL, e.g. `http://127.0.0.1:54321`: pass it as the client's `baseUrl`. */
  url: string;
  /** The port it listens on. */
  port: number;
  /** Live counters. */
  stats: MockStats;
  /** Queues a fault for the next generation request (first in, first out; each fault is used once). */
  injectFault(fault: MockFault): void;
  /** Stops listening and destroys open connections (pending renders and hung requests included). */
  close(): Promise<void>;
}
