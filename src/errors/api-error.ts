import { SoraError } from "./sora-error";
import { APITimeoutError } from "./transport-errors";

/** What an APIError is built from: the HTTP exchange, with the body already parsed, capped and redacted. */
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
  /** Overrides the status's own verdict (a 200 carrying an error body may have been billed). */
  mayHaveBeenAccepted?: boolean;
}

/** The gateway's documented error envelope: `{"error": {"code", "message", "type", "param"}}`. */
interface Envelope {
  code?: unknown;
  message?: unknown;
  type?: unknown;
  param?: unknown;
}

function envelopeOf(body: unknown): Envelope {
  if (typeof body !== "object" || body === null) return {};
  const error = (body as { error?: unknown }).error;
  if (typeof error === "object" && error !== null) return error as Envelope;
  const record = body as { message?: unknown; detail?: unknown; title?: unknown };
  return { message: typeof error === "string" ? error : (record.message ?? record.detail ?? record.title) };
}

const DETAIL_LIMIT = 200;

function capped(text: string): string {
  return text.length > DETAIL_LIMIT ? `${text.slice(0, DETAIL_LIMIT)}…` : text;
}

function detailOf(body: unknown): string {
  if (typeof body === "string") {
    const text = body.trim();
    return /^</.test(text) ? "(HTML error page)" : capped(text);
  }
  const { message } = envelopeOf(body);
  return typeof message === "string" ? capped(message) : "";
}

/**
 * Thrown when the API answered with an error: a non-2xx status, or a 200 whose body is the error
 * envelope instead of a result. Carries `status`, the response `headers`, the parsed `body` (JSON
 * when it parses, else text; capped at 64 KiB and redacted), `requestId` to quote to the provider,
 * and the envelope's `code`, `type` and `param`. Its message quotes the server's message.
 * A 4xx means the request was rejected and not billed; a 5xx may come after the render started,
 * so it may be billed. Subclasses name the statuses a caller handles differently.
 */
export class APIError extends SoraError {
  override readonly name: string = "APIError";
  /** The HTTP status code (for a 200 carrying an error, the envelope's `code`). */
  readonly status: number;
  /** The response headers (never the request's, so never the key). */
  readonly headers: Headers;
  /** The response body: parsed JSON when it parsed, otherwise text; capped at 64 KiB. */
  readonly body: unknown;
  /** The provider's request ID, when a response header carried one. */
  readonly requestId: string | undefined;
  /** The envelope's `error.code` (the gateway sets it to the HTTP status). */
  readonly code: number | string | undefined;
  /** The envelope's `error.type`, e.g. "content_policy_violation". */
  readonly type: string | undefined;
  /** The envelope's `error.param`: the request field at fault, when the gateway says. */
  readonly param: string | undefined;

  constructor(init: APIErrorInit) {
    const detail = detailOf(init.body);
    const request = init.requestId ? ` (request ${init.requestId})` : "";
    const status = `${init.status}${init.statusText ? ` ${init.statusText}` : ""}`;
    const message = `${init.endpoint} → ${status}${request}${detail ? `: ${detail}` : ""}${init.hint ? `. ${init.hint}` : ""}`;
    super(message, { mayHaveBeenAccepted: init.mayHaveBeenAccepted ?? (init.status >= 500 || init.status < 400) });
    const envelope = envelopeOf(init.body);
    this.status = init.status;
    this.headers = init.headers;
    this.body = init.body;
    this.requestId = init.requestId;
    this.code = typeof envelope.code === "number" || typeof envelope.code === "string" ? envelope.code : undefined;
    this.type = typeof envelope.type === "string" ? envelope.type : undefined;
    this.param = typeof envelope.param === "string" ? envelope.param : undefined;
  }

  override toJSON(): Record<string, unknown> {
    const { status, requestId, code, type, param, body } = this;
    return { ...super.toJSON(), status, requestId, code, type, param, body };
  }
}

