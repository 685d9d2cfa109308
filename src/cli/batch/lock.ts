import { randomBytes } from "node:crypto";
import { link, open, rename, stat, unlink } from "node:fs/promises";
import { dirname } from "node:path";
import { UsageError } from "../exit";
import { unusableOutDir } from "./out-dir";

/** The lock's file name inside the out dir. */
export const LOCK_FILE = "sora-batch.lock";

/**
 * How long a lock without a whole pid in it counts as being written by a run that is starting
 * (older versions created the file empty and wrote the pid after). Only an older one is stale.
 */
const INCOMPLETE_GRACE_MS = 10_000;

/** Filesystems without hard links (FAT, some network mounts) say so with one of these. */
const NO_LINKS = new Set(["EPERM", "ENOTSUP", "EOPNOTSUPP", "ENOSYS", "EXDEV"]);

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

const codeOf = (error: unknown) => (error as NodeJS.ErrnoException).code;

/** Writes `text` to a new file and syncs it, so that whoever sees the file sees all of it. */
async function writeWhole(path: string, text: string): Promise<void> {
  const handle = await open(path, "wx");
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** The lock as found: its inode (to know it again), its holder if its content is whole, and its age. */
async function readLock(path: string): Promise<{ ino: number; pid: number | undefined; ageMs: number } | undefined> {
  const handle = await open(path, "r").catch((error: unknown) => {
    if (codeOf(error) === "ENOENT") return undefined;
    throw error;
  });
  if (handle === undefined) return undefined;
  try {
    const info = await handle.stat();
    const whole = /^(\d+)\n$/.exec(await handle.readFile("utf8"));
    return { ino: info.ino, pid: whole ? Number(whole[1]) : undefined, ageMs: Date.now() - info.mtimeMs };
  } finally {
    await handle.close();
  }
}

/**
 * Removes the stale lock with inode `ino`, and only that one: it is renamed aside first (one run
 * alone can do that), and if what was moved is another run's fresh lock (taken between our look
 * and the rename), it is linked back. Two runs that find one stale lock never both remove a live one.
 */
async function removeStale(path: string, ino: number, aside: string): Promise<void> {
  try {
    await rename(path, aside);
  } catch (error) {
    if (codeOf(error) === "ENOENT") return;
    throw error;
  }
  if ((await stat(aside)).ino !== ino) await link(aside, path).catch(() => undefined);
  await unlink(aside).catch(() => undefined);
}

/**
 * Creates the lock at `path` from the whole file `temp` (holding `text`) and resolves to its
 * inode; undefined if a lock is there already.
 */
async function place(temp: string, path: string, text: string): Promise<number | undefined> {
  try {
    await link(temp, path);
    return (await stat(temp)).ino;
  } catch (error) {
    if (codeOf(error) === "EEXIST") return undefined;
    if (!NO_LINKS.has(codeOf(error) ?? "")) throw error;
  }
  // No hard links here: create it exclusively. A reader that finds it still empty waits (INCOMPLETE_GRACE_MS).
  try {
    await writeWhole(path, text);
    return (await stat(path)).ino;
  } catch (error) {
    if (codeOf(error) === "EEXIST") return undefined;
    throw error;
  }
}

/** Options of takeLock (for tests: another run's pid in this process). */
export interface LockOptions {
  /** The pid written into the lock. @default process.pid */
  pid?: number;
}

/**
 * Takes the out dir's batch lock (a file holding our pid), so two runs never share a journal. The
 * lock appears whole: its content is written and synced in a file of our own, then hard-linked to
 * its name, which fails if a lock is there. A lock held by a live process is a UsageError; one
 * without a whole pid (an older version starting) too, for INCOMPLETE_GRACE_MS; one left by a
 * process that is gone (killed, crashed) is taken over (see removeStale). A directory that cannot
 * take the lock (read-only, full) is a UsageError naming it, leaving nothing behind. Returns the
 * release function, which removes the lock only while it is still ours.
 */
export async function takeLock(path: string, options: LockOptions = {}): Promise<() => Promise<void>> {
  const pid = options.pid ?? process.pid;
  const unique = `${pid}.${randomBytes(4).toString("hex")}`;
  const temp = `${path}.${unique}.tmp`;
  const text = `${pid}\n`;
  try {
    await writeWhole(temp, text);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw unusableOutDir(dirname(path), error) ?? error;
  }
  try {
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const ino = await place(temp, path, text);
      if (ino !== undefined) {
        return async () => {
          const now = await stat(path).catch(() => undefined);
          if (now?.ino === ino) await unlink(path).catch(() => undefined);
        };
      }
      const held = await readLock(path);
      if (held === undefined) continue;
      if (held.pid !== undefined && held.pid !== pid && isAlive(held.pid)) {
        throw new UsageError(
          `Another sora-video batch (pid ${held.pid}) is using this out dir.`,
          `wait for it to finish, or remove ${path} if that process is not a batch.`,
        );
      }
      if (held.pid === undefined && held.ageMs < INCOMPLETE_GRACE_MS) {
        throw new UsageError(
          "Another sora-video batch is starting in this out dir (its lock is not written yet).",
          `wait for it to finish, or remove ${path} if no batch is running.`,
        );
      }
      await removeStale(path, held.ino, `${path}.${unique}.stale`);
    }
    throw new UsageError(`Could not take the batch lock ${path}.`);
  } catch (error) {
    throw unusableOutDir(dirname(path), error) ?? error;
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}
