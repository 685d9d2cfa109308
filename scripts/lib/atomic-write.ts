import { randomBytes } from "node:crypto";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join, basename } from "node:path";

/**
 * Writes several files so that either all of them land or none do: each is written to a
 * temporary file beside its target first, and only when every write succeeded are they renamed
 * into place. A failure before the renames removes the temporaries and leaves targets as they were.
 */
export async function writeFilesAtomically(files: ReadonlyMap<string, string>): Promise<void> {
  const staged: Array<[temporary: string, target: string]> = [];
  try {
    for (const [target, content] of files) {
      await mkdir(dirname(target), { recursive: true });
      const temporary = join(dirname(target), `.${basename(target)}.${randomBytes(4).toString("hex")}.tmp`);
      staged.push([temporary, target]);
      await writeFile(temporary, content);
    }
  } catch (error) {
    await Promise.all(staged.map(([temporary]) => rm(temporary, { force: true })));
    throw error;
  }
  for (const [temporary, target] of staged) await rename(temporary, target);
}
