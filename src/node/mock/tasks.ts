import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { sendError, sendJson } from "./respond";

/** How a task of the async mock ends, chosen per submit with the `x-mock-task` request header. */
export type MockTaskOutcome = "completed" | "failed" | "stuck";

/** The request header that picks a task's outcome: `failed` (with a reason) or `stuck` (never ends). */
export const TASK_HEADER = "x-mock-task";

/** The path the async mock serves each task's status on (the default `taskUrl` of the client). */
export const TASK_PATH = /^\/v1\/videos\/tasks\/([\w.:-]+)$/;

interface MockTask {
  id: string;
  model: unknown;
  prompt: unknown;
  startedAt: number;
  outcome: MockTaskOutcome;
  /** The video it made, registered once it completed. */
  videoId?: string;
}

/** The async mock's tasks: started by a submit, read by polls (queued → running → an outcome). */
export interface MockTasks {
  /** Starts a task for an accepted body and answers the gateway's task envelope at once. */
  submit(request: IncomingMessage, res: ServerResponse, body: Record<string, unknown>): void;
  /** Answers a poll of the task endpoint; false when the path is not a task's. */
  poll(path: string, request: IncomingMessage, res: ServerResponse, videoUrl: (id: string) => string): boolean;
}

/** The outcome a submit asks for with `x-mock-task`, or undefined for an unknown value. */
export function taskOutcomeOf(request: IncomingMessage): MockTaskOutcome | undefined {
  const value = request.headers[TASK_HEADER];
  if (value === undefined) return "completed";
  return value === "failed" || value === "stuck" || value === "completed" ? value : undefined;
}

/**
 * The tasks of a mock in async mode. A task is `queued` for the first third of `latencyMs`,
 * `running` until `latencyMs` has passed, then `completed` with `data.video_url` (or `failed` with a
 * `fail_reason`, or `running` for ever when stuck). `newVideo` registers the video it made.
 */
export function mockTasks(latencyMs: number, newVideo: () => string, onPoll: () => void): MockTasks {
  const tasks = new Map<string, MockTask>();
  return {
    submit(request, res, body) {
      const id = `cgt-${randomUUID().replaceAll("-", "")}`;
      const outcome = taskOutcomeOf(request) ?? "completed";
      tasks.set(id, { id, model: body.model, prompt: body.prompt, startedAt: Date.now(), outcome });
      const data = {
        task_id: id,
        object: "video",
        model: body.model,
        status: "queued",
        created_at: Math.floor(Date.now() / 1000),
      };
      sendJson(res, 200, { code: 200, message: "success", data });
    },
    poll(path, request, res, videoUrl) {
      const id = TASK_PATH.exec(path)?.[1];
      if (id === undefined) return false;
      if (request.method !== "GET") {
        res.setHeader("allow", "GET");
        sendError(res, 405, { type: "invalid_request_error", message: `Use GET ${path}` });
        return true;
      }
      onPoll();
      const task = tasks.get(id);
      if (!task) {
        sendError(res, 404, {
          type: "not_found_error",
          message: `No task ${id} on this mock server`,
          param: "task_id",
        });
        return true;
      }
      const elapsed = Date.now() - task.startedAt;
      const base = { task_id: task.id, object: "video", model: task.model };
      if (task.outcome === "stuck" || elapsed < latencyMs) {
        const status = task.outcome !== "stuck" && elapsed < latencyMs / 3 ? "queued" : "running";
        sendJson(res, 200, { code: 200, message: "success", data: { ...base, status } });
      } else if (task.outcome === "failed") {
        const reason = "The render was stopped by the provider's content moderation (mock)";
        sendJson(res, 200, { code: 200, message: "success", data: { ...base, status: "failed", fail_reason: reason } });
      } else {
        task.videoId ??= newVideo();
        const data = { ...base, status: "succeeded", video_url: videoUrl(task.videoId), video_id: task.videoId };
        sendJson(res, 200, { code: 200, message: "success", data: { ...data, revised_prompt: String(task.prompt) } });
      }
      return true;
    },
  };
}
