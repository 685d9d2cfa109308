import { randomBytes } from "node:crypto";
import { mkdir, open, rm, stat } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { UsageError } from "./exit";

/**
 * Where a command saves a video: a file named up front (`--out clip.mp4`), or a directory
 * (`--out videos/`, an existing directory, or no --out: the current one) in which the file is
 * named after the video once it is known.
 */
export type OutTarget = { kind: "file"; path: string } | { kind: "directory"; path: string };

async function kindOf(path: string): Promise<"file" | "directory" | undefined> {
  const found = await stat(path).catch(() => undefined);
  return found === undefined ? undefined : found.isDirectory() ? "directory" : "file";
}

/** Proves that files can be created in `directory` (creating it if missing); a UsageError naming --out if not. */
async function checkWritableDirectory(directory: string, shown: string): Promise<void> {
  const probe = join(directory, `.sora-video-probe-${randomBytes(4).toString("hex")}`);
  try {
    await mkdir(directory, { recursive: true });
    await (await open(probe, "wx")).close();
    await rm(probe, { force: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new UsageError(`Cannot save into ${shown} (${code}).`, "choose an --out in a directory you can write to.");
  }
}

/**
 * Checks --out before anything is sent, so a paid render never fails at the last step: the
 * directory must be creatable and writable, and a named file must not exist unless `overwrite`.
 * A path ending in a separator, an existing directory, or no --out at all means a directory.
 */
export async function checkOutTarget(out: string | undefined, overwrite: boolean): Promise<OutTarget> {
  const path = resolve(out ?? ".");
  const isDirectory = out === undefined || /[/\\]$/.test(out) || (await kindOf(path)) === "directory";
  const shown = out ?? "the current directory";
  if (isDirectory) {
    await checkWritableDirectory(path, shown);
    return { kind: "directory", path };
  }
  await checkWritableDirectory(dirname(path), `the directory of ${out}`);
  await refuseExisting(path, out, overwrite);
  return { kind: "file", path };
}

/** A UsageError when something exists at `path` and `overwrite` is off. */
export async function refuseExisting(path: string, shown: string, overwrite: boolean): Promise<void> {
  if (!overwrite && (await kindOf(path)) !== undefined) {
    throw new UsageError(`${shown} already exists.`, "pass --overwrite to replace it, or choose another --out.");
  }
}

const VIDEO_EXTENSION = /\.(mp4|m4v|mov|webm|mkv)$/i;

function safeName(text: string): string {
  return text
    .replace(/[^\w.-]+/g, "_")
    .replace(/^\.+/, "")
    .slice(0, 120);
}

/**
 * The file name of a video saved into a directory: `<video_id>.mp4`; without a video id, the last
 * segment of the URL's path (`.mp4` added unless it has a video extension); failing that,
 * `sora-<created>.mp4` (the response's `created` time, or now).
 */
export function videoFileName(video: { url: string; video_id?: string | undefined }, created?: number): string {
  if (video.video_id && safeName(video.video_id)) return `${safeName(video.video_id)}.mp4`;
  let last = "";
  try {
    last = safeName(decodeURIComponent(basename(new URL(video.url).pathname)));
  } catch {
    // not a URL, or a malformed escape: fall through to the timestamp
  }
  if (last) return VIDEO_EXTENSION.test(last) ? last : `${last}.mp4`;
  return `sora-${created ?? Math.floor(Date.now() / 1000)}.mp4`;
}

/**
 * The path to save a video at. In a directory without `overwrite`, a name already taken gets a
 * suffix (`-2`, `-3`, …) instead of failing after a paid render.
 */
export async function videoPath(target: OutTarget, name: string, overwrite: boolean): Promise<string> {
  if (target.kind === "file") return target.path;
  const stem = name.replace(VIDEO_EXTENSION, "");
  const extension = name.slice(stem.length);
  for (let n = 1; ; n += 1) {
    const candidate = join(target.path, n === 1 ? name : `${stem}-${n}${extension}`);
    if (overwrite || (await kindOf(candidate)) === undefined) return candidate;
  }
}
