/**
 * `npm run generate` writes generated/ from spec/openapi.json and spec/overlay.json, all files or
 * none. `npm run generate:check` (`--check`) regenerates in memory and exits 1, naming the files,
 * when generated/ differs in anything but formatting. Exit 2: the spec or overlay is invalid
 * (generated/ is left untouched).
 */
import { join } from "node:path";
import { generateFiles, readGenerationInputs } from "./lib/generate";
import { writeFilesAtomically } from "./lib/atomic-write";
import { driftedFiles } from "./lib/drift";
import { SpecInputError } from "./lib/spec-input-error";
import { PATHS } from "./lib/paths";

/** Kept here for callers of the generate script; the logic lives in lib/drift.ts. */
export { driftedFiles };

async function main(argv: string[]): Promise<number> {
  const check = argv.includes("--check");
  const outDir = argv.find((arg) => arg.startsWith("--out="))?.slice(6) ?? PATHS.generated;
  const specPath = argv.find((arg) => arg.startsWith("--spec="))?.slice(7);
  const files = await generateFiles(await readGenerationInputs(specPath));
  if (check) {
    const drifted = await driftedFiles(outDir, files);
    if (drifted.length === 0) {
      process.stderr.write("generate:check: generated/ is up to date with spec/\n");
      return 0;
    }
    process.stderr.write(`generate:check: generated/ has drifted from spec/: ${drifted.join(", ")}\nRun \`npm run generate\` and commit the result.\n`);
    return 1;
  }
  await writeFilesAtomically(new Map([...files].map(([name, content]) => [join(outDir, name), content])));
  process.stderr.write(`generate: wrote ${[...files.keys()].join(", ")} in ${outDir}\n`);
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`generate: ${error instanceof SpecInputError ? error.message : (error as Error).stack}\n`);
      process.exit(2);
    },
  );
}
