import { readdir, rm } from "node:fs/promises";
import { join } from "node:path";

/** downloadVideo's temporary files: `.<file name>.<12 hex>.part` beside the destination. */
const PART = /^\.(.+)\.[0-9a-f]{12}\.part$/;

/**
 * Removes the temporary files that downloads of a killed run left in the out dir, for the given
 * job file names only. Safe because the batch lock keeps any other run out of this directory.
 * Resolves to the names removed.
 */
export async function removeStaleParts(outDir: string, fileNames: ReadonlySet<string>): Promise<string[]> {
  const stale = (await readdir(outDir)).filter((name) => {
    const target = PART.exec(name)?.[1];
    return target !== undefined && fileNames.has(target);
  });
  await Promise.all(stale.map((name) => rm(join(outDir, name), { force: true })));
  return stale;
}
