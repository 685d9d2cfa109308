/**
 * `npm run -s spec:diff -- OLD NEW [--format text|json|markdown] [--no-typecheck]`: compares two
 * vendor specs (each a vendor page with the JSON embedded, or a .json file) from this client's side.
 * Prints one line per change (where, what changed, verdict), the type check of src/ and
 * examples/downstream/src/ against NEW's generated types, a summary and a suggested semver bump.
 * Exit 0: nothing breaking; 1: breaking; 2: invalid input (unreadable, no JSON, not OpenAPI).
 */
import { basename, resolve } from "node:path";
import { parseArgs } from "node:util";
import { readGenerationInputs } from "./lib/generate";
import { pageDocumenting } from "./lib/pages";
import { diffSpecs } from "./lib/diff/diff-specs";
import { formatOf, loadValidSpec, render, runCli, UsageError } from "./lib/diff/cli-support";
import { PATHS, pathsUnder } from "./lib/paths";

const USAGE = `usage: spec:diff OLD NEW [--format text|json|markdown] [--no-typecheck] [--root DIR]
  OLD, NEW        a vendor page (.md/.txt with the OpenAPI JSON embedded) or a .json file
  --format        text (default), json (for machines) or markdown (for a PR comment or CI summary)
  --no-typecheck  skip compiling src/ and examples/downstream/src/ against NEW's generated types
  --root DIR      the repository whose spec/ overlays, src/ and examples/ are used (default: this one)
exit status: 0 no breaking change, 1 breaking, 2 invalid input
`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { format: { type: "string" }, "no-typecheck": { type: "boolean" }, root: { type: "string" }, help: { type: "boolean" } },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const format = formatOf(values.format);
  if (positionals.length !== 2) throw new UsageError(`expected OLD and NEW, got ${positionals.length} file(s)`);
  const [oldFile, newFile] = positionals as [string, string];
  const paths = pathsUnder(resolve(values.root ?? PATHS.root));
  const [before, after] = await Promise.all([loadValidSpec(oldFile), loadValidSpec(newFile)]);
  const inputs = await readGenerationInputs(paths);
  const page = pageDocumenting(inputs, after)?.name ?? basename(newFile).replace(/\.[^.]*$/, "");
  const { report } = await diffSpecs(before, after, { inputs, page, typecheckRoot: values["no-typecheck"] ? false : paths.root, labels: { old: oldFile, new: newFile } });
  process.stdout.write(render(report, format));
  return report.breaking ? 1 : 0;
}

runCli("spec:diff", USAGE, main);
