import { mkdir } from "node:fs/promises";
import { UsageError } from "../exit";

/** What the system says when a directory cannot take our files: read-only, not ours, full, failing. */
const UNUSABLE: Readonly<Record<string, string>> = {
  EROFS: "is on a read-only file system",
  EACCES: "is not writable by this user",
  EPERM: "is not writable by this user",
  ENOSPC: "is on a full disk",
  EDQUOT: "is over its disk quota",
  EIO: "is on a disk that fails to write",
  // A recursive mkdir under a read-only mount says ENOENT, not EROFS.
  ENOENT: "has a parent that is missing or read-only",
  ENOTDIR: "is not a directory",
  EEXIST: "is not a directory",
};

/**
 * The usage error (exit 2) for an `--out` the batch cannot write to, naming the path and the
 * system's reason; undefined for an error that says nothing about the directory.
 */
export function unusableOutDir(outDir: string, error: unknown): UsageError | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const reason = code === undefined ? undefined : UNUSABLE[code];
  if (reason === undefined) return undefined;
  return new UsageError(
    `Cannot use --out ${outDir}: it ${reason} (${code}).`,
    "nothing was sent; choose another --out, or free space / fix its permissions, and run the same command again.",
  );
}

/** Creates `--out` (and its parents) if needed; an unusable one is a UsageError naming it. */
export async function prepareOutDir(outDir: string): Promise<void> {
  try {
    await mkdir(outDir, { recursive: true });
  } catch (error) {
    throw unusableOutDir(outDir, error) ?? error;
  }
}
