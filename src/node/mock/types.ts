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
  /**
   * `"sync"`: a generation's answer is the finished video, after `latencyMs`. `"async"`: the
   * gateway's asynchronous flow: the answer is at once the task envelope
   * (`{"code": 200, "message": "success", "data": {"task_id": "cgt-…", "status": "queued", …}}`), and
   * `GET /v1/videos/tasks/{task_id}` serves the task: `queued`, then `running` until `latencyMs` has
   * passed, then `succeeded` with `data.video_url`. The submit's `x-mock-task` header picks another
   * end: `failed` (with `fail_reason`) or `stuck` (running for ever). @default "sync"
   */
  mode?: "sync" | "async";
}

/**
 * A fault for the next request to either operation (a generation or a remix). Every JSON error it
 * sends is the gateway's envelope, `{"error": {"code", "message", "type", "param"}}`, with the HTTP
 * status equal to `error.code`:
 * - `status`: that status, each with the gateway's meaning: 402 insufficient credits
 *   (`type: "insufficient_credits"`), 403 input flagged by moderation (`type: "moderation_error"`),
 *   408 the request timed out (`type: "timeout_error"`; the render may have been running), 422 a
 *   content-policy rejection (`type: "content_policy_violation"`, `param: "prompt"`), 429 with
 *   `Retry-After` (default 1 s), 500/502/503 (`type: "server_error"`). With `html`, an HTML error
 *   page instead of JSON (what a proxy in front of the gateway may send: the one non-envelope answer).
 * - `error-body`: a 200 whose body is the envelope with `code` (default 502) and no `data`, as some
 *   gateways answer a failed render: never a success.
 * - `timeout`: accepts the connection and never answers.
 * - `reset`: destroys the socket once the request has been read.
 */
export type MockFault =
  | { kind: "status"; status: MockFaultStatus; retryAfterSeconds?: number; html?: boolean }
  | { kind: "error-body"; code?: number }
  | { kind: "timeout" }
  | { kind: "reset" };

/** The statuses a `status` fault can answer with. */
export type MockFaultStatus = 402 | 403 | 408 | 422 | 429 | 500 | 502 | 503;

/** Live counters of a mock server (the same object, updated as requests arrive). */
export interface MockStats {
  /**
   * Requests to the operations (`POST /v1/videos/generations` and `POST /v1/videos/edits`, the
   * remix), whatever became of them.
   */
  requests: number;
  /**
   * Generations and remixes accepted: authorised, valid requests (a remix of a video this mock
   * made) that started a render (a real gateway bills these), including ones whose client went
   * away before the render finished.
   */
  accepted: number;
  /**
   * Requests answered with an error: 400, 401, 404 (a remix of an unknown `video_id`), 413, 415,
   * or an injected `status` or `error-body` fault.
   */
  rejected: number;
  /** The body of every accepted generation and remix, in order. */
  acceptedBodies: Array<Record<string, unknown>>;
  /** Polls of the task endpoint (async mode). */
  taskPolls: number;
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
  /** Queues a fault for the next generation or remix request (first in, first out; each is used once). */
  injectFault(fault: MockFault): void;
  /** Stops listening and destroys open connections (pending renders and hung requests included). */
  close(): Promise<void>;
}
