import { writeFile } from "node:fs/promises";
import type { Command } from "commander";
import type { CaseResult, VerifyReport } from "../verify/index";
import type { CliContext } from "./context";
import { EXIT, UsageError, type ExitCode } from "./exit";
import { integerIn } from "./options";

/** The flags of `sora-video verify`, as commander hands them over. */
export interface VerifyFlags {
  baseUrl?: string;
  replay?: string;
  operation?: string;
  paidCalls: number;
  junit?: string;
  json?: boolean;
  videoId?: string;
  imageUrl?: string;
  prompt?: string;
  specDir?: string;
}

/** Declares `verify` on the program; `action` receives the parsed flags. */
export function declareVerify(program: Command, action: (flags: VerifyFlags) => Promise<void>): Command {
  return program
    .command("verify")
    .description(
      "Check a provider against the verbatim specs of every operation (invalid requests must be rejected in the " +
        "gateway's envelope; at most --paid-calls valid, billed ones, each answer checked), or replay recorded " +
        "responses with --replay (no call). Exit 0: the contract holds; 1: it is broken; 2: usage or unreachable.",
    )
    .option("--base-url <url>", "the provider to verify (https, or http on loopback)")
    .option("--replay <dir>", "check the responses recorded with --record in <dir> instead; sends nothing")
    .option("--operation <name>", "only this operation: its path, page name or operationId")
    .option("--paid-calls <n>", "valid (billed) requests allowed, all operations together", integerIn(0, 1000), 0)
    .option("--junit <file>", "write a JUnit XML report for CI")
    .option("--json", "print exactly one JSON document (results and summary) on stdout")
    .option("--video-id <id>", "the video_id of an earlier generation, for valid remixes (else one paid generation)")
    .option("--image-url <url>", "the first-frame image valid generations send (a real provider needs a real one)")
    .option("--prompt <text>", "the prompt valid requests send")
    .option("--spec-dir <dir>", "verbatim specs to check against (default: the installed package's spec/openapi)")
    .action(action);
}

function settingsOf(flags: VerifyFlags) {
  const values: Record<string, string> = {};
  if (flags.imageUrl) values.image_url = flags.imageUrl;
  if (flags.prompt) values.prompt = flags.prompt;
  return { values, videoId: flags.videoId };
}

/** The loaded verify subpath (Ajv and the specs load only when `verify` runs). */
type VerifyModule = typeof import("../verify/index");

async function printRun(
  flags: VerifyFlags,
  context: CliContext,
  run: (onResult: (result: CaseResult) => void) => Promise<VerifyReport>,
  verify: VerifyModule,
): Promise<ExitCode> {
  const failures = flags.json ? context.stderr : context.stdout;
  const result = await run((item) => {
    if (item.outcome === "failed") failures.write(`${verify.failureLine(item)}\n`);
  });
  if (flags.junit) await writeFile(flags.junit, verify.junitXml(result));
  if (flags.json) context.stdout.write(`${JSON.stringify(result)}\n`);
  else context.stdout.write(`${verify.summaryLine(result.summary)}\n`);
  return verify.verifyPassed(result) ? EXIT.ok : EXIT.failure;
}

/**
 * Runs `verify`: against --base-url (key from ONEROUTER_API_KEY only) or --replay <dir>. One line per
 * failed case, then the summary (or one JSON document); exit 0 all hold, 1 broken, 2 usage error or
 * unreachable provider (the message names the URL). The key never appears in any output or report.
 */
export async function runVerify(flags: VerifyFlags, context: CliContext): Promise<ExitCode> {
  if ((flags.baseUrl === undefined) === (flags.replay === undefined)) {
    throw new UsageError("verify needs exactly one of --base-url <url> and --replay <dir>.");
  }
  const apiKey = context.env.ONEROUTER_API_KEY?.trim();
  if (flags.baseUrl !== undefined && !apiKey) {
    throw new UsageError(
      "No API key: set the ONEROUTER_API_KEY environment variable (verify sends it to --base-url only).",
    );
  }
  const verify = await import("../verify/index");
  try {
    if (flags.replay !== undefined) {
      const dir = flags.replay;
      const replay = (onResult: (result: CaseResult) => void) =>
        verify.replayRecordings(dir, { specDir: flags.specDir, onResult });
      return await printRun(flags, context, replay, verify);
    }
    const options = {
      baseUrl: flags.baseUrl!,
      apiKey: apiKey!,
      operation: flags.operation,
      paidCalls: flags.paidCalls,
      settings: settingsOf(flags),
      specDir: flags.specDir,
    };
    return await printRun(flags, context, (onResult) => verify.verifyProvider({ ...options, onResult }), verify);
  } catch (error) {
    const name = (error as Error).name;
    if (name === "ProviderUnreachableError" || name === "VerifyUsageError" || name === "SpecsNotFoundError") {
      throw new UsageError((error as Error).message);
    }
    throw error;
  }
}