/** 400: bad or missing parameters. Not billed. */
export class BadRequestError extends APIError {
  override readonly name: string = "BadRequestError";
}
/** 401: the key is missing, wrong or revoked. Not billed. */
export class AuthenticationError extends APIError {
  override readonly name: string = "AuthenticationError";
}
/** 402: the account has insufficient credits. Not billed, not retried: top up, then send again. */
export class InsufficientCreditsError extends APIError {
  override readonly name: string = "InsufficientCreditsError";
}
/** 403 (not a moderation verdict): the key may not use this model or endpoint. Not billed. */
export class PermissionDeniedError extends APIError {
  override readonly name: string = "PermissionDeniedError";
}
/**
 * The input was refused by moderation: a 403 the gateway flags as moderation, or a 422 with
 * `type: "content_policy_violation"`. A rejected input is not billed; re-sending it as is fails again.
 */
export class ContentPolicyError extends APIError {
  override readonly name: string = "ContentPolicyError";
}
/** 404: wrong base URL or path, an unknown model, or (remix) an unknown `video_id`. Not billed. */
export class NotFoundError extends APIError {
  override readonly name: string = "NotFoundError";
}
/** 422: the server rejected the body's content (other than a content-policy verdict). Not billed. */
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
/** 500 and above (502 model down, 503 no provider): the render may have started, so it may be billed. */
export class InternalServerError extends APIError {
  override readonly name: string = "InternalServerError";
}

type APIErrorClass = new (init: APIErrorInit) => APIError;

const POLICY = /moderat|flagged|content[_ ]polic|safety/i;

function isPolicyVerdict(status: number, body: unknown): boolean {
  const { type, message } = envelopeOf(body);
  if (status === 422) return typeof type === "string" && POLICY.test(type);
  return [type, message].some((text) => typeof text === "string" && POLICY.test(text));
}

/** The one status → class table (403 and 422 become ContentPolicyError on a moderation verdict). */
const CLASS_BY_STATUS: ReadonlyMap<number, APIErrorClass> = new Map<number, APIErrorClass>([
  [400, BadRequestError],
  [401, AuthenticationError],
  [402, InsufficientCreditsError],
  [403, PermissionDeniedError],
  [404, NotFoundError],
  [422, UnprocessableEntityError],
  [429, RateLimitError],
]);

const HINT_BY_CLASS: ReadonlyMap<APIErrorClass, string> = new Map<APIErrorClass, string>([
  [
    AuthenticationError,
    'Check ONEROUTER_API_KEY (or the apiKey option), and authScheme if your gateway expects "Bearer <key>"',
  ],
  [InsufficientCreditsError, "Top up the account's credits, then send it again; nothing was billed"],
  [PermissionDeniedError, "Check that the key may use this model"],
  [ContentPolicyError, "The input was refused by moderation and not billed; change the prompt or image"],
  [NotFoundError, "Check baseUrl, the model name and (for a remix) the video_id"],
  [RateLimitError, "Rate limited: wait and retry"],
  [InternalServerError, "The generation may have started and be billed; it was not re-sent"],
]);

function classFor(status: number, body: unknown): APIErrorClass {
  if ((status === 403 || status === 422) && isPolicyVerdict(status, body)) return ContentPolicyError;
  return CLASS_BY_STATUS.get(status) ?? (status >= 500 ? InternalServerError : APIError);
}

/**
 * Builds the error for an answer the API gave: the APIError subclass for its status (400, 401, 402,
 * 403, 404, 422, 429, ≥500, else APIError; a moderation verdict is ContentPolicyError), or for a
 * 408 an APITimeoutError: the gateway timed out, and the render may have been running.
 */
export function apiErrorFor(init: Omit<APIErrorInit, "hint">): APIError | APITimeoutError {
  if (init.status === 408) {
    const detail = detailOf(init.body);
    const request = init.requestId ? ` (request ${init.requestId})` : "";
    const message = `${init.endpoint} → 408${init.statusText ? ` ${init.statusText}` : ""}${request}${detail ? `: ${detail}` : ""}`;
    const advice = "The gateway timed out; the render may have been running and be billed; it was not re-sent";
    return new APITimeoutError(0, undefined, { message: `${message}. ${advice}`, requestId: init.requestId });
  }
  const ErrorClass = classFor(init.status, init.body);
  return new ErrorClass({ ...init, hint: HINT_BY_CLASS.get(ErrorClass) });
}

/** Parses Retry-After (seconds or an HTTP date) into milliseconds from now; undefined if absent or unparsable. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
