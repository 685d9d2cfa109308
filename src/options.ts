import { DEFAULT_BASE_URL } from "../generated/spec-values";
import { ConfigurationError } from "./errors";
import { isLoopback } from "./loopback";
import type { Logger, RetryPolicy, SoraClientOptions } from "./types";

/** Options with every default filled in and every value checked. */
export interface ResolvedOptions {
  apiKey: string;
  authorization: string;
  baseUrl: string;
  timeoutMs: number;
  maxRetries: number;
  retry: RetryPolicy;
  maxRetryAfterMs: number;
  validateRequests: boolean;
  validateResponses: "off" | "warn" | "throw";
  logger: Logger;
  fetch: typeof globalThis.fetch;
  headers: Record<string, string>;
  /** The task status URL template, `{baseUrl}` filled in: on the API's origin, with `{task_id}` in it. */
  taskUrl: string;
}

/** Where a task's status is read unless `taskUrl` says otherwise (third-party evidence; no vendor page yet). */
export const DEFAULT_TASK_URL = "{baseUrl}/v1/videos/tasks/{task_id}";

/**
 * Checks the task URL template: `{task_id}` in its path, and the API's own origin, since the key
 * goes with every poll (another host, such as a `media.` one, needs `baseUrl` on that host).
 */
function checkTaskUrl(template: string, baseUrl: string): string {
  const filled = template.replaceAll("{baseUrl}", baseUrl);
  let url: URL;
  try {
    url = new URL(filled.replaceAll("{task_id}", "task"));
  } catch {
    throw new ConfigurationError("taskUrl", `taskUrl is not a valid URL template: ${JSON.stringify(template)}`);
  }
  if (!filled.includes("{task_id}")) {
    throw new ConfigurationError("taskUrl", `taskUrl must contain {task_id}, got ${JSON.stringify(template)}`);
  }
  if (url.origin !== new URL(baseUrl).origin) {
    throw new ConfigurationError(
      "taskUrl",
      `taskUrl must be on the API's origin (${new URL(baseUrl).origin}), got ${url.origin}: the key is sent with every poll.`,
    );
  }
  return filled;
}

function environmentKey(): string | undefined {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  return env?.ONEROUTER_API_KEY || undefined;
}

/** Checks a timeout in ms: a positive finite number. */
export function checkTimeout(option: string, value: number): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new ConfigurationError(option, `${option} must be a positive number of milliseconds, got ${String(value)}`);
  }
  return value;
}

function checkBaseUrl(value: string, allowInsecureHttp: boolean): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigurationError("baseUrl", `baseUrl is not a valid URL: ${JSON.stringify(value)}`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new ConfigurationError("baseUrl", `baseUrl must be http(s), got ${url.protocol}`);
  }
  if (url.protocol === "http:" && !isLoopback(url) && !allowInsecureHttp) {
    throw new ConfigurationError(
      "baseUrl",
      `Refusing plain http to ${url.host}: the API key would travel in clear text. Use https (or allowInsecureHttp for a trusted test proxy).`,
    );
  }
  return value.replace(/\/+$/, "");
}

/**
 * Resolves what the caller passed into complete, checked options, once, when the client is made.
 * Throws ConfigurationError naming the option at fault; nothing is sent before this succeeds.
 */
export function resolveOptions(options: SoraClientOptions): ResolvedOptions {
  const apiKey = options.apiKey ?? environmentKey();
  if (!apiKey) {
    throw new ConfigurationError(
      "apiKey",
      "No API key: pass the apiKey option or set the ONEROUTER_API_KEY environment variable.",
    );
  }
  const authScheme = options.authScheme ?? "raw";
  if (authScheme !== "raw" && authScheme !== "bearer") {
    throw new ConfigurationError(
      "authScheme",
      `authScheme must be "raw" or "bearer", got ${JSON.stringify(authScheme)}`,
    );
  }
  const maxRetries = options.maxRetries ?? 2;
  if (!Number.isInteger(maxRetries) || maxRetries < 0) {
    throw new ConfigurationError("maxRetries", `maxRetries must be a whole number ≥ 0, got ${String(maxRetries)}`);
  }
  const validateResponses = options.validateResponses ?? "warn";
  if (!["off", "warn", "throw"].includes(validateResponses)) {
    throw new ConfigurationError(
      "validateResponses",
      `validateResponses must be "off", "warn" or "throw", got ${JSON.stringify(validateResponses)}`,
    );
  }
  const retry = options.retry ?? "safe";
  if (retry !== "safe" && retry !== "unsafe" && typeof retry !== "function") {
    throw new ConfigurationError("retry", `retry must be "safe", "unsafe" or a function, got ${JSON.stringify(retry)}`);
  }
  const fetchImplementation = options.fetch ?? globalThis.fetch;
  if (typeof fetchImplementation !== "function") {
    throw new ConfigurationError(
      "fetch",
      "No fetch implementation: pass the fetch option (this runtime has no globalThis.fetch).",
    );
  }
  const headers = { ...options.headers };
  for (const name of Object.keys(headers)) {
    if (name.toLowerCase() === "authorization") delete headers[name];
  }
  const baseUrl = checkBaseUrl(options.baseUrl ?? DEFAULT_BASE_URL, options.allowInsecureHttp ?? false);
  return {
    apiKey,
    authorization: authScheme === "bearer" ? `Bearer ${apiKey}` : apiKey,
    baseUrl,
    taskUrl: checkTaskUrl(options.taskUrl ?? DEFAULT_TASK_URL, baseUrl),
    timeoutMs: checkTimeout("timeoutMs", options.timeoutMs ?? 600_000),
    maxRetries,
    retry,
    maxRetryAfterMs: checkTimeout("maxRetryAfterMs", options.maxRetryAfterMs ?? 60_000),
    validateRequests: options.validateRequests ?? true,
    validateResponses,
    logger: options.logger ?? { warn: (message) => console.warn(message) },
    fetch: fetchImplementation,
    headers,
  };
}
