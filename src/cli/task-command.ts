import { isSoraError } from "../node";
import { shellQuote } from "./shell-quote";

/**
 * The `sora-video task` command that finishes an accepted task, for free (it only polls and
 * downloads): the id quoted for a shell, with `--out` when given. Printed through the CLI's
 * redacting writer, as every command it prints.
 */
export function taskCommand(taskId: string, out: string | undefined): string {
  return `sora-video task ${shellQuote(taskId)}${out === undefined ? "" : ` --out ${shellQuote(out)}`}`;
}

/** The task id a failure carries (a task accepted and not finished, or lost from sight), if any. */
export function pendingTaskIdOf(error: unknown): string | undefined {
  return isSoraError(error, "TaskPendingError") || isSoraError(error, "TaskLookupError") ? error.taskId : undefined;
}
