/**
 * `npm run extract` pulls the OpenAPI JSON out of every vendor page (spec/vendor/NAME.md) and
 * writes it, pretty-printed, to spec/openapi/NAME.json. `npm run extract -- PAGE OUT` does one page.
 * Exit 0 on success, 2 on bad input (nothing is written then).
 */
import { resolve } from "node:path";
import { readFile } from "node:fs/promises";
import { extractOpenApiFromPage, formatSpecJson } from "./lib/extract";
import { writeFilesAtomically } from "./lib/atomic-write";
import { SpecInputError } from "./lib/spec-input-error";
import { PATHS } from "./lib/paths";
import { pageNames } from "./lib/pages";

const USAGE = "usage: extract [PAGE OUT]\n  default: every spec/vendor/NAME.md to spec/openapi/NAME.json\n";

async function extracted(page: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(page, "utf8");
  } catch (error) {
    throw new SpecInputError(`cannot read file (${(error as NodeJS.ErrnoException).code ?? "error"})`, page);
  }
  return formatSpecJson(extractOpenApiFromPage(text, page));
}

async function main(argv: string[]): Promise<number> {
  if (argv.includes("--help")) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (argv.length === 1 || argv.length > 2) throw new SpecInputError(`expected no arguments or PAGE and OUT\n${USAGE}`);
  const pairs =
    argv.length === 2
      ? [[resolve(argv[0]!), resolve(argv[1]!)]]
      : (await pageNames(PATHS)).map((name) => [PATHS.page(name).vendorPage, PATHS.page(name).spec]);
  const files = new Map<string, string>();
  for (const [page, out] of pairs) files.set(out!, await extracted(page!));
  await writeFilesAtomically(files);
  process.stderr.write(`extract: wrote ${[...files.keys()].join(", ")}\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`extract: ${error instanceof SpecInputError ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
