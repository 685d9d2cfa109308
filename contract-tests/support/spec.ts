import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { mergeDocuments } from "../../scripts/lib/merge-specs";
import { discriminated, loadSpec, pageName, specFiles, type SpecDocument } from "../../src/verify/spec";

/** The repository root. */
export const REPO_ROOT = join(__dirname, "..", "..");

/**
 * The one document Prism serves: the verbatim pages merged with the generator's own
 * `mergeDocuments` (never an overlay). Pages of models sharing a path become one operation whose
 * body is a `oneOf` of theirs, each page's `model` limited to its own models (`discriminated`).
 */
export function mergedSpec(files: string[] = specFiles()): SpecDocument {
  const pages = files.map((file) => ({
    name: pageName(file),
    document: discriminated(pageName(file), loadSpec(file)),
  }));
  return mergeDocuments(pages) as SpecDocument;
}

/** Writes the merged document into `dir` and returns its path. */
export function writeMergedSpec(dir: string, files: string[] = specFiles()): string {
  const file = join(dir, "contract-spec.json");
  writeFileSync(file, JSON.stringify(mergedSpec(files), null, 2));
  return file;
}
