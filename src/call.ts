import type { Client } from "openapi-fetch";
import type { paths } from "../generated/schema";
import { OPERATIONS } from "../generated/spec-values";
import {
  APITimeoutError,
  APIUserAbortError,
  ConfigurationError,
  RateLimitError,
  RequestValidationError,
  ResponseValidationError,
  SoraError,
  TaskPendingError,
  apiErrorFor,
  type APIErrorInit,
  type ValidationIssue,
} from "./errors";
import { pendingTaskOf } from "./task-answer";
import { checkTimeout, type ResolvedOptions } from "./options";
import { jsonOrText, requestIdOf } from "./read-body";
import { redactHeaders, redactValue } from "./redact";
import { attemptSignal } from "./deadline";
import { abortableWait, backoffMs, shouldRetry } from "./retry";
import { connectionError } from "./transport-failure";
import { operationRequestIssues, responseIssues } from "./validation";
import type { GuardedFetch } from "./guarded-fetch";
import { defaultModelOf, type OperationId } from "./operations";
import type { CallOptions, OperationRequest, OperationResponse } from "./types";

/** openapi-fetch's POST, loosely typed: the generic caller serves every path of `paths`. */
type Post = (
  path: string,
  init: { body: unknown; signal: AbortSignal; parseAs: "text"; fetch: GuardedFetch },
) => Promise<{ data?: string; error?: unknown; response: Response }>;

/** Calls one documented operation, named by its operationId, with the client's whole policy. */
export type OperationCaller = <Id extends OperationId>(
  operation: Id,
  request: OperationRequest<Id>,
  options?: CallOptions,
) => Promise<OperationResponse<Id>>;

/** A 200 whose body is the error envelope (and no result) is a billed failure, never a success. */
function errorEnvelopeCode(data: unknown): number | undefined | false {
  if (typeof data !== "object" || data === null) return false;
  const { error, data: result } = data as { error?: unknown; data?: unknown };
  if (typeof error !== "object" || error === null || result !== undefined) return false;
  const code = (error as { code?: unknown }).code;
  const status = typeof code === "string" ? Number(code) : code;
  return typeof status === "number" && Number.isInteger(status) && status >= 100 && status <= 599 ? status : undefined;
}

/**
 * Makes the one request path: every call goes through openapi-fetch's `api.POST` (so middleware
 * added with `api.use()` sees each attempt), inside one loop that owns validation, the per-attempt
 * timeout, money-safe retries, progress, error mapping and response checks.
 */
