import type { operations } from "../generated/schema";
import type { SoraError } from "./errors";

type Operation = operations["createVideoGeneration"];

/** The request body exactly as the spec defines it (model required). */
export type VideoGenerationRequestBody = Operation["requestBody"]["content"]["application/json"];

/**
 * What `generateVideo` takes: the spec's request body, with `model` optional (the client fills in
 * the vendor's documented example, `sora-2-pro-image-to-video`, when it is omitted).
 */
export type VideoGenerationRequest = Omit<VideoGenerationRequestBody, "model"> & { model?: VideoGenerationRequestBody["model"] };

/** The 200 response body: `{ created, data: [{ url, revised_prompt, video_id }] }`. */
export type VideoGenerationResponse = Operation["responses"][200]["content"]["application/json"];

/** One generated video in a response's `data`. */
export type GeneratedVideo = VideoGenerationResponse["data"][number];

/** The error body gateways send (undocumented by the vendor; every field optional). */
export type ErrorResponseBody = Operation["responses"]["4XX"]["content"]["application/json"];

/** Allowed `resolution` values, from the spec. */
export type Resolution = NonNullable<VideoGenerationRequestBody["resolution"]>;
/** Allowed `aspect_ratio` values, from the spec. */
export type AspectRatio = NonNullable<VideoGenerationRequestBody["aspect_ratio"]>;
/** Allowed `duration` values (seconds, as strings), from the spec. */
export type Duration = NonNullable<VideoGenerationRequestBody["duration"]>;

/** Where the client's diagnostics go. Only `warn` is required; no line ever contains the API key. */
export interface Logger {
  /** Response contract problems (with validateResponses "warn"), once per distinct problem. */
  warn(message: string): void;
  /** One line per attempt and retry decision, when given. */
  debug?(message: string): void;
}

/** A heartbeat while a generation call is open. */
export interface GenerationProgress {
  /** Milliseconds since the call started (all attempts). */
  elapsedMs: number;
  /** The attempt in flight, from 1. */
  attempt: number;
}

/** What a retry predicate is told about a failed attempt. */
export interface RetryContext {
  /** The error the attempt ended with. */
  error: SoraError;
  /** The attempt that failed, from 1. */
  attempt: number;
}

/** What `onRetry` is told: a failed attempt that will be re-sent after `delayMs`. */
export interface RetryNotice extends RetryContext {
  /** How long the client waits before re-sending, in ms (a 429's Retry-After, or back-off). */
  delayMs: number;
}

/**
 * Which failures are re-sent. `"safe"` (default): only what the server certainly did not accept
 * (429, connection refused, DNS failure). `"unsafe"`: also 5xx, timeouts and resets, which MAY
 * BILL TWICE. A function decides per failure (it is consulted only while retries remain).
 */
export type RetryPolicy = "safe" | "unsafe" | ((context: RetryContext) => boolean);

/** Options of `createSoraClient`. Every one is optional. */
export interface SoraClientOptions {
  /** The API key. @default process.env.ONEROUTER_API_KEY (a ConfigurationError if neither is set) */
  apiKey?: string;
  /** How the key is sent in `Authorization`: "raw" (`<key>`, as the vendor documents) or "bearer" (`Bearer <key>`). @default "raw" */
  authScheme?: "raw" | "bearer";
  /** The API's origin. Plain http is refused unless the host is loopback. @default the spec's servers[0].url */
  baseUrl?: string;
  /** Per-attempt timeout in milliseconds, honoured past Node's 300 s fetch limit in the Node build. @default 600000 */
  timeoutMs?: number;
  /** How many times a failed attempt may be re-sent (see `retry`). @default 2 */
  maxRetries?: number;
  /** Which failures are re-sent. @default "safe" */
  retry?: RetryPolicy;
  /** Longest Retry-After the client will sleep, in ms; a longer one fails at once with RateLimitError. @default 60000 */
  maxRetryAfterMs?: number;
  /** Reject invalid bodies with RequestValidationError before any network traffic. @default true */
  validateRequests?: boolean;
  /** Check 200 bodies against the spec: "off", "warn" (log once per problem, return the data) or "throw" (ResponseValidationError). @default "warn" */
  validateResponses?: "off" | "warn" | "throw";
  /** Where warnings (and debug lines, if it has `debug`) go. @default console */
  logger?: Logger;
  /** The fetch implementation. @default globalThis.fetch (the Node build: the built-in fetch with an undici Agent whose transport timeouts are lifted) */
  fetch?: typeof globalThis.fetch;
  /** Headers added to every request (Authorization cannot be overridden here). @default {} */
  headers?: Record<string, string>;
  /** Allow plain http to a non-loopback host. For tests behind a trusted proxy only: the key travels in clear text. @default false */
  allowInsecureHttp?: boolean;
}

/** Options of one `generateVideo` call. */
export interface GenerateVideoOptions {
  /** Ends the call (and any retry wait) with APIUserAbortError. */
  signal?: AbortSignal;
  /** This call's per-attempt timeout in ms. @default the client's timeoutMs */
  timeoutMs?: number;
  /** Called about every `progressIntervalMs` while the call is open. */
  onProgress?: (progress: GenerationProgress) => void;
  /** Heartbeat interval for onProgress, in ms. @default 1000 */
  progressIntervalMs?: number;
  /**
   * Called when an attempt failed and will be re-sent, before the wait. `error.mayHaveBeenAccepted`
   * says whether that attempt may have been billed (with the default `retry: "safe"`, never). A
   * batch journals it, so a crash during a Retry-After wait leaves the job safe to send again. Must
   * not throw.
   */
  onRetry?: (notice: RetryNotice) => void;
}
