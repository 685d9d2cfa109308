import { pendingTaskOf } from "../task-answer";
import type { Exchange } from "./exchange";

/**
 * How a provider answered a valid request to a synchronous page: the finished video the page
 * documents, or the gateway's asynchronous task envelope (`{"code": 200, "data": {"task_id": …}}`),
 * which its newer docs recommend. Both are accepted; the report says which one it was.
 */
export type AnswerShape = "video" | "task";

/** The shape of a 2xx answer: a task when it names a task id and carries no video URL. */
export function answerShapeOf(exchange: Exchange): AnswerShape {
  return pendingTaskOf(exchange.json) === undefined ? "video" : "task";
}

/**
 * Whether the client handled a task answer as the paid, unfinished render it is: a
 * TaskPendingError carrying the answer's task id (never a result, never a parse failure).
 * Undefined when it did.
 */
export function taskAnswerBreach(result: unknown, exchange: Exchange): string | undefined {
  const task = pendingTaskOf(exchange.json);
  if (task === undefined) return undefined;
  const { name, taskId } = (result ?? {}) as { name?: unknown; taskId?: unknown };
  if (name === "TaskPendingError" && taskId === task.taskId) return undefined;
  const got = result instanceof Error ? `${result.name}: ${result.message}` : "a result";
  return `the provider answered task ${task.taskId}, and the client did not report it as TaskPendingError (${got})`;
}
