import { SoraError } from "./sora-error";

/** What an APIError is built from: the HTTP exchange, with the body already parsed and capped. */
export interface APIErrorInit {
  /** Method and path of the request, e.g. "POST /v1/videos/generations". */
  endpoint: string;
  status: number;
  statusText: string;
  headers: Headers;
  body: unknown;
  requestId: string | undefined;
  /** Extra advice appended to the message. */
  hint?: string;
}

/**
 * Thrown when the API answered with a non-2xx status. Carries `status`, the response `headers`,
 * the parsed `body` (JSON when it parses, else text, capped in size) and `requestId` (from
 * x-request-id or a similar header) to quote to the provider. A 4xx means the request was
 * rejected and not billed; a 5xx may come after the generation started, so it may be billed.
 * Subclasses name the statuses a caller handles differently; `APIError` itself covers the rest.
 */
export class APIError extends SoraError {
  override readonly name: string = "APIError";
  /** The HTTP status code. */
  readonly status: number;
  /** The response headers (never the request's, so never the key). */
  readonly headers: Headers;
  /** The response body: parsed JSON when it parsed, otherwise text; capped at 64 KiB. */
  readonly body: unknown;
  /** The provider's request ID, when a response header carried one. */
  readonly requestId: string | undefined;

  constructor(init: APIErrorInit) {
    const detail = detailOf(init.body);
    const request = init.requestId ? ` (request ${init.requestId})` : "";
    const message = `${init.endpoint} → ${init.status}${init.statusText ? ` ${init.statusText}` : ""}${request}${detail ? `: ${detail}` : ""}${init.hint ? `. ${init.hint}` : ""}`;
    super(message, { mayHaveBeenAccepted: init.status >= 500 || init.status < 400 });
    this.status = init.status;
    this.headers = init.headers;
    this.body = init.body;
    this.requestId = init.requestId;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), status: this.status, requestId: this.requestId, body: this.body };
  }
}

/** 400: the server rejected the request as malformed. Not billed. */
export class BadRequestError extends APIError {
  override readonly name: string = "BadRequestError";
}
/** 401: the key is missing, wrong or revoked. Not billed. */
export class AuthenticationError extends APIError {
  override readonly name: string = "AuthenticationError";
}
/** 403: the key may not use this model or endpoint (or the account has no credit). Not billed. */
export class PermissionDeniedError extends APIError {
  override readonly name: string = "PermissionDeniedError";
}
/** 404: wrong base URL or path, or the model is gone. Not billed. */
export class NotFoundError extends APIError {
  override readonly name: string = "NotFoundError";
}
/** 422: the server rejected the body's content. Not billed. */
export class UnprocessableEntityError extends APIError {
  override readonly name: string = "UnprocessableEntityError";
}
/** 429: rate limited. Not billed; the client retries it by default, honouring Retry-After. */
export class RateLimitError extends APIError {
  override readonly name: string = "RateLimitError";
  /** How long the server asked to wait, in milliseconds, when it said. */
  get retryAfterMs(): number | undefined {
    return parseRetryAfter(this.headers.get("retry-after"));
  }
}
/** 500 and above: the gateway or the model failed. The generation may have started: may be billed. */
export class InternalServerError extends APIError {
  override readonly name: string = "InternalServerError";
}

type APIErrorClass = new (init: APIErrorInit) => APIError;

/** The one status → class table. */
const CLASS_BY_STATUS: ReadonlyMap<number, APIErrorClass> = new Map<number, APIErrorClass>([
  [400, BadRequestError],
  [401, AuthenticationError],
  [403, PermissionDeniedError],
  [404, NotFoundError],
  [422, UnprocessableEntityError],
  [429, RateLimitError],
]);

const HINT_BY_STATUS: ReadonlyMap<number, string> = new Map([
  [401, "Check ONEROUTER_API_KEY (or the apiKey option), and authScheme if your gateway expects \"Bearer <key>\""],
  [403, "Check that the key may use this model and the account has credit"],
  [404, "Check baseUrl and the model name"],
  [429, "Rate limited: wait and retry"],
]);

/** Builds the APIError subclass for a status: 400, 401, 403, 404, 422, 429, ≥500, else APIError. */
export function apiErrorFor(init: Omit<APIErrorInit, "hint">): APIError {
  const ErrorClass = CLASS_BY_STATUS.get(init.status) ?? (init.status >= 500 ? InternalServerError : APIError);
  const hint = HINT_BY_STATUS.get(init.status) ?? (init.status >= 500 ? "The generation may have started and be billed; it was not re-sent" : undefined);
  return new ErrorClass({ ...init, hint });
}

/** Parses Retry-After (seconds or an HTTP date) into milliseconds from now; undefined if absent or unparsable. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function detailOf(body: unknown): string {
  if (typeof body === "string") {
    const text = body.trim();
    if (/^\s*</.test(text)) return "(HTML error page)";
    return text.length > 200 ? `${text.slice(0, 200)}…` : text;
  }
  if (typeof body === "object" && body !== null) {
    const record = body as { error?: { message?: unknown } | string; message?: unknown; detail?: unknown; title?: unknown };
    const candidate = typeof record.error === "object" ? record.error?.message : (record.error ?? record.message ?? record.detail ?? record.title);
    if (typeof candidate === "string") return candidate.length > 200 ? `${candidate.slice(0, 200)}…` : candidate;
  }
  return "";
}
