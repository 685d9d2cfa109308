/**
 * `npm run spec:update -- NEW [--accept-breaking] [--format text|json|markdown] [--no-typecheck]`:
 * takes a new vendor page (or .json), validates it, diffs it against spec/openapi.json from this
 * client's side and, unless it is breaking, writes spec/openapi.json, the vendor page and
 * generated/ all or nothing. Exit 0: updated (or already up to date); 1: breaking, nothing written
 * (or generated/ cannot be produced from it); 2: invalid input, nothing written; 3: writing failed
 * and every file was restored.
 */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { updateSpec } from "./lib/diff/update-spec";
import { formatOf, render, runCli, UsageError } from "./lib/diff/cli-support";
import { PATHS } from "./lib/paths";

const USAGE = `usage: spec:update NEW [--accept-breaking] [--format text|json|markdown] [--no-typecheck] [--root DIR]
  NEW                a vendor page (.md/.txt with the OpenAPI JSON embedded) or a .json file
  --accept-breaking  write even when the change is breaking for this client
  --format           how the report is printed: text (default), json or markdown
  --no-typecheck     skip compiling src/ and examples/downstream/src/ against the new types
  --root DIR         the repository to update (default: this one)
exit status: 0 updated or up to date, 1 breaking (nothing written), 2 invalid input, 3 write failed (rolled back)
`;

const EXIT = { updated: 0, unchanged: 0, refused: 1, failed: 3 } as const;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      "accept-breaking": { type: "boolean" },
      format: { type: "string" },
      "no-typecheck": { type: "boolean" },
      root: { type: "string" },
      help: { type: "boolean" },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const format = formatOf(values.format);
  if (positionals.length !== 1) throw new UsageError(`expected one file (NEW), got ${positionals.length}`);
  const outcome = await updateSpec({
    source: positionals[0]!,
    root: resolve(values.root ?? PATHS.root),
    acceptBreaking: values["accept-breaking"] ?? false,
    typecheck: !values["no-typecheck"],
  });
  process.stdout.write(render(outcome.report, format));
  process.stderr.write(`spec:update: ${outcome.message}\n`);
  return EXIT[outcome.status];
}

runCli("spec:update", USAGE, main, "nothing was written\n");
