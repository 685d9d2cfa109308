import type { components } from "../generated/schema";
import type { OPERATIONS, REQUEST_FACTS } from "../generated/spec-values";
import type { SoraError } from "./errors";
import type { OperationId } from "./operations";

export type { OperationId } from "./operations";

type Schemas = components["schemas"];

/** The path of an operation the vendor pages document, e.g. "/v1/videos/edits". */
export type OperationPath = (typeof OPERATIONS)[OperationId]["path"];

/** An operation's request body exactly as its page defines it (model required). */
export type OperationRequestBody<Id extends OperationId> = `${Id}Request` extends keyof Schemas
  ? Schemas[`${Id}Request`]
  : never;

/** What an operation call takes: the page's body with `model` optional (the page's example model fills it in). */
export type OperationRequest<Id extends OperationId> = Omit<OperationRequestBody<Id>, "model"> & {
  model?: OperationRequestBody<Id>["model"];
};

/** An operation that takes a JSON body (a render: every operation but a status read such as a GET). */
export type RequestOperationId = OperationId & keyof typeof REQUEST_FACTS;

/** An operation's 200 response body. */
export type OperationResponse<Id extends OperationId> = `${Id}Response` extends keyof Schemas
  ? Schemas[`${Id}Response`]
  : never;

/** What any render answers (an operation with a body): what shared code reads is what they all have. */
export type RenderResponse = OperationResponse<RequestOperationId>;

/** The image-to-video request body exactly as its page defines it (model required). */
export type VideoGenerationRequestBody = OperationRequestBody<"createVideoGeneration">;

/**
 * The image-to-video request: the page's body, with `model` optional (the client fills in the
 * page's example, `sora-2-pro-image-to-video`, when it is omitted).
 */
export type VideoGenerationRequest = OperationRequest<"createVideoGeneration">;

/** The 200 response body: `{ created, data: [{ url, revised_prompt, video_id }] }`. */
export type VideoGenerationResponse = OperationResponse<"createVideoGeneration">;

/** The text-to-video request body exactly as its page defines it (model and prompt required, no image_url). */
export type TextToVideoRequestBody = OperationRequestBody<"createTextToVideo">;

/**
 * What `textToVideo` takes: `{ prompt, resolution?, aspect_ratio?, duration?, model? }`; `model`
 * defaults to the page's example, `sora-2-pro-text-to-video`.
 */
export type TextToVideoRequest = OperationRequest<"createTextToVideo">;

/** The text-to-video 200 response body, the same shape as image-to-video's. */
export type TextToVideoResponse = OperationResponse<"createTextToVideo">;

/**
 * What `generateVideo` takes: an image-to-video request (`image_url` required, `model` optional),
 * or any other model served on `POST /v1/videos/generations` with its `model` given, which
 * TypeScript narrows to that model's own body (e.g. text-to-video: no `image_url`, no "auto").
 */
export type GenerateVideoRequest = VideoGenerationRequest | TextToVideoRequestBody;

/** What `generateVideo` answers: the 200 body of the operation the request's model selects. */
export type GenerateVideoResponse = VideoGenerationResponse | TextToVideoResponse;

/** The remix request body exactly as the spec defines it (model, prompt and video_id required). */
export type VideoRemixRequestBody = OperationRequestBody<"createVideoRemix">;

/**
 * What `remixVideo` takes: `{ video_id, prompt, model?, output_format? }`, `video_id` from an earlier
 * Sora generation; `model` defaults to the page's example, `sora-2-video-to-video`.
 */
export type VideoRemixRequest = OperationRequest<"createVideoRemix">;

/** The remix's 200 response body, the same shape as a generation's. */
export type VideoRemixResponse = OperationResponse<"createVideoRemix">;

/** One generated video in a response's `data`. */
export type GeneratedVideo = VideoGenerationResponse["data"][number];

/** The gateway's documented error envelope: `{"error": {"code", "message", "type", "param"}}`. */
export type ErrorResponseBody = Schemas["ErrorResponse"];

/** Allowed image-to-video `resolution` values, from its page. */
export type Resolution = NonNullable<VideoGenerationRequestBody["resolution"]>;
/** Allowed image-to-video `aspect_ratio` values, from its page. */
export type AspectRatio = NonNullable<VideoGenerationRequestBody["aspect_ratio"]>;
/** Allowed `duration` values (seconds, as strings), from the image-to-video page. */
export type Duration = NonNullable<VideoGenerationRequestBody["duration"]>;

/** Where the client's diagnostics go. Only `warn` is required; no line ever contains the API key. */
export interface Logger {
  /** Response contract problems (with validateResponses "warn"), once per distinct problem. */
  warn(message: string): void;
  /** One line per attempt and retry decision, when given. */
  debug?(message: string): void;
}

/** A heartbeat while a call is open. */
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
  /**
   * Where `waitForTask` reads a task's status: a template with `{task_id}` (and optionally
   * `{baseUrl}`), on the API's origin. Experimental: no vendor page documents the endpoint yet; the
   * default follows third-party clients. @default "{baseUrl}/v1/videos/tasks/{task_id}"
   */
  taskUrl?: string;
  /** Allow plain http to a non-loopback host. For tests behind a trusted proxy only: the key travels in clear text. @default false */
  allowInsecureHttp?: boolean;
}

/** Options of one call: `generateVideo`, `remixVideo` or `call`. */
export interface CallOptions {
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

/** What `waitForTask` reports on each poll. */
export interface TaskProgress {
  /** Milliseconds since the wait started. */
  elapsedMs: number;
  /** Polls answered so far. */
  polls: number;
  /** The last status seen ("submitted" before the first answer). */
  status: string;
}

/** Options of `waitForTask`. */
export interface WaitForTaskOptions {
  /** Ends the wait (not the task) with APIUserAbortError. */
  signal?: AbortSignal;
  /** Called after every poll. */
  onProgress?: (progress: TaskProgress) => void;
  /** Time between polls, in ms. @default 3000 */
  pollIntervalMs?: number;
  /** How long to wait in all; then TaskPendingError (still running, here is the id), never "failed". @default 600000 */
  timeoutMs?: number;
}

/** A finished task: its video in a generation's shape, and the task's id. */
export interface TaskResult {
  created: number;
  data: GeneratedVideo[];
  /** The task that made it. */
  task_id: string;
}

/** The options of `generateVideo` (the same as every call's). */
export type GenerateVideoOptions = CallOptions;
