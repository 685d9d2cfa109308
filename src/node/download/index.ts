import { mkdir, rm } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { DownloadError } from "../../errors";
import { parseVideoUrl, redactUrl } from "./safe-url";
import {
  commitTempFile,
  createTempFile,
  exists,
  openResumablePart,
  removePart,
  resumablePartPath,
  writePartVersion,
} from "./temp-file";
import { transfer } from "./transfer";
import type { DownloadOptions, DownloadResult } from "./types";

export type { DownloadOptions, DownloadProgress, DownloadResult } from "./types";

/** The default `maxBytes`: 4 GiB, far above any generated clip, far below a full disk. */
const DEFAULT_MAX_BYTES = 4 * 1024 ** 3;

function checkCount(name: string, value: number, minimum: number): number {
  if (!Number.isInteger(value) || value < minimum)
    throw new RangeError(`${name} must be a whole number ≥ ${minimum}, got ${String(value)}`);
  return value;
}

/**
 * Downloads a generated video to `dest`, atomically. The body streams (constant memory, whatever
 * the size) into a temporary file beside `dest` (`.<name>.<random>.part`), which is renamed into
 * place only when complete and its length matches what the server announced; a failed, cut or
 * aborted download leaves an existing `dest` as it was and no temporary file (with `resume`, an
 * aborted one keeps its partial file for the next call). The parent directory is created if
 * missing. Redirects are followed; a cut connection is resumed with a Range request when the
 * server supports it. No API key is ever sent: the video host gets none.
 *
 * What arrives must be a video: a text answer (an HTML "link expired" page, a JSON error, any
 * `text/*`) or a body that does not start with an MP4 `ftyp` box or WebM's EBML header is a
 * DownloadError quoting the start of what came, before a byte of it is written; so is a body
 * longer than `maxBytes`.
 *
 * Throws DownloadError (with `status` for an HTTP error such as 404 or an expired 403, and `url`
 * without its query string, since signed URLs carry secrets there). Downloads are free, so
 * retrying one can never bill a generation twice.
 *
 * @example
 * const { path, bytes } = await downloadVideo(video.data[0]!.url!, "out/cat.mp4", {
 *   onProgress: ({ bytes, totalBytes }) => console.log(bytes, "/", totalBytes),
 * });
 */
export async function downloadVideo(url: string, dest: string, options: DownloadOptions = {}): Promise<DownloadResult> {
  const target = parseVideoUrl(url);
  const safeUrl = redactUrl(target);
  const maxResumes = checkCount("maxResumes", options.maxResumes ?? 3, 0);
  const idleTimeoutMs = checkCount("idleTimeoutMs", options.idleTimeoutMs ?? 60_000, 1);
  const maxBytes = checkCount("maxBytes", options.maxBytes ?? DEFAULT_MAX_BYTES, 1);
  const path = resolve(dest);
  const fileError = (what: string, cause: unknown) =>
    new DownloadError(`${what}: ${(cause as Error).message}`, { url: safeUrl, cause });
  if (options.signal?.aborted)
    throw new DownloadError(`Download of ${safeUrl} aborted`, { url: safeUrl, cause: options.signal.reason });
  const overwrite = options.overwrite ?? false;
  try {
    await mkdir(dirname(path), { recursive: true });
    if (!overwrite && (await exists(path)))
      throw new DownloadError(`${path} already exists; pass overwrite: true to replace it`, { url: safeUrl });
  } catch (error) {
    throw error instanceof DownloadError ? error : fileError(`Cannot write to ${path}`, error);
  }
  const resume = options.resume === true;
  const temp = resume ? resumablePartPath(path, target) : undefined;
  const prepared = temp
    ? openResumablePart(temp).then((opened) => ({ file: temp, ...opened }))
    : createTempFile(path).then((file) => ({ file, bytes: 0, version: undefined }));
  const part = await prepared.catch((error: unknown) => {
    throw fileError(`Cannot create a temporary file beside ${path}`, error);
  });
  let committed = false;
  try {
    const bytes = await transfer({
      url: target,
      safeUrl,
      file: part.file,
      fetch: options.fetch ?? globalThis.fetch,
      signal: options.signal,
      onProgress: options.onProgress,
      maxResumes,
      idleTimeoutMs,
      maxBytes,
      resumeFrom: part.bytes,
      resumeVersion: part.version,
      onVersion: temp
        ? (version) =>
            writePartVersion(temp, version).catch((error: unknown) => {
              throw fileError(`Cannot write beside ${path}`, error);
            })
        : undefined,
    });
    await commitTempFile(part.file, path, overwrite).catch((error: unknown) => {
      throw fileError(
        (error as NodeJS.ErrnoException).code === "EEXIST"
          ? `${path} appeared during the download; not replaced`
          : `Cannot move the video into ${path}`,
        error,
      );
    });
    committed = true;
    if (temp) await removePart(temp).catch(() => undefined);
    return { path, bytes };
  } finally {
    // A resumable part outlives an abort (a crash cannot remove it anyway): the next call continues it.
    // Every other failure says its bytes are not worth keeping (wrong content, wrong length, link gone).
    if (!committed && !(resume && options.signal?.aborted)) {
      await (temp ? removePart(temp) : rm(part.file, { force: true })).catch(() => undefined);
    }
  }
}
