import { loadSpecSource } from "../extract";
import { SpecInputError } from "../spec-input-error";
import { validateOpenApi } from "../validate-openapi";
import { renderJson, renderMarkdown, renderText } from "./report";
import type { DiffReport } from "./types";

/** The report formats the spec CLIs print. */
export const FORMATS = { text: renderText, json: renderJson, markdown: renderMarkdown } as const;
export type Format = keyof typeof FORMATS;

/** A usage problem on the command line: the CLIs print it with their usage and exit 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** Checks a --format value. */
export function formatOf(value: string | undefined): Format {
  const format = value ?? "text";
  if (!(format in FORMATS)) throw new UsageError(`--format must be text, json or markdown (got ${JSON.stringify(format)})`);
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

/**
 * Runs a spec CLI's main and exits with its code. Invalid input (SpecInputError) and usage
 * mistakes exit 2 with the reason (usage mistakes also print the usage); anything else is a bug
 * and exits 2 with its stack. `after` is printed last on every failure.
 */
export function runCli(name: string, usage: string, main: (argv: string[]) => Promise<number>, after = ""): void {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      const isUsage = error instanceof UsageError || String((error as { code?: unknown }).code).startsWith("ERR_PARSE_ARGS");
      const known = isUsage || error instanceof SpecInputError;
      process.stderr.write(`${name}: ${known ? (error as Error).message : (error as Error).stack}\n${isUsage ? usage : ""}${after}`);
      process.exit(2);
    },
  );
}
