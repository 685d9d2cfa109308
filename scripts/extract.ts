/**
 * `npm run extract -- [PAGE] [OUT]`: pulls the OpenAPI JSON out of the vendor's documentation page
 * and writes it, pretty-printed, to spec/openapi.json. Exit 0 on success, 2 on bad input (nothing
 * is written then).
 */
import { resolve } from "node:path";
import { extractOpenApiFromPage, formatSpecJson } from "./lib/extract";
import { writeFilesAtomically } from "./lib/atomic-write";
import { readFile } from "node:fs/promises";
import { SpecInputError } from "./lib/spec-input-error";
import { PATHS } from "./lib/paths";

async function main(argv: string[]): Promise<number> {
  if (argv.includes("--help")) {
    process.stdout.write("usage: extract [PAGE] [OUT]\n  defaults: spec/vendor/sora-2-pro-image-to-video.md spec/openapi.json\n");
    return 0;
  }
  const page = resolve(argv[0] ?? PATHS.vendorPage);
  const out = resolve(argv[1] ?? PATHS.spec);
  let text: string;
  try {
    text = await readFile(page, "utf8");
  } catch (error) {
    throw new SpecInputError(`cannot read file (${(error as NodeJS.ErrnoException).code ?? "error"})`, page);
  }
  const document = extractOpenApiFromPage(text, page);
  await writeFilesAtomically(new Map([[out, formatSpecJson(document)]]));
  process.stderr.write(`extract: wrote ${out}\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`extract: ${error instanceof SpecInputError ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
