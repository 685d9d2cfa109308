import type { Client } from "openapi-fetch";
import type { paths } from "../generated/schema";
import { APIUserAbortError, ConfigurationError, TaskFailedError, TaskLookupError, TaskPendingError } from "./errors";
import { attemptSignal } from "./deadline";
import { checkTimeout, type ResolvedOptions } from "./options";
import { jsonOrText, requestIdOf } from "./read-body";
import { abortableWait, backoffMs } from "./retry";
import { redactValue } from "./redact";
import { readTask } from "./task-answer";
import type { GuardedFetch } from "./guarded-fetch";
import type { TaskResult, WaitForTaskOptions } from "./types";

/** openapi-fetch's GET, loosely typed: the task endpoint is in no vendor page yet. */
type Get = (
  path: string,
  init: { baseUrl: string; signal: AbortSignal; parseAs: "text"; fetch: GuardedFetch },
) => Promise<{ data?: string; error?: unknown; response: Response }>;

/** Waits for a task the gateway accepted until it has a video; see `SoraClient.waitForTask`. */
export type TaskWaiter = (taskId: string, options?: WaitForTaskOptions) => Promise<TaskResult>;

/** Longest a single poll may take before it counts as a transient failure. */
const POLL_TIMEOUT_MS = 30_000;

/** A transient poll failure (the connection, a 429, a 5xx): polling is free, so it is retried. */
const isTransient = (status: number) => status === 429 || status >= 500;

/**
 * Makes `waitForTask`: polls the task URL through openapi-fetch's `api.GET` (so middleware and the
 * guarded fetch's rules apply: the key only to the API's origin) every `pollIntervalMs` until the
 * task completes (its video), fails (TaskFailedError), is unknown there or answers a word this
 * client does not know (TaskLookupError), or the wait's deadline passes (TaskPendingError: still
 * running). Connection errors, 429s and 5xx are retried with back-off; a poll never starts a render.
 */
export function createTaskWaiter(
  options: ResolvedOptions,
  api: Client<paths, "application/json">,
  guarded: GuardedFetch,
): TaskWaiter {
  const get = api.GET as unknown as Get;
  // Poll answers reach the caller's errors: what they carry out of the package has the key taken out.
  const exposed = <T>(value: T): T => redactValue(value, options.apiKey);
  return async function waitForTask(taskId, waitOptions = {}) {
    if (typeof taskId !== "string" || !/^[\w.:-]{1,200}$/.test(taskId)) {
      throw new ConfigurationError("taskId", `taskId must be the gateway's task id, got ${JSON.stringify(taskId)}`);
    }
    const { signal, onProgress } = waitOptions;
    const interval = checkTimeout("pollIntervalMs", waitOptions.pollIntervalMs ?? 3000);
    const deadline = checkTimeout("timeoutMs", waitOptions.timeoutMs ?? 600_000);
    const url = new URL(options.taskUrl.replaceAll("{task_id}", encodeURIComponent(taskId)));
    const path = `${url.pathname}${url.search}`;
    const started = Date.now();
    let polls = 0;
    let failures = 0;
    let status = "submitted";
    for (;;) {
      if (signal?.aborted) throw new APIUserAbortError(false, signal.reason);
      const elapsedMs = Date.now() - started;
      if (elapsedMs >= deadline) {
        throw new TaskPendingError({ taskId, status }, `still not finished when the wait ended after ${deadline} ms`);
      }
      const attempt = attemptSignal(signal, Math.min(POLL_TIMEOUT_MS, deadline - elapsedMs));
      let answer: Awaited<ReturnType<Get>> | undefined;
      try {
        answer = await get(path, { baseUrl: url.origin, signal: attempt.signal, parseAs: "text", fetch: guarded });
      } catch (error) {
        if (signal?.aborted) throw new APIUserAbortError(false, error);
      } finally {
        attempt.dispose();
      }
      const response = answer?.response;
      if (response === undefined || isTransient(response.status)) {
        failures += 1;
        options.logger.debug?.(`task ${taskId}: poll failed (${response?.status ?? "no answer"}); polling again`);
        await abortableWait(backoffMs(failures), signal);
        continue;
      }
      const requestId = requestIdOf(response.headers);
      if (!response.ok) {
        const body = typeof answer?.error === "string" ? jsonOrText(answer.error) : answer?.error;
        throw new TaskLookupError(
          `the task endpoint ${url.pathname} answered ${response.status}`,
          exposed({ taskId, status, answer: body, requestId, httpStatus: response.status }),
        );
      }
      failures = 0;
      polls += 1;
      const body = jsonOrText(answer?.data ?? "");
      const reading = readTask(body);
      if (reading.status === undefined) {
        const word = reading.word ? `"${reading.word}"` : "none";
        throw new TaskLookupError(
          exposed(`the task endpoint answered a status this client does not know (${word})`),
          exposed({ taskId, status: `unknown: ${reading.word}`, answer: body, requestId }),
        );
      }
      status = reading.status;
      onProgress?.({ elapsedMs: Date.now() - started, polls, status });
      if (reading.status === "failed") {
        throw new TaskFailedError(
          exposed({ taskId, status: reading.word, reason: reading.reason, answer: body, requestId }),
        );
      }
      if (reading.status === "completed") {
        if (reading.videoUrl === undefined) {
          throw new TaskLookupError(
            "the task completed without a video URL",
            exposed({ taskId, status, answer: body, requestId }),
          );
        }
        const video = { url: reading.videoUrl, ...(reading.videoId ? { video_id: reading.videoId } : {}) };
        return { created: Math.floor(Date.now() / 1000), data: [video], task_id: taskId };
      }
      await abortableWait(interval, signal);
    }
  };
}
