import { inspect } from "node:util";
import { isSoraError, type SoraError } from "../node";
import { redactText } from "../redact";
import { EXIT, InterruptedError, UsageError, type ExitCode } from "./exit";

/** What the CLI prints for a failure: one line, an optional hint, and the exit code. */
export interface FailureReport {
  line: string;
  hint: string | undefined;
  exitCode: ExitCode;
}

/** The flag (or variable) behind each client option a ConfigurationError can name. */
const FLAG_OF_OPTION: Readonly<Record<string, string>> = {
  apiKey: "ONEROUTER_API_KEY",
  baseUrl: "--base-url (or ONEROUTER_BASE_URL)",
  timeoutMs: "--timeout",
  authScheme: "--auth-scheme",
};

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
    case "DownloadError":
      return "only saving the video failed; downloading again costs nothing (`sora-video download <url>`).";
    case "ConfigurationError": {
      const flag = FLAG_OF_OPTION[(error as SoraError & { option?: string }).option ?? ""];
      return flag ? `check ${flag}.` : undefined;
    }
    default:
      if (error.mayHaveBeenAccepted)
        return "the request may have been accepted and billed; it was not re-sent. Check before running it again.";
      if (error.name === "APIConnectionError") return "nothing was sent: check --base-url and the network.";
      return undefined;
  }
}

function exitCodeFor(error: unknown): ExitCode {
  if (
    error instanceof UsageError ||
    isSoraError(error, "ConfigurationError") ||
    isSoraError(error, "RequestValidationError")
  )
    return EXIT.usage;
  if (error instanceof InterruptedError || isSoraError(error, "APIUserAbortError")) return EXIT.interrupted;
  return EXIT.failure;
}

/** Describes a failure for the terminal: the error's message (never the key), a hint, the exit code. */
export function reportFailure(error: unknown, apiKey: string | undefined): FailureReport {
  const redact = (text: string) => redactText(text, apiKey ?? "");
  const exitCode = exitCodeFor(error);
  if (error instanceof UsageError)
    return { line: redact(error.message), hint: error.hint && redact(error.hint), exitCode };
  if (error instanceof InterruptedError) return { line: redact(error.message), hint: undefined, exitCode };
  if (isSoraError(error)) {
    const hint = hintFor(error);
    return { line: redact(`${error.name}: ${error.message}`), hint: hint && redact(hint), exitCode };
  }
  const message = error instanceof Error ? error.message : String(error);
  return {
    line: redact(`unexpected error: ${message}`),
    hint: "run again with --debug for the stack trace, and report it if it persists.",
    exitCode,
  };
}

/** An error as `--json` output shows it: its own toJSON() when it has one, else its name and message. */
export function errorJson(error: unknown): unknown {
  if (typeof (error as { toJSON?: unknown }).toJSON === "function") return (error as { toJSON(): unknown }).toJSON();
  return { name: (error as Error).name, message: (error as Error).message };
}

/** The stack trace and causes for --debug, with the key removed. */
export function debugDetail(error: unknown, apiKey: string | undefined): string {
  return redactText(inspect(error, { depth: 4 }), apiKey ?? "");
}
