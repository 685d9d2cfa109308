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
NEW updates the page documenting its paths (else the page named like its file). A page for new
paths is a new page: it needs spec/overlays/NAME.json first (the message gives one to paste).
exit status: 0 updated or up to date, 1 breaking or not generable (nothing written), 2 invalid input,
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
