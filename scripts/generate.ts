/**
 * `npm run generate` writes generated/ from every vendor page (spec/openapi/*.json) and the overlays
 * (spec/overlay.json, spec/overlays/*.json), all files or none. `npm run generate:check` (`--check`)
 * regenerates in memory and exits 1, naming the files, when generated/ differs in anything but
 * formatting. Exit 2: a page or an overlay is invalid (generated/ is left untouched).
 * `--root=DIR` reads DIR/spec instead of this repository's; `--out=DIR` writes (or checks) DIR.
 */
import { join, resolve } from "node:path";
import { generateFiles, readGenerationInputs } from "./lib/generate";
import { writeFilesAtomically } from "./lib/atomic-write";
import { driftedFiles } from "./lib/drift";
import { SpecInputError } from "./lib/spec-input-error";
import { PATHS, pathsUnder } from "./lib/paths";

/** Kept here for callers of the generate script; the logic lives in lib/drift.ts. */
export { driftedFiles };

async function main(argv: string[]): Promise<number> {
  const check = argv.includes("--check");
  const option = (name: string) => argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
  const paths = pathsUnder(resolve(option("root") ?? PATHS.root));
  const outDir = option("out") ?? paths.generated;
  const files = await generateFiles(await readGenerationInputs(paths));
  if (check) {
    const drifted = await driftedFiles(outDir, files);
    if (drifted.length === 0) {
      process.stderr.write("generate:check: generated/ is up to date with spec/\n");
      return 0;
    }
    process.stderr.write(
      `generate:check: generated/ has drifted from spec/: ${drifted.join(", ")}\nRun \`npm run generate\` and commit the result.\n`,
    );
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
