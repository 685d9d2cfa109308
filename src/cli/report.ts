import { inspect } from "node:util";
import type { CommanderError } from "commander";
import { isSoraError, type SoraError } from "../node";
import { EXIT, InterruptedError, UsageError, type ExitCode } from "./exit";

/** What the CLI prints for a failure: one line, an optional hint, and the exit code. */
export interface FailureReport {
  line: string;
  hint: string | undefined;
  exitCode: ExitCode;
}

/**
 * The flag (or variable) behind each library option an error can name: the client's
 * (ConfigurationError) and the mock's (MockOptionError). The one place where the CLI's messages
 * trade library names for the flags a user types.
 */
const FLAG_OF_OPTION: Readonly<Record<string, string>> = {
  apiKey: "ONEROUTER_API_KEY",
  baseUrl: "--base-url",
  timeoutMs: "--timeout",
  authScheme: "--auth-scheme",
  port: "--port",
  latencyMs: "--latency",
};
const OPTION_NAMES = new RegExp(`\\b(${Object.keys(FLAG_OF_OPTION).join("|")})\\b`, "g");
/** Library advice with no CLI counterpart (the CLI has no allowInsecureHttp), and what the CLI says instead. */
const LIBRARY_ONLY: ReadonlyArray<readonly [RegExp, string]> = [
  [/ \(or allowInsecureHttp[^)]*\)/, " (plain http goes only to a loopback address such as 127.0.0.1)"],
];

/**
 * The advice the client's other errors end with (api-error.ts, transport-errors.ts) where it names
 * options, and how the CLI says it. Whole phrases, never bare words: the rest of such a message
 * quotes the server, which is left as it is.
 */
const LIBRARY_ADVICE: ReadonlyArray<readonly [RegExp, string]> = [
  [/ \(or the apiKey option\), and authScheme if /, ", and --auth-scheme bearer if "],
  [/Check baseUrl, the model name and /, "Check --base-url, --model and "],
  [/Raise timeoutMs for long renders/, "Raise --timeout for long renders"],
];

/** Errors whose messages name library options: a ConfigurationError, or the mock's MockOptionError. */
function namesOptions(error: unknown): error is Error & { option: string } {
  const named = isSoraError(error, "ConfigurationError") || (error as Error | undefined)?.name === "MockOptionError";
  return named && typeof (error as { option?: unknown }).option === "string";
}

/** The flag the CLI user types for a library `option` (the option's own name when it has no flag). */
function flagOf(option: string): string {
  return FLAG_OF_OPTION[option] ?? option;
}

/** A message with library option names replaced by CLI flags, and library-only advice replaced. */
function cliMessage(error: Error): string {
  if (!namesOptions(error)) {
    if (!isSoraError(error)) return error.message;
    return LIBRARY_ADVICE.reduce((message, [pattern, instead]) => message.replace(pattern, instead), error.message);
  }
  let message = error.message.replace(OPTION_NAMES, (name) => flagOf(name));
  for (const [pattern, instead] of LIBRARY_ONLY) message = message.replace(pattern, instead);
  return message;
}

function hintFor(error: SoraError): string | undefined {
  switch (error.name) {
    case "AuthenticationError":
      return 'check ONEROUTER_API_KEY; if your gateway expects "Bearer <key>", add --auth-scheme bearer.';
    case "PermissionDeniedError":
      return "check that the key may use this model (--model) and that the account has credit.";
    case "NotFoundError":
      return "check --base-url (or ONEROUTER_BASE_URL) and --model.";
    case "RateLimitError":
      return "rate limited after the client's retries: wait, then run again (in a batch, lower --concurrency).";
    case "APITimeoutError":
      return "the generation may still be running and may be billed; raise --timeout for long renders before running it again.";
    case "APIUserAbortError":
      return error.mayHaveBeenAccepted
        ? "the request had been sent: the generation may still run and may be billed."
        : undefined;
    case "TaskPendingError":
    case "TaskLookupError":
      return "the task was accepted and is billed: finish it with the `sora-video task` command above; never run generate again for it.";
    case "TaskFailedError":
      return "the task ended without a video; the gateway's reason is above.";
    case "DownloadError":
      return "only saving the video failed; downloading again costs nothing (`sora-video download <url>`).";
    case "ConfigurationError": {
      const flag = FLAG_OF_OPTION[(error as SoraError & { option?: string }).option ?? ""];
      if (flag === undefined) return undefined;
      return flag === "--base-url" ? "check --base-url (or ONEROUTER_BASE_URL)." : `check ${flag}.`;
    }
    default:
      if (error.mayHaveBeenAccepted)
        return "the request may have been accepted and billed; it was not re-sent. Check before running it again.";
      if (error.name === "APIConnectionError") return "nothing was sent: check --base-url and the network.";
      return undefined;
  }
}

function exitCodeFor(error: unknown): ExitCode {
  const usage = error instanceof UsageError || namesOptions(error) || isSoraError(error, "RequestValidationError");
  if (usage) return EXIT.usage;
  if (error instanceof InterruptedError || isSoraError(error, "APIUserAbortError")) return EXIT.interrupted;
  return EXIT.failure;
}

/**
 * Describes a failure for the terminal: the error's message, a hint, the exit code. The key is
 * taken out where it is printed (runCli's redacting writer), as for everything else the CLI prints.
 */
export function reportFailure(error: unknown): FailureReport {
  const exitCode = exitCodeFor(error);
  if (error instanceof UsageError) return { line: error.message, hint: error.hint, exitCode };
  if (error instanceof InterruptedError) return { line: error.message, hint: undefined, exitCode };
  if (isSoraError(error)) {
    const hint = hintFor(error);
    return { line: `${error.name}: ${cliMessage(error)}`, hint, exitCode };
  }
  if (namesOptions(error)) return { line: cliMessage(error), hint: undefined, exitCode };
  const message = error instanceof Error ? error.message : String(error);
  return {
    line: `unexpected error: ${message}`,
    hint: "run again with --debug for the stack trace, and report it if it persists.",
    exitCode,
  };
}

/**
 * An error as `--json` output shows it: its own toJSON() when it has one, else its name and message
 * (and a UsageError's hint); option names read as CLI flags. Redact the key from the result.
 */
export function errorJson(error: unknown): unknown {
  const named = namesOptions(error)
    ? { message: cliMessage(error), option: flagOf(error.option) }
    : isSoraError(error)
      ? { message: cliMessage(error) }
      : {};
  if (typeof (error as { toJSON?: unknown }).toJSON === "function") {
    return { ...(error as { toJSON(): object }).toJSON(), ...named };
  }
  if (!(error instanceof Error)) return { name: "Error", message: String(error) };
  const hint = error instanceof UsageError && error.hint ? { hint: error.hint } : {};
  return { name: error.name, message: error.message, ...hint, ...named };
}

/** A commander failure (unknown option, bad value, missing argument) as `--json` shows it: a usage error. */
export function commanderErrorJson(error: CommanderError): unknown {
  return { name: "UsageError", code: error.code, message: error.message.replace(/^error: /, "") };
}

/** The stack trace and causes for --debug (printed through the redacting writer, like every line). */
export function debugDetail(error: unknown): string {
  return inspect(error, { depth: 4 });
}