export function createCaller(
  options: ResolvedOptions,
  api: Client<paths, "application/json">,
  guarded: GuardedFetch,
): OperationCaller {
  const post = api.POST as unknown as Post;
  const warned = new Set<string>();
  const { logger } = options;

  function retryDelay(error: SoraError, attemptNumber: number): number | undefined {
    if (attemptNumber > options.maxRetries || !shouldRetry(options.retry, error, attemptNumber)) return undefined;
    if (!(error instanceof RateLimitError)) return backoffMs(attemptNumber);
    const asked = error.retryAfterMs;
    if (asked !== undefined && asked > options.maxRetryAfterMs) return undefined;
    return asked ?? backoffMs(attemptNumber);
  }

  // The caller's data is the answer as received; what an error carries out of the package (its
  // message, body, headers, request id, issues, cause) is redacted here, where errors are built.
  const exposed = <T>(value: T): T => redactValue(value, options.apiKey);

  const answerError = (init: Omit<APIErrorInit, "hint">) =>
    apiErrorFor({ ...exposed(init), headers: redactHeaders(init.headers, options.apiKey) });

  // A JSON.parse failure is not kept as the cause: its message quotes the raw body (the key with
  // it); the issue carries that message, redacted.
  function brokenContract(issues: ValidationIssue[], body: unknown, requestId: string | undefined) {
    return new ResponseValidationError(exposed(issues), exposed(body), exposed(requestId));
  }

  function checked(endpoint: string, id: OperationId, text: string | undefined, response: Response): unknown {
    const requestId = requestIdOf(response.headers);
    let data: unknown;
    try {
      data = JSON.parse(text ?? "");
    } catch (error) {
      const issue = { path: "", message: `is not valid JSON (${(error as Error).message})` };
      throw brokenContract([issue], text ?? "", requestId);
    }
    const task = pendingTaskOf(data);
    if (task) {
      throw new TaskPendingError(exposed({ ...task, status: "submitted", answer: data, requestId }));
    }
    const code = errorEnvelopeCode(data);
    if (code !== false) {
      const status = code ?? response.status;
      throw answerError({
        endpoint,
        status,
        statusText: "",
        headers: response.headers,
        body: data,
        requestId,
        mayHaveBeenAccepted: true,
      });
    }
    if (options.validateResponses === "off") return data;
    const issues = responseIssues(id, data);
    if (issues.length === 0) return data;
    if (options.validateResponses === "throw") throw brokenContract(issues, data, requestId);
    for (const issue of issues) {
      const key = `${endpoint} ${issue.path} ${issue.message}`;
      if (warned.has(key)) continue;
      warned.add(key);
      logger.warn(
        exposed(`sora-video-client: ${endpoint} response breaks the spec: ${issue.path || "(body)"} ${issue.message}`),
      );
    }
    return data;
  }

  async function send(
    endpoint: string,
    id: OperationId,
    body: unknown,
    signal: AbortSignal | undefined,
    timeoutMs: number,
  ) {
    const deadline = attemptSignal(signal, timeoutMs);
    let answered = false;
    const fetch: GuardedFetch = (request) => guarded(request).then((response) => ((answered = true), response));
    let result: Awaited<ReturnType<Post>>;
    try {
      result = await post(OPERATIONS[id].path, { body, signal: deadline.signal, parseAs: "text", fetch });
    } catch (error) {
      if (error instanceof SoraError) throw error;
      if (signal?.aborted) throw new APIUserAbortError(true, error);
      if (deadline.timedOut) throw new APITimeoutError(timeoutMs, error);
      const phase = answered ? " while reading the response" : "";
      throw connectionError(error, `${endpoint} (${new URL(options.baseUrl).host})${phase}`);
    } finally {
      deadline.dispose();
    }
    const { response } = result;
    if (response.ok) return checked(endpoint, id, result.data, response);
    const redirected = response.type === "opaqueredirect" || (response.status >= 300 && response.status < 400);
    const location = response.headers.get("location");
    const answer = redirected
      ? `redirect${location ? ` to ${originOf(location, options.baseUrl)}` : ""} not followed, so the key is not sent elsewhere`
      : typeof result.error === "string"
        ? jsonOrText(result.error)
        : result.error;
    const { status, statusText, headers } = response;
    throw answerError({ endpoint, status, statusText, headers, body: answer ?? "", requestId: requestIdOf(headers) });
  }

  return async function call<Id extends OperationId>(
    id: Id,
    request: OperationRequest<Id>,
    callOptions: CallOptions = {},
  ) {
    const operation = Object.hasOwn(OPERATIONS, id) ? OPERATIONS[id] : undefined;
    if (!operation) {
      const known = Object.keys(OPERATIONS).join(", ");
      throw new ConfigurationError(
        "operation",
        `No documented operation is called ${JSON.stringify(id)} (known: ${known}).`,
      );
    }
    const endpoint = `${operation.method} ${operation.path}`;
    const body = { model: defaultModelOf(id), ...request };
    if (options.validateRequests) {
      const issues = operationRequestIssues(id, body);
      if (issues.length > 0) throw new RequestValidationError(issues, endpoint);
    }
    const { signal, onProgress } = callOptions;
    const timeoutMs =
      callOptions.timeoutMs === undefined ? options.timeoutMs : checkTimeout("timeoutMs", callOptions.timeoutMs);
    const started = Date.now();
    let attemptNumber = 1;
    const heartbeat = onProgress
      ? setInterval(
          () => onProgress({ elapsedMs: Date.now() - started, attempt: attemptNumber }),
          callOptions.progressIntervalMs ?? 1000,
        )
      : undefined;
    try {
      for (;;) {
        if (signal?.aborted) throw new APIUserAbortError(false, signal.reason);
        logger.debug?.(`${endpoint}: attempt ${attemptNumber}`);
        try {
          return (await send(endpoint, id, body, signal, timeoutMs)) as OperationResponse<Id>;
        } catch (error) {
          const failure = error as SoraError;
          const delay = retryDelay(failure, attemptNumber);
          if (delay === undefined) throw failure;
          callOptions.onRetry?.({ error: failure, attempt: attemptNumber, delayMs: delay });
          logger.debug?.(`${endpoint}: attempt ${attemptNumber} failed (${failure.name}); retrying in ${delay} ms`);
          await abortableWait(delay, signal);
          attemptNumber += 1;
        }
      }
    } finally {
      if (heartbeat !== undefined) clearInterval(heartbeat);
    }
  };
}

function originOf(location: string, base: string): string {
  try {
    return new URL(location, base).origin;
  } catch {
    return "an unparsable location";
  }
}
