import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

/** The real bin, as npm installs it. */
export const CLI = join(__dirname, "..", "..", "..", "dist", "cli.mjs");

/** Fails with a clear message when the bin was not built (npm test builds before jest). */
export function requireBuiltCli(): void {
  if (!existsSync(CLI)) throw new Error("dist/cli.mjs is missing: run `npm run build` first (npm test does)");
}

/** What a finished CLI run produced. */
export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A running CLI: the child, its output so far, and its end. */
export interface RunningCli {
  child: ChildProcess;
  output(): { stdout: string; stderr: string };
  done: Promise<CliRun>;
}

/** Where and how the CLI runs; `bin` is another copy of it (e.g. one installed from the packed tarball). */
export interface CliOptions {
  env?: Record<string, string>;
  cwd?: string;
  bin?: string;
}

/**
 * Starts `node dist/cli.mjs …` (or `bin`) with a clean environment (PATH plus `env`: no
 * ONEROUTER_* or FORCE_TTY leaks in from the machine running the tests).
 */
export function startCli(args: readonly string[], options: CliOptions = {}): RunningCli {
  if (options.bin === undefined) requireBuiltCli();
  const child = spawn(process.execPath, [options.bin ?? CLI, ...args], {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? "", ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const done = new Promise<CliRun>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, output: () => ({ stdout, stderr }), done };
}

/** Runs the CLI to the end; kills it after `timeoutMs` so a hang fails the test instead of jest. */
export async function runCli(
  args: readonly string[],
  options: CliOptions & { timeoutMs?: number } = {},
): Promise<CliRun> {
  const running = startCli(args, options);
  const timer = setTimeout(() => running.child.kill("SIGKILL"), options.timeoutMs ?? 30_000);
  try {
    return await running.done;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs the CLI in this process: `runCli` from src/cli/program.ts, the code the bin runs, with
 * string sinks for stdout and stderr (not terminals: no colour, no live line) and only `env` as
 * its environment. No Node start and no module loading per case, so a case costs milliseconds;
 * signals, terminals, the working directory and the built bin itself stay with runCli/startCli.
 */
export async function runCliHere(
  args: readonly string[],
  options: { env?: Record<string, string> } = {},
): Promise<CliRun> {
  const { runCli: run } = await import("../../../src/cli/program");
  let stdout = "";
  let stderr = "";
  const code = await run(args, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env: { ...options.env },
    onInterrupt: () => () => undefined,
  });
  return { code, signal: null, stdout, stderr };
}

/** Resolves once `check` is true, polling every 20 ms; rejects after `timeoutMs`. */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 20_000,
  what = "condition",
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Runs the bin on a real terminal of `columns` columns: under util-linux `script` (a pty), which
 * merges stdout and stderr into one stream (with \r\n line ends), as a user's terminal shows them.
 */
export async function runCliInPty(
  args: readonly string[],
  options: { env?: Record<string, string>; columns: number; timeoutMs?: number },
): Promise<{ code: number | null; output: string }> {
  requireBuiltCli();
  const quote = (word: string) => `'${word.replace(/'/g, "'\\''")}'`;
  const command = `stty cols ${options.columns} rows 40; exec ${[process.execPath, CLI, ...args].map(quote).join(" ")}`;
  const child = spawn("script", ["-qec", command, "/dev/null"], {
    env: { PATH: process.env.PATH ?? "", TERM: "xterm-256color", ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 30_000);
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once("error", reject);
      child.once("close", resolve);
    });
    return { code, output };
  } finally {
    clearTimeout(timer);
  }
}
