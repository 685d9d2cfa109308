import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { freePort } from "./free-port";
import { isAlive } from "./process-alive";
import { writeMergedSpec } from "./spec";

/** How to start a Prism mock server. Every field has a default. */
export interface PrismOptions {
  /**
   * The OpenAPI document to mock.
   * @default every verbatim page of spec/openapi/ merged into one temporary file (never an overlay), removed by stop()
   */
  specPath?: string;
  /** The interface to listen on. @default "127.0.0.1" */
  host?: string;
  /** How long to wait for "Prism is listening" before giving up, in ms. @default 20000 */
  deadlineMs?: number;
  /** How long stop() waits after SIGTERM before SIGKILL, in ms. @default 3000 */
  graceMs?: number;
  /** The script node runs; tests substitute a fake. @default @stoplight/prism-cli's bin */
  entry?: string;
}

/** A running Prism that this process owns. */
export interface PrismHandle {
  /** The base URL, e.g. http://127.0.0.1:40123 */
  readonly url: string;
  readonly pid: number;
  /** Milliseconds from spawn to "Prism is listening". */
  readonly startMs: number;
  /** Everything Prism printed so far (the newest 2 MB). */
  log(): string;
  /** SIGTERM, then SIGKILL after the grace period; resolves once the process is gone. */
  stop(): Promise<void>;
  /** SIGKILL at once, synchronously: for process exit handlers, where nothing can be awaited. */
  killNow(): void;
}

/** Prism did not come up: the reason, its log, and the PID it had (gone by the time this is thrown). */
export class PrismStartError extends Error {
  override readonly name = "PrismStartError";

  constructor(
    reason: string,
    readonly log: string,
    readonly pid: number | undefined,
  ) {
    super(`Prism did not start: ${reason}.\n--- Prism log ---\n${log.slice(-8_000) || "(empty)"}`);
  }
}

const READY = "Prism is listening";
const LOG_LIMIT = 2 * 1024 * 1024;
const PRELOAD = join(__dirname, "exit-with-parent.cjs");

/** The JS entry of @stoplight/prism-cli, found through the package's own `bin` field. */
export function prismEntry(): string {
  const manifestPath = require.resolve("@stoplight/prism-cli/package.json");
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as { bin: string | Record<string, string> };
  const bin = typeof manifest.bin === "string" ? manifest.bin : manifest.bin.prism;
  if (!bin) throw new Error(`@stoplight/prism-cli at ${manifestPath} declares no prism bin`);
  return join(dirname(manifestPath), bin);
}

/** The node arguments that run `entry` as `prism mock` on host:port, preloading the exit-with-parent guard. */
export function prismArguments(entry: string, specPath: string, host: string, port: number): string[] {
  return ["--require", PRELOAD, entry, "mock", "-h", host, "-p", String(port), specPath];
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once("exit", () => resolve()));
}

async function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  const gone = exited(child);
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  await gone;
  clearTimeout(timer);
  if (child.pid !== undefined && isAlive(child.pid))
    throw new Error(`Prism (pid ${child.pid}) is still running after stop`);
}

function launch(
  entry: string,
  specPath: string,
  host: string,
  port: number,
  options: Required<PrismOptions>,
): Promise<PrismHandle> {
  const started = Date.now();
  const child = spawn(process.execPath, prismArguments(entry, specPath, host, port), {
    stdio: ["pipe", "pipe", "pipe"],
    env: { ...process.env, FORCE_COLOR: "0" },
  });
  let log = "";
  const append = (chunk: Buffer) => {
    log += chunk.toString("utf8");
    if (log.length > LOG_LIMIT) log = log.slice(-LOG_LIMIT);
  };
  child.stdout!.on("data", append);
  child.stderr!.on("data", append);
  return new Promise((resolve, reject) => {
    const fail = (reason: string) => {
      cleanup();
      const error = () => new PrismStartError(reason, log, child.pid);
      // A child that never spawned has no process to stop (and will never emit "exit").
      if (child.pid === undefined) return reject(error());
      stopChild(child, 0).then(() => reject(error()), reject);
    };
    const onData = () => {
      if (!log.includes(READY)) return;
      cleanup();
      resolve({
        url: `http://${host}:${port}`,
        pid: child.pid!,
        startMs: Date.now() - started,
        log: () => log,
        stop: () => stopChild(child, options.graceMs),
        killNow: () => void child.kill("SIGKILL"),
      });
    };
    const onExit = (code: number | null, signal: string | null) =>
      fail(`it exited (${signal ?? `code ${code}`}) before it was ready`);
    const onError = (error: Error) => fail(`spawn failed (${error.message})`);
    const timer = setTimeout(() => fail(`no "${READY}" within ${options.deadlineMs} ms`), options.deadlineMs);
    function cleanup() {
      clearTimeout(timer);
      child.stdout!.off("data", onData);
      child.off("exit", onExit);
      child.off("error", onError);
    }
    child.stdout!.on("data", onData);
    child.once("exit", onExit);
    child.once("error", onError);
  });
}

/**
 * Starts Prism on a free loopback port and resolves once it is listening. On failure (deadline,
 * early exit) the child is killed and awaited, and the error carries Prism's log. A port taken
 * between choosing and binding it is retried with another one.
 */
export async function startPrism(options: PrismOptions = {}): Promise<PrismHandle> {
  if (options.specPath !== undefined) return startPrismOn(options.specPath, options);
  const dir = mkdtempSync(join(tmpdir(), "sora-contract-spec-"));
  const removeSpec = () => rmSync(dir, { recursive: true, force: true });
  try {
    const prism = await startPrismOn(writeMergedSpec(dir), options);
    const killNow = () => {
      prism.killNow();
      removeSpec();
    };
    return { ...prism, stop: () => prism.stop().finally(removeSpec), killNow };
  } catch (error) {
    removeSpec();
    throw error;
  }
}

async function startPrismOn(specPath: string, options: PrismOptions): Promise<PrismHandle> {
  const settings: Required<PrismOptions> = {
    specPath,
    host: options.host ?? "127.0.0.1",
    deadlineMs: options.deadlineMs ?? 20_000,
    graceMs: options.graceMs ?? 3_000,
    entry: options.entry ?? prismEntry(),
  };
  for (let attempt = 1; ; attempt += 1) {
    const port = await freePort(settings.host);
    try {
      return await launch(settings.entry, settings.specPath, settings.host, port, settings);
    } catch (error) {
      if (attempt >= 3 || !/EADDRINUSE/.test((error as Error).message)) throw error;
    }
  }
}
