import { readdir, rm } from "node:fs/promises";
import { join } from "node:path";

/**
 * downloadVideo's throw-away temporary files: `.<file name>.<12 hex>.part` beside the destination.
 * Its resumable parts (`.<file name>.resume-<12 hex>.part`, which the batch asks for) do not match:
 * the next run continues them with a Range request instead.
 */
const PART = /^\.(.+)\.[0-9a-f]{12}\.part$/;

/**
 * Removes the throw-away temporary files that downloads of a killed run (or of an older version,
 * which did not resume) left in the out dir, for the given job file names only. Safe because the
 * batch lock keeps any other run out of this directory. Resolves to the names removed.
 */
export async function removeStaleParts(outDir: string, fileNames: ReadonlySet<string>): Promise<string[]> {
  const stale = (await readdir(outDir)).filter((name) => {
    const target = PART.exec(name)?.[1];
    return target !== undefined && fileNames.has(target);
  });
  await Promise.all(stale.map((name) => rm(join(outDir, name), { force: true })));
  return stale;
}
