/**
 * sora-video-client: a typed client for the Sora 2 Pro image-to-video API, generated from the
 * vendor's OpenAPI spec. This entry is fetch-only and runs wherever fetch exists (browsers, edge,
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
  PermissionDeniedError,
  NotFoundError,
  UnprocessableEntityError,
  RateLimitError,
  InternalServerError,
  APIConnectionError,
  APITimeoutError,
  APIUserAbortError,
  DownloadError,
  type ValidationIssue,
} from "./errors";
export type {
  VideoGenerationRequest,
  VideoGenerationRequestBody,
  VideoGenerationResponse,
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
export type { paths, components, operations } from "../generated/schema";
export { DEFAULT_BASE_URL, DEFAULT_MODEL, REQUEST_ENUMS, REQUEST_DEFAULTS, REQUIRED_REQUEST_FIELDS } from "../generated/spec-values";
