import { randomBytes } from "node:crypto";
import { copyFile, mkdir, rename, rm, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

/** Seams for tests: the rename that moves each staged file into place (inject one that fails). */
export interface AtomicWriteOptions {
  rename?: (from: string, to: string) => Promise<void>;
}

interface Slot {
  target: string;
  temporary: string;
  /** A copy of the target as it was, when it existed. */
  backup?: string;
  committed: boolean;
}

const beside = (target: string, suffix: string) =>
  join(dirname(target), `.${basename(target)}.${randomBytes(4).toString("hex")}.${suffix}`);
const exists = (file: string) =>
  stat(file).then(
    () => true,
    () => false,
  );

/** Puts back every target already replaced; returns the slots that could not be restored. */
async function restore(slots: Slot[]): Promise<Slot[]> {
  const unrestored: Slot[] = [];
  for (const slot of slots.filter((each) => each.committed).reverse()) {
    try {
      if (slot.backup) await rename(slot.backup, slot.target);
      else await rm(slot.target, { force: true });
      slot.backup = undefined;
    } catch {
      unrestored.push(slot);
    }
  }
  return unrestored;
}

async function cleanUp(slots: Slot[]): Promise<void> {
  await Promise.all(
    slots.flatMap((slot) => [
      rm(slot.temporary, { force: true }),
      slot.backup ? rm(slot.backup, { force: true }) : undefined,
    ]),
  );
}

/**
 * Writes several files so that either all of them land or none do. Every file is first written to
 * a temporary file beside its target and every existing target is copied to a backup; only then
 * are the temporaries renamed into place. If a rename fails, the targets already replaced are
 * restored from their backups (or removed, if they did not exist) and the error is rethrown, so
 * the targets are left as they were. Temporaries and backups are removed in every case.
 */
export async function writeFilesAtomically(
  files: ReadonlyMap<string, string>,
  options: AtomicWriteOptions = {},
): Promise<void> {
  const move = options.rename ?? rename;
  const slots: Slot[] = [];
  try {
    for (const [target, content] of files) {
      await mkdir(dirname(target), { recursive: true });
      const slot: Slot = { target, temporary: beside(target, "tmp"), committed: false };
      slots.push(slot);
      await writeFile(slot.temporary, content);
      if (await exists(target)) {
        slot.backup = beside(target, "bak");
        await copyFile(target, slot.backup);
      }
    }
  } catch (error) {
    await cleanUp(slots);
    throw error;
  }
  try {
    for (const slot of slots) {
      await move(slot.temporary, slot.target);
      slot.committed = true;
    }
  } catch (error) {
    const unrestored = await restore(slots);
    await cleanUp(slots.filter((slot) => !unrestored.includes(slot)));
    if (unrestored.length === 0) throw error;
    const lines = unrestored.map((slot) => `${slot.target} (its previous content is in ${slot.backup})`);
    const message = `writing failed and these files could not be restored:\n  ${lines.join("\n  ")}`;
    throw new AggregateError([error], message, { cause: error });
  }
  await cleanUp(slots);
}
