import createClient, { type Client } from "openapi-fetch";
import type { paths } from "../generated/schema";
import { DEFAULT_MODEL, GENERATION_OPERATION } from "../generated/spec-values";
import {
  APIError,
  APITimeoutError,
  APIUserAbortError,
  RateLimitError,
  RequestValidationError,
  ResponseValidationError,
  SoraError,
  apiErrorFor,
} from "./errors";
import { checkTimeout, resolveOptions, type ResolvedOptions } from "./options";
import { jsonOrText, readCappedText, requestIdOf } from "./read-body";
import { redactHeaders, redactText } from "./redact";
import { attemptSignal } from "./deadline";
import { backoffMs, shouldRetry, sleep } from "./retry";
import { connectionError } from "./transport-failure";
import type { GenerateVideoOptions, SoraClientOptions, VideoGenerationRequest, VideoGenerationResponse } from "./types";
import { requestIssues, responseIssues } from "./validation";

/** The client `createSoraClient` returns. */
export interface SoraClient {
  /**
   * Generates a video from a prompt and a first-frame image URL. The call stays open for the whole
   * render (minutes). `model` defaults to the vendor's example. Throws a SoraError subclass.
   */
  generateVideo(request: VideoGenerationRequest, options?: GenerateVideoOptions): Promise<VideoGenerationResponse>;
  /** The underlying openapi-fetch client, with the base URL and the key already installed. */
  readonly api: Client<paths, "application/json">;
}

const ENDPOINT = `${GENERATION_OPERATION.method} ${GENERATION_OPERATION.path}`;

interface Attempt {
  number: number;
  signal: AbortSignal | undefined;
  timeoutMs: number;
}

class Generator {
  private readonly url: string;
  private readonly headers: Record<string, string>;
  private readonly warned = new Set<string>();

  constructor(private readonly options: ResolvedOptions) {
    this.url = `${options.baseUrl}${GENERATION_OPERATION.path}`;
    this.headers = { ...options.headers, "content-type": "application/json", accept: "application/json", authorization: options.authorization };
  }

  async generate(request: VideoGenerationRequest, callOptions: GenerateVideoOptions): Promise<VideoGenerationResponse> {
    const body = { model: DEFAULT_MODEL, ...request };
    if (this.options.validateRequests) {
      const issues = requestIssues(body);
      if (issues.length > 0) throw new RequestValidationError(issues);
    }
    const timeoutMs = callOptions.timeoutMs === undefined ? this.options.timeoutMs : checkTimeout("timeoutMs", callOptions.timeoutMs);
    const payload = JSON.stringify(body);
    const started = Date.now();
    let attempt = 1;
    const heartbeat = this.startHeartbeat(callOptions, started, () => attempt);
    try {
      for (;;) {
        if (callOptions.signal?.aborted) throw new APIUserAbortError(false, callOptions.signal.reason);
        try {
          return await this.attempt(payload, { number: attempt, signal: callOptions.signal, timeoutMs });
        } catch (error) {
          const failure = error as SoraError;
          const delay = this.retryDelay(failure, attempt);
          if (delay === undefined) throw failure;
          callOptions.onRetry?.({ error: failure, attempt, delayMs: delay });
          this.options.logger.debug?.(`${ENDPOINT}: attempt ${attempt} failed (${failure.name}); retrying in ${delay} ms`);
          await sleep(delay, callOptions.signal).catch((reason: unknown) => {
            throw new APIUserAbortError(false, reason);
          });
          attempt += 1;
        }
      }
    } finally {
      if (heartbeat !== undefined) clearInterval(heartbeat);
    }
  }

  private startHeartbeat(callOptions: GenerateVideoOptions, started: number, attempt: () => number) {
    const { onProgress } = callOptions;
    if (!onProgress) return undefined;
    return setInterval(() => onProgress({ elapsedMs: Date.now() - started, attempt: attempt() }), callOptions.progressIntervalMs ?? 1000);
  }

