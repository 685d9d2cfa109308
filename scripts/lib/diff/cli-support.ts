import { parseArgs, type ParseArgsConfig } from "node:util";
import { loadSpecSource } from "../extract";
import { SpecInputError } from "../spec-input-error";
import { validateOpenApi } from "../validate-openapi";
import { renderJson, renderMarkdown, renderText } from "./report";
import type { DiffReport } from "./types";

/** The report formats the spec CLIs print. */
const FORMATS = { text: renderText, json: renderJson, markdown: renderMarkdown } as const;
type Format = keyof typeof FORMATS;

/** A usage problem on the command line: the CLIs print it with their usage and exit 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** The options both spec CLIs take. */
const COMMON_OPTIONS = {
  format: { type: "string" },
  "no-typecheck": { type: "boolean" },
  root: { type: "string" },
  help: { type: "boolean" },
} as const satisfies ParseArgsConfig["options"];

/** Parses a spec CLI's arguments: the common options, the command's own, and the files. */
export function parseSpecArgs<Own extends NonNullable<ParseArgsConfig["options"]>>(argv: string[], own: Own) {
  return parseArgs({ args: argv, allowPositionals: true, strict: true, options: { ...COMMON_OPTIONS, ...own } });
}

/** Checks a --format value. */
export function formatOf(value: string | undefined): Format {
  const format = value ?? "text";
  if (!(format in FORMATS))
    throw new UsageError(`--format must be text, json or markdown (got ${JSON.stringify(format)})`);
  return format as Format;
}

/** Renders a report in a format. */
export const render = (report: DiffReport, format: Format): string => FORMATS[format](report);

/** Loads a vendor page or .json file and validates it as OpenAPI; throws SpecInputError with the reason. */
export async function loadValidSpec(file: string): Promise<Record<string, unknown>> {
  const document = await loadSpecSource(file);
  await validateOpenApi(document, file);
  return document;
}

/** What a spec command printed, and its exit code. */
export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A spec CLI: its name, usage, and a main that returns what to print (it never exits the process). */
export interface SpecCommand {
  name: string;
  usage: string;
  main(argv: string[]): Promise<CommandResult>;
  /** Printed last on stderr after every failure (e.g. "nothing was written"). */
  afterFailure?: string;
}

/**
 * Runs a spec command in this process and returns its output and exit code. Invalid input
 * (SpecInputError) and usage mistakes give exit 2 with the reason (usage mistakes also print the
 * usage); anything else is a bug and gives exit 2 with its stack.
 */
export async function runCommand(command: SpecCommand, argv: string[]): Promise<CommandResult> {
  try {
    return await command.main(argv);
  } catch (error) {
    const isUsage =
      error instanceof UsageError || String((error as { code?: unknown }).code).startsWith("ERR_PARSE_ARGS");
    const known = isUsage || error instanceof SpecInputError;
    const reason = known ? (error as Error).message : (error as Error).stack;
    return {
      code: 2,
      stdout: "",
      stderr: `${command.name}: ${reason}\n${isUsage ? command.usage : ""}${command.afterFailure ?? ""}`,
    };
  }
}

/** Runs a spec command on the process's arguments, prints what it returns and exits with its code. */
export function runCli(command: SpecCommand): void {
  void runCommand(command, process.argv.slice(2)).then(({ code, stdout, stderr }) => {
    process.stdout.write(stdout);
    process.stderr.write(stderr);
    process.exitCode = code;
  });
}
