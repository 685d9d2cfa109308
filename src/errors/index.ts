export { SoraError, type SoraErrorOptions } from "./sora-error";
export { isSoraError, type SoraErrorName, type SoraErrorOf } from "./is-sora-error";
export { ConfigurationError } from "./configuration-error";
export {
  RequestValidationError,
  ResponseValidationError,
  summarizeIssues,
  type ValidationIssue,
} from "./validation-errors";
export {
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
  apiErrorFor,
  parseRetryAfter,
  type APIErrorInit,
} from "./api-error";
export { APIConnectionError, APITimeoutError, APIUserAbortError } from "./transport-errors";
export { DownloadError } from "./download-error";
export { TaskPendingError, TaskFailedError, TaskLookupError, type TaskErrorInit } from "./task-errors";
