import { resolve } from "node:path";
import { readGenerationInputs } from "../generate";
import { findPage, pageAgainstOld } from "../pages";
import { PATHS, pathsUnder } from "../paths";
import { diffSpecs } from "./diff-specs";
import { formatOf, loadValidSpec, parseSpecArgs, render, UsageError, type SpecCommand } from "./cli-support";

const USAGE = `usage: spec:diff OLD NEW [--format text|json|markdown] [--no-typecheck] [--root DIR]
  OLD, NEW        a vendor page (.md/.txt with the OpenAPI JSON embedded) or a .json file
  --format        text (default), json (for machines) or markdown (for a PR comment or CI summary)
  --no-typecheck  skip compiling src/ and examples/downstream/src/ against every page's types, NEW in place
  --root DIR      the repository whose spec/ overlays, src/ and examples/ are used (default: this one)
OLD and NEW each belong to a page by (path, model): the page named like the file, else the page on
its path claiming its model (from its overlay, its model schema, its summary, else its file name).
When both are one page (or nothing in NEW names a model), OLD is compared with NEW; a NEW that is a
new page (a new model on a shared path, or new paths) has its operations reported as added, never
as a change to OLD's page.
exit status: 0 no breaking change, 1 breaking, 2 invalid input
`;

async function main(argv: string[]) {
  const { values, positionals } = parseSpecArgs(argv, {});
  if (values.help) return { code: 0, stdout: USAGE, stderr: "" };
  const format = formatOf(values.format);
  if (positionals.length !== 2) throw new UsageError(`expected OLD and NEW, got ${positionals.length} file(s)`);
  const [oldFile, newFile] = positionals as [string, string];
  const paths = pathsUnder(resolve(values.root ?? PATHS.root));
  const [before, after] = await Promise.all([loadValidSpec(oldFile), loadValidSpec(newFile)]);
  const inputs = await readGenerationInputs(paths);
  const [found, oldPage] = await Promise.all([
    findPage(paths, inputs, after, newFile),
    findPage(paths, inputs, before, oldFile),
  ]);
  const page = pageAgainstOld(found, oldPage);
  const typecheckRoot = values["no-typecheck"] ? false : paths.root;
  const { report } = await diffSpecs(before, after, {
    inputs,
    page,
    oldPage: oldPage.name,
    typecheckRoot,
    labels: { old: oldFile, new: newFile },
  });
  return { code: report.breaking ? 1 : 0, stdout: render(report, format), stderr: "" };
}

/**
 * `npm run -s spec:diff -- OLD NEW [--format text|json|markdown] [--no-typecheck]`: compares two
 * versions of a vendor page (each a page with the JSON embedded, or a .json file) from this
 * client's side. Prints one line per change (its operation, where, what changed, verdict), the type
 * check, a summary and a suggested semver bump. Exit 0: nothing breaking; 1: breaking; 2: invalid input.
 */
export const DIFF_COMMAND: SpecCommand = { name: "spec:diff", usage: USAGE, main };
