import { resolve } from "node:path";
import { PATHS } from "../paths";
import { updateSpec } from "./update-spec";
import { formatOf, parseSpecArgs, render, UsageError, type SpecCommand } from "./cli-support";

const USAGE = `usage: spec:update NEW [--accept-breaking] [--format text|json|markdown] [--no-typecheck] [--root DIR]
  NEW                a vendor page (.md/.txt with the OpenAPI JSON embedded) or a .json file
  --accept-breaking  write even when the change is breaking for this client
  --format           how the report is printed: text (default), json or markdown
  --no-typecheck     skip compiling src/ and examples/downstream/src/ against the new types
  --root DIR         the repository to update (default: this one)
NEW updates its page, found by (path, model): the page named like its file, else the page on its
path claiming its model (from its overlay, its model schema, its summary, else its file name). A new
model on a shared path, or new paths, is a new page: it needs spec/overlays/NAME.json first (the
message gives one to paste, naming the model). Nothing is written when the type check finds that
src/ would not compile, even with --accept-breaking.
exit status: 0 updated or up to date, 1 breaking, not generable or not compiling (nothing written), 2 invalid input,
3 write failed (rolled back)
`;

const EXIT = { updated: 0, unchanged: 0, refused: 1, failed: 3 } as const;

async function main(argv: string[]) {
  const { values, positionals } = parseSpecArgs(argv, { "accept-breaking": { type: "boolean" } } as const);
  if (values.help) return { code: 0, stdout: USAGE, stderr: "" };
  const format = formatOf(values.format);
  if (positionals.length !== 1) throw new UsageError(`expected one file (NEW), got ${positionals.length}`);
  const outcome = await updateSpec({
    source: positionals[0]!,
    root: resolve(values.root ?? PATHS.root),
    acceptBreaking: values["accept-breaking"] ?? false,
    typecheck: !values["no-typecheck"],
  });
  return {
    code: EXIT[outcome.status],
    stdout: render(outcome.report, format),
    stderr: `spec:update: ${outcome.message}\n`,
  };
}

/**
 * `npm run spec:update -- NEW [--accept-breaking] [--format …] [--no-typecheck]`: takes a new
 * version of a vendor page (or a new page), diffs it against the page's committed contract from
 * this client's side and, unless it is breaking, writes the page's spec/openapi/NAME.json, the
 * vendor page and generated/ all or nothing. Exit 0 updated or up to date; 1 refused, nothing
 * written; 2 invalid input, nothing written; 3 writing failed and every file was restored.
 */
export const UPDATE_COMMAND: SpecCommand = {
  name: "spec:update",
  usage: USAGE,
  main,
  afterFailure: "nothing was written\n",
};
