import { Option, type Command } from "commander";
import { isSoraError, type CallOptions, type NodeSoraClient } from "../node";
import type { CliContext } from "./context";
import type { ExitCode } from "./exit";
import { addClientOptions, parseTimeout } from "./options";
import { addSaveOptions, runRender, type RenderCall, type SaveFlags } from "./render";
import { taskCommand } from "./task-command";

/** How a command waits for a task: its whole deadline and the time between polls. */
export interface TaskWait {
  timeoutMs: number;
  pollIntervalMs: number;
}

/** Polls a task with the CLI's signal, the render line ticking while it waits. */
async function waitFor(client: NodeSoraClient, taskId: string, options: CallOptions, wait: TaskWait) {
  const started = Date.now();
  const tick = () => options.onProgress?.({ elapsedMs: Date.now() - started, attempt: 1 });
  const timer = setInterval(tick, options.progressIntervalMs ?? 1_000);
  try {
    return await client.waitForTask(taskId, { signal: options.signal, ...wait, onProgress: tick });
  } finally {
    clearInterval(timer);
  }
}

/**
 * A rendering command's paid call, finishing the task when the gateway answers with one: the task
 * id and the command that finishes it are logged at once (so an interrupted wait loses nothing),
 * then it is polled to its video, unless `wait` is false (`--no-wait`: the TaskPendingError goes on).
 */
export function finishingTasks(submit: RenderCall, flags: TaskFlags): RenderCall {
  const wait = flags.wait !== false;
  return async (client, options, display) => {
    try {
      return await submit(client, options, display);
    } catch (error) {
      if (!isSoraError(error, "TaskPendingError")) throw error;
      display.end();
      display.log(
        `The gateway accepted the render as task ${error.taskId} (it is billed); ${wait ? "waiting for it" : "not waiting (--no-wait)"}. Finish it later, for free, with:`,
      );
      display.logCommand(taskCommand(error.taskId, flags.out));
      if (!wait) throw error;
      return waitFor(client, error.taskId, options, taskWait(flags));
    }
  };
}

/** The task-wait flags (`--poll-interval`; `--timeout` is the whole wait's deadline). */
export interface TaskFlags extends SaveFlags {
  pollInterval: number;
}

const taskWait = (flags: TaskFlags): TaskWait => ({ timeoutMs: flags.timeout, pollIntervalMs: flags.pollInterval });

/** The client with its `waitForTask` bound to the command's wait (poll interval and deadline). */
export function withTaskWait(client: NodeSoraClient, wait: TaskWait): NodeSoraClient {
  return { ...client, waitForTask: (taskId, options) => client.waitForTask(taskId, { ...wait, ...options }) };
}

/** Adds `--poll-interval` to a command that may wait for a task. */
export function addPollOption(command: Command): Command {
  return command.addOption(
    new Option("--poll-interval <duration>", "time between polls of an accepted task, e.g. 3s, 500ms")
      .argParser(parseTimeout)
      .default(3_000, "3s"),
  );
}

/** Adds `--no-wait` and `--poll-interval` to a rendering command (commander sets `wait: false` for --no-wait). */
export function addWaitOption(command: Command): Command {
  return addPollOption(command).option(
    "--no-wait",
    "when the gateway answers with a task (its asynchronous flow), print its id and the command that finishes it instead of waiting",
  );
}

/** Declares `task <task-id>` on the program; `action` receives the id and the parsed flags. */
export function declareTask(program: Command, action: (taskId: string, flags: TaskFlags) => Promise<void>): Command {
  const command = program
    .command("task")
    .argument("<task-id>", "the id of a task the gateway accepted (generate and batch print it)")
    .description(
      "Wait for an accepted task (the gateway's asynchronous flow) and save its video. Free: it polls and downloads, never renders again. Experimental: the task endpoint rests on third-party evidence until a vendor page documents it.",
    );
  return addClientOptions(addPollOption(addSaveOptions(command))).action(action);
}

/** Runs `task`: polls with the render line, downloads with the progress bar, prints the path (or JSON). */
export function runTask(taskId: string, flags: TaskFlags, context: CliContext): Promise<ExitCode> {
  const wait: RenderCall = (client, options) => waitFor(client, taskId, options, taskWait(flags));
  return runRender(flags, context, wait);
}
