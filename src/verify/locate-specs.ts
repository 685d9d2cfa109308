import { existsSync } from "node:fs";
import { dirname, join } from "node:path";

/** Thrown when the package's verbatim specs cannot be found next to the running code. */
export class SpecsNotFoundError extends Error {
  override readonly name = "SpecsNotFoundError";
}

/**
 * The directory of the verbatim vendor specs (`spec/openapi/`) of the package this code runs
 * from: the installed package's own copy (it ships in "files"), or the repository's when run from
 * source. Found by walking up from this module to the first directory that holds both a
 * package.json and spec/openapi/, so it works from src/, dist/ and dist's chunks alike.
 */
export function packageSpecDir(start: string = __dirname): string {
  for (let dir = start; ; dir = dirname(dir)) {
    const candidate = join(dir, "spec", "openapi");
    if (existsSync(join(dir, "package.json")) && existsSync(candidate)) return candidate;
    if (dirname(dir) === dir)
      throw new SpecsNotFoundError(`No spec/openapi/ above ${start}: is the package installed whole?`);
  }
}
