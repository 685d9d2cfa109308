/**
 * sora-video-client: a typed client for the gateway's Sora video operations (image-to-video,
 * text-to-video and remix), generated from the vendor's OpenAPI pages. This entry is fetch-only and runs wherever fetch exists (browsers, edge,
 * Deno, Bun); Node gets `sora-video-client` through the `node` export condition, which adds
 * long-call transport and downloads to disk.
 */
export { createSoraClient, type SoraClient } from "./client";
export {
  SoraError,
  isSoraError,
  ConfigurationError,
  RequestValidationError,
  ResponseValidationError,
  APIError,
  BadRequestError,
  AuthenticationError,
  InsufficientCreditsError,
  PermissionDeniedError,
  ContentPolicyError,
  NotFoundError,
  UnprocessableEntityError,
  RateLimitError,
  InternalServerError,
  APIConnectionError,
  APITimeoutError,
  APIUserAbortError,
  DownloadError,
  TaskPendingError,
  TaskFailedError,
  TaskLookupError,
  type ValidationIssue,
  type SoraErrorName,
  type SoraErrorOf,
} from "./errors";
export type {
  OperationId,
  OperationPath,
  OperationRequest,
  OperationRequestBody,
  OperationResponse,
  VideoRemixRequest,
  VideoRemixRequestBody,
  VideoRemixResponse,
  CallOptions,
  TaskProgress,
  TaskResult,
  WaitForTaskOptions,
  VideoGenerationRequest,
  VideoGenerationRequestBody,
  VideoGenerationResponse,
  TextToVideoRequest,
  TextToVideoRequestBody,
  TextToVideoResponse,
  GenerateVideoRequest,
  GenerateVideoResponse,
  GeneratedVideo,
  ErrorResponseBody,
  Resolution,
  AspectRatio,
  Duration,
  SoraClientOptions,
  GenerateVideoOptions,
  GenerationProgress,
  RetryPolicy,
  RetryContext,
  RetryNotice,
  Logger,
} from "./types";
export type { OperationCaller } from "./call";
export type { TaskWaiter } from "./wait-for-task";
export type { paths, components, operations } from "../generated/schema";
export { DEFAULT_BASE_URL, OPERATIONS, REQUEST_FACTS } from "../generated/spec-values";
export { DEFAULT_MODEL, REQUEST_ENUMS, REQUEST_DEFAULTS, REQUIRED_REQUEST_FIELDS } from "./spec-aliases";
