import { InvalidArgumentError, Option, type Command } from "commander";
import { createSoraClient, DEFAULT_BASE_URL, type NodeSoraClient } from "../node";
import type { CliContext } from "./context";
import { UsageError } from "./exit";
import { createDisplay, type Display } from "./progress/display";
import { columnsOf, painterFor } from "./terminal";

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

/** Parses a duration such as `10m`, `90s`, `1.5s`, `250ms` or a bare number of milliseconds. */
export function parseDuration(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(text);
  const ms = match ? Math.round(Number(match[1]) * UNIT_MS[match[2] ?? "ms"]!) : Number.NaN;
  if (!Number.isFinite(ms))
    throw new InvalidArgumentError("Expected a duration such as 10m, 90s, 500ms or a number of milliseconds.");
  return ms;
}

/** parseDuration for a timeout: above zero. */
export function parseTimeout(text: string): number {
  const ms = parseDuration(text);
  if (ms <= 0) throw new InvalidArgumentError("Expected a duration above 0, such as 10m or 90s.");
  return ms;
}

/** `--prompt`: text that says something (an empty prompt would be sent, and billed, for nothing). */
export function parsePrompt(text: string): string {
  if (text.trim() === "") throw new InvalidArgumentError("Expected a prompt: the text is empty.");
  return text;
}

/**
 * `--image`: an http(s) URL the gateway can fetch (or a `data:image/…` URL), checked before any
 * request: a path, a typo or an `ftp://` URL would be sent as a billable request that cannot work.
 */
export function parseImageUrl(text: string): string {
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  const fetchable = (url?.protocol === "https:" || url?.protocol === "http:") && url.hostname !== "";
  if (fetchable || /^data:image\/[\w.+-]+[;,]/i.test(text)) return text;
  const got = url ? `a URL whose scheme is ${url.protocol}` : "not a URL";
  throw new InvalidArgumentError(`Expected the image's http(s) URL (or a data:image/… URL); this is ${got}.`);
}

/** A commander argument parser for whole numbers in [min, max]. */
export function integerIn(min: number, max: number): (text: string) => number {
  return (text) => {
    const value = Number(text);
    if (!/^\s*\d+\s*$/.test(text) || value < min || value > max)
      throw new InvalidArgumentError(`Expected a whole number from ${min} to ${max}.`);
    return value;
  };
}

/** The display options every command that shows progress shares. */
export interface DisplayFlags {
  progress: "auto" | "tty" | "plain";
  debug?: boolean;
}

/** The options every command that calls the API shares, as commander hands them over. */
export interface ClientFlags extends DisplayFlags {
  baseUrl?: string;
  authScheme: "raw" | "bearer";
  timeout: number;
  /** --record: a directory to save every API response in (see `recordResponses`). */
  record?: string;
}

/** Adds the display options (progress, debug) to a command; `calls`: it calls the API (attempts to log). */
export function addDisplayOptions(command: Command, calls = true): Command {
  const description = "progress display: auto (a live line when stderr is a terminal), tty or plain";
  const progress = new Option("--progress <mode>", description);
  return command
    .addOption(progress.choices(["auto", "tty", "plain"]).default("auto"))
    .option("--debug", calls ? "print stack traces and one line per attempt" : "print the stack trace of a failure");
}

/** Adds the shared API options (base URL, auth scheme, timeout) and the display options to a command. */
export function addClientOptions(command: Command): Command {
  const baseUrl = new Option("--base-url <url>", `API origin (default: ${DEFAULT_BASE_URL}, from the spec)`);
  const schemes = 'how the key is sent in Authorization: "raw" (as documented) or "bearer"';
  const authScheme = new Option("--auth-scheme <scheme>", schemes);
  const timeout = new Option("--timeout <duration>", "per-attempt timeout of a generation, e.g. 10m, 90s, 600000");
  const record =
    "save each API response as one JSON file in <dir> (no key, no signed query strings), for verify --replay";
  return addDisplayOptions(
    command
      .addOption(baseUrl)
      .addOption(authScheme.choices(["raw", "bearer"]).default("raw"))
      .addOption(timeout.argParser(parseTimeout).default(600_000, "10m"))
      .option("--record <dir>", record),
  );
}

/** What createSoraClient needs from the command line and the environment. */
export interface ClientConfig {
  apiKey: string;
  baseUrl: string;
  authScheme: "raw" | "bearer";
  timeoutMs: number;
  recordResponses?: string;
}

/**
 * Resolves the client configuration from the flags and the command's environment (`--base-url`, else
 * ONEROUTER_BASE_URL, else the spec's server); a missing key is a UsageError naming ONEROUTER_API_KEY.
 */
export function clientConfig(flags: ClientFlags, env: Readonly<Record<string, string | undefined>>): ClientConfig {
  const apiKey = env.ONEROUTER_API_KEY?.trim();
  if (!apiKey) {
    throw new UsageError(
      "No API key: set the ONEROUTER_API_KEY environment variable.",
      "to try without a key, run `sora-video mock` in another terminal and paste the command it prints.",
    );
  }
  const config: ClientConfig = {
    apiKey,
    baseUrl: flags.baseUrl || env.ONEROUTER_BASE_URL?.trim() || DEFAULT_BASE_URL,
    authScheme: flags.authScheme,
    timeoutMs: flags.timeout,
  };
  if (flags.record !== undefined) config.recordResponses = flags.record;
  return config;
}

/** Whether the live (TTY) display is used: `--progress tty`, FORCE_TTY=1, or stderr is a terminal. */
export function useLiveDisplay(
  mode: DisplayFlags["progress"],
  stderrIsTTY: boolean,
  env: Readonly<Record<string, string | undefined>>,
): boolean {
  if (mode !== "auto") return mode === "tty";
  return env.FORCE_TTY === "1" || stderrIsTTY;
}

/**
 * A command's display on stderr: live or plain by `--progress` (see useLiveDisplay), lines cut to
 * the terminal's width (or COLUMNS), coloured only where stderr takes colour.
 */
export function cliDisplay(mode: DisplayFlags["progress"], context: CliContext): Display {
  const { stderr, env } = context;
  const live = useLiveDisplay(mode, stderr.isTTY === true, env);
  return createDisplay({ live, stream: stderr, columns: columnsOf(stderr, env), paint: painterFor(stderr) });
}

/**
 * The client a command uses: `config` with warnings (and, with --debug, one line per attempt)
 * logged on the display, never on stdout.
 */
export function createCliClient(
  config: ClientConfig,
  debug: boolean | undefined,
  log: (line: string) => void,
): NodeSoraClient {
  const logger = {
    warn: (message: string) => log(`warning: ${message}`),
    debug: debug ? (message: string) => log(`debug: ${message}`) : undefined,
  };
  return createSoraClient({ ...config, logger });
}
