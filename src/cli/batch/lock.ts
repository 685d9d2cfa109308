import { readFile, unlink, writeFile } from "node:fs/promises";
import { UsageError } from "../exit";

/** The lock's file name inside the out dir. */
export const LOCK_FILE = "sora-batch.lock";

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Takes the out dir's batch lock (a file holding our pid), so two runs never share a journal. A
 * lock left by a process that is gone (killed, crashed) is taken over. Returns the release function.
 */
export async function takeLock(path: string): Promise<() => Promise<void>> {
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      await writeFile(path, `${process.pid}\n`, { flag: "wx" });
      return () => unlink(path).catch(() => undefined);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = Number.parseInt(await readFile(path, "utf8").catch(() => ""), 10);
      if (Number.isInteger(holder) && holder !== process.pid && isAlive(holder)) {
        throw new UsageError(
          `Another sora-video batch (pid ${holder}) is using this out dir.`,
          `wait for it to finish, or remove ${path} if that process is not a batch.`,
        );
      }
      await unlink(path).catch(() => undefined);
    }
  }
  throw new UsageError(`Could not take the batch lock ${path}.`);
}
