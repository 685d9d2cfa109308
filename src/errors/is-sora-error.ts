import { SoraError } from "./sora-error";
import { ConfigurationError } from "./configuration-error";
import { RequestValidationError, ResponseValidationError } from "./validation-errors";
import {
  APIError,
  AuthenticationError,
  BadRequestError,
  ContentPolicyError,
  InsufficientCreditsError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  UnprocessableEntityError,
} from "./api-error";
import { APIConnectionError, APITimeoutError, APIUserAbortError } from "./transport-errors";
import { DownloadError } from "./download-error";
import { TaskFailedError, TaskLookupError, TaskPendingError } from "./task-errors";

/** Every error class of the package, by its stable `name`. */
const FAMILY = {
  SoraError,
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
} as const;

/** The name of an error class of this package, e.g. "RateLimitError". */
export type SoraErrorName = keyof typeof FAMILY;

/** The error type a name stands for: `SoraErrorOf<"RateLimitError">` is `RateLimitError`. */
export type SoraErrorOf<N extends SoraErrorName> = InstanceType<(typeof FAMILY)[N]>;

/**
 * True for any error of this package, matched by class or by `name`, so an error thrown by a
 * second copy of the package (or from another realm) still matches. With `name`, true only for
 * that kind (and its subclasses), and the type narrows: `isSoraError(e, "RateLimitError")` makes
 * `e` a RateLimitError.
 */
export function isSoraError<N extends SoraErrorName = "SoraError">(error: unknown, name?: N): error is SoraErrorOf<N> {
  if (typeof error !== "object" || error === null) return false;
  const wanted = name ?? "SoraError";
  if (error instanceof FAMILY[wanted]) return true;
  const errorName = (error as { name?: unknown }).name;
  if (!("mayHaveBeenAccepted" in error) || typeof errorName !== "string") return false;
  return name === undefined ? errorName in FAMILY : errorName === name;
}