  private retryDelay(error: SoraError, attempt: number): number | undefined {
    if (attempt > this.options.maxRetries || !shouldRetry(this.options.retry, error, attempt)) return undefined;
    if (error instanceof RateLimitError) {
      const asked = error.retryAfterMs;
      if (asked !== undefined && asked > this.options.maxRetryAfterMs) return undefined;
      return asked ?? backoffMs(attempt);
    }
    return backoffMs(attempt);
  }

  private async attempt(payload: string, attempt: Attempt): Promise<VideoGenerationResponse> {
    const deadline = attemptSignal(attempt.signal, attempt.timeoutMs);
    const aborted = (error: unknown): SoraError | undefined => {
      if (attempt.signal?.aborted) return new APIUserAbortError(true, error);
      if (deadline.timedOut) return new APITimeoutError(attempt.timeoutMs, error);
      return undefined;
    };
    this.options.logger.debug?.(`${ENDPOINT}: attempt ${attempt.number}`);
    let response: Response;
    let text: string;
    try {
      try {
        response = await this.options.fetch(this.url, { method: "POST", headers: this.headers, body: payload, signal: deadline.signal, redirect: "manual" });
      } catch (error) {
        throw aborted(error) ?? connectionError(error, `${ENDPOINT} (${new URL(this.url).host})`);
      }
      try {
        text = response.ok ? await response.text() : await readCappedText(response);
      } catch (error) {
        throw aborted(error) ?? connectionError(error, `${ENDPOINT} (${new URL(this.url).host}) while reading the response`);
      }
    } finally {
      deadline.dispose();
    }
    if (!response.ok) throw this.apiError(response, text, requestIdOf(response.headers));
    return this.parseSuccess(redactText(text, this.options.apiKey), response.headers);
  }

  private apiError(response: Response, text: string, requestId: string | undefined): APIError {
    const key = this.options.apiKey;
    const redirected = response.type === "opaqueredirect" || (response.status >= 300 && response.status < 400);
    const location = response.headers.get("location");
    const body = redirected
      ? `redirect${location ? ` to ${safeOrigin(location, this.url)}` : ""} not followed, so the key is not sent elsewhere`
      : jsonOrText(redactText(text, key));
    return apiErrorFor({ endpoint: ENDPOINT, status: response.status, statusText: response.statusText, headers: redactHeaders(response.headers, key), body, requestId });
  }

  private parseSuccess(text: string, headers: Headers): VideoGenerationResponse {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (error) {
      throw new ResponseValidationError([{ path: "", message: `is not valid JSON (${(error as Error).message})` }], text, requestIdOf(headers), error);
    }
    const mode = this.options.validateResponses;
    if (mode === "off") return data as VideoGenerationResponse;
    const issues = responseIssues(data);
    if (issues.length === 0) return data as VideoGenerationResponse;
    if (mode === "throw") throw new ResponseValidationError(issues, data, requestIdOf(headers));
    for (const issue of issues) {
      const key = `${issue.path} ${issue.message}`;
      if (this.warned.has(key)) continue;
      this.warned.add(key);
      this.options.logger.warn(`sora-video-client: ${ENDPOINT} response breaks the spec: ${issue.path || "(body)"} ${issue.message}`);
    }
    return data as VideoGenerationResponse;
  }
}

function safeOrigin(location: string, base: string): string {
  try {
    return new URL(location, base).origin;
  } catch {
    return "an unparsable location";
  }
}

/**
 * Makes a client. Options are resolved and checked once, here: a missing key or an unusable
 * option throws ConfigurationError before any traffic.
 *
 * @example
 * const sora = createSoraClient({ apiKey: process.env.ONEROUTER_API_KEY });
 * const video = await sora.generateVideo({ prompt: "The cat turns", image_url: "https://…/cat.png", duration: "8" });
 */
export function createSoraClient(options: SoraClientOptions = {}): SoraClient {
  const resolved = resolveOptions(options);
  const generator = new Generator(resolved);
  const api = createClient<paths, "application/json">({
    baseUrl: resolved.baseUrl,
    fetch: (request: Request) => resolved.fetch(request),
    headers: { ...resolved.headers, authorization: resolved.authorization },
  });
  return {
    generateVideo: (request, callOptions = {}) => generator.generate(request, callOptions),
    api,
  };
}
