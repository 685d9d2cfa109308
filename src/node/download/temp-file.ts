import { createHash, randomBytes } from "node:crypto";
import { link, open, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { looksLikeVideo } from "./video-check";

/** Creates a new, empty temporary file beside `dest` (same directory, dot-prefixed, unique) and returns its path. */
export async function createTempFile(dest: string): Promise<string> {
  const path = join(dirname(dest), `.${basename(dest)}.${randomBytes(6).toString("hex")}.part`);
  await (await open(path, "wx")).close();
  return path;
}

/**
 * The resumable partial file of a download (`resume: true`): `.<name>.resume-<hash>.part` beside
 * `dest`, where the hash is of the whole URL, so a part is only ever continued by a download of
 * the same URL into the same file. Unlike createTempFile's random names, it is found again by the
 * next run.
 */
export function resumablePartPath(dest: string, url: URL): string {
  const hash = createHash("sha256").update(url.href).digest("hex").slice(0, 12);
  return join(dirname(dest), `.${basename(dest)}.resume-${hash}.part`);
}

/** What identifies the version of a video a resumable part holds: its strong ETag and whole size, as the server said. */
export interface PartVersion {
  etag?: string;
  total?: number;
}

/** Where a resumable part's version is kept: beside it, `<part>.json`. */
const versionPath = (part: string) => `${part}.json`;

async function readPartVersion(part: string): Promise<PartVersion | undefined> {
  try {
    const { etag, total } = JSON.parse(await readFile(versionPath(part), "utf8")) as Record<string, unknown>;
    const version = {
      ...(typeof etag === "string" && { etag }),
      ...(typeof total === "number" && Number.isInteger(total) && { total }),
    };
    return version.etag !== undefined || version.total !== undefined ? version : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Records the version of the video a resumable part is receiving (before its first byte is
 * written), so that a later run continues it only from the same version: with If-Range on the
 * ETag, and a check of the whole size.
 */
export async function writePartVersion(part: string, version: PartVersion): Promise<void> {
  await writeFile(versionPath(part), `${JSON.stringify(version)}\n`);
}

/** Removes a resumable part and its version record. */
export async function removePart(part: string): Promise<void> {
  await Promise.all([rm(part, { force: true }), rm(versionPath(part), { force: true })]);
}

/**
 * Opens (creating it if needed) a resumable partial file and returns how many of its bytes can be
 * continued, and of which version: its size when it starts like a video and its version record
 * names an ETag or a size; otherwise 0 (the file is emptied: bytes of an unknown version are never
 * spliced onto another).
 */
export async function openResumablePart(path: string): Promise<{ bytes: number; version?: PartVersion }> {
  const version = await readPartVersion(path);
  const handle = await open(path, "a+");
  try {
    const { size } = await handle.stat();
    const head = Buffer.alloc(Math.min(size, 16));
    await handle.read(head, 0, head.length, 0);
    if (size > 0 && version && looksLikeVideo(head)) return { bytes: size, version };
    await handle.truncate(0);
    await rm(versionPath(path), { force: true });
    return { bytes: 0 };
  } finally {
    await handle.close();
  }
}

/** True when something exists at `path`. */
export async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw error;
  }
}

/** Makes a rename durable where the platform allows it (Linux, macOS); elsewhere a no-op. */
async function syncDirectory(directory: string): Promise<void> {
  const handle = await open(directory, "r").catch(() => undefined);
  await handle?.sync().catch(() => undefined);
  await handle?.close();
}

/**
 * Moves a complete temporary file into place. With `overwrite` it replaces dest atomically;
 * without, a hard link refuses to replace a file that appeared meanwhile (EEXIST), falling back to
 * a checked rename on file systems without hard links.
 */
export async function commitTempFile(temp: string, dest: string, overwrite: boolean): Promise<void> {
  if (overwrite) {
    await rename(temp, dest);
  } else {
    try {
      await link(temp, dest);
      await rm(temp, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EEXIST") throw error;
      if (await exists(dest))
        throw Object.assign(new Error(`${dest} appeared during the download`), { code: "EEXIST" });
      await rename(temp, dest);
    }
  }
  await syncDirectory(dirname(dest));
}
