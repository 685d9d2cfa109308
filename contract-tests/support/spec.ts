import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { mergeDocuments } from "../../scripts/lib/merge-specs";
import { loadSpec, pageName, specFiles, type SpecDocument } from "../../src/verify/spec";

/** The repository root. */
export const REPO_ROOT = join(__dirname, "..", "..");

/**
 * The one document Prism serves: the verbatim pages merged with the generator's own
 * `mergeDocuments` (each page's paths unchanged; never an overlay).
 */
export function mergedSpec(files: string[] = specFiles()): SpecDocument {
  return mergeDocuments(files.map((file) => ({ name: pageName(file), document: loadSpec(file) }))) as SpecDocument;
}

/** Writes the merged document into `dir` and returns its path. */
export function writeMergedSpec(dir: string, files: string[] = specFiles()): string {
  const file = join(dir, "contract-spec.json");
  writeFileSync(file, JSON.stringify(mergedSpec(files), null, 2));
  return file;
}
