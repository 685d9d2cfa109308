import { isSoraError } from "../node";
import { redactText } from "../redact";
import { shellQuote } from "./shell-quote";

/**
 * The `sora-video task` command that finishes an accepted task, for free (it only polls and
 * downloads): the id quoted for a shell, with `--out` when given, the key removed should it appear.
 */
export function taskCommand(taskId: string, out: string | undefined, apiKey: string | undefined): string {
  const command = `sora-video task ${shellQuote(taskId)}${out === undefined ? "" : ` --out ${shellQuote(out)}`}`;
  return redactText(command, apiKey ?? "");
}

/** The task id a failure carries (a task accepted and not finished, or lost from sight), if any. */
export function pendingTaskIdOf(error: unknown): string | undefined {
  return isSoraError(error, "TaskPendingError") || isSoraError(error, "TaskLookupError") ? error.taskId : undefined;
}
