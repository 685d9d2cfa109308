import { join, resolve } from "node:path";
import { generateFiles, readGenerationInputs } from "./generate";
import { writeFilesAtomically } from "./atomic-write";
import { driftedFiles } from "./drift";
import { PATHS, pathsUnder } from "./paths";
import type { SpecCommand } from "./diff/cli-support";

const USAGE = `usage: generate [--check] [--root=DIR] [--out=DIR]
  --check     regenerate in memory; exit 1 naming the files of generated/ that drifted
  --root=DIR  read DIR/spec instead of this repository's
  --out=DIR   write (or check) DIR instead of generated/
exit status: 0 written (or up to date), 1 drift, 2 an invalid page or overlay (nothing written)
`;

async function main(argv: string[]) {
  if (argv.includes("--help")) return { code: 0, stdout: USAGE, stderr: "" };
  const option = (name: string) => argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
  const paths = pathsUnder(resolve(option("root") ?? PATHS.root));
  const outDir = option("out") ?? paths.generated;
  const files = await generateFiles(await readGenerationInputs(paths));
  if (argv.includes("--check")) {
    const drifted = await driftedFiles(outDir, files);
    if (drifted.length === 0)
      return { code: 0, stdout: "", stderr: "generate:check: generated/ is up to date with spec/\n" };
    const fix = "Run `npm run generate` and commit the result.";
    return {
      code: 1,
      stdout: "",
      stderr: `generate:check: generated/ has drifted from spec/: ${drifted.join(", ")}\n${fix}\n`,
    };
  }
  await writeFilesAtomically(new Map([...files].map(([name, content]) => [join(outDir, name), content])));
  return { code: 0, stdout: "", stderr: `generate: wrote ${[...files.keys()].join(", ")} in ${outDir}\n` };
}

/**
 * `npm run generate` writes generated/ from every vendor page (spec/openapi/*.json) and the overlays
 * (spec/overlay.json, spec/overlays/*.json), all files or none. `npm run generate:check` (`--check`)
 * regenerates in memory and exits 1, naming the files, when generated/ differs in anything but
 * formatting. Exit 2: a page or an overlay is invalid (generated/ is left untouched).
 */
export const GENERATE_COMMAND: SpecCommand = { name: "generate", usage: USAGE, main };
