import { mkdir, rm } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { DownloadError } from "../../errors";
import { parseVideoUrl, redactUrl } from "./safe-url";
import { commitTempFile, createTempFile, exists } from "./temp-file";
import { transfer } from "./transfer";
import type { DownloadOptions, DownloadResult } from "./types";

export type { DownloadOptions, DownloadProgress, DownloadResult } from "./types";

function checkCount(name: string, value: number, minimum: number): number {
  if (!Number.isInteger(value) || value < minimum) throw new RangeError(`${name} must be a whole number ≥ ${minimum}, got ${String(value)}`);
  return value;
}

/**
 * Downloads a generated video to `dest`, atomically. The body streams (constant memory, whatever
 * the size) into a temporary file beside `dest` (`.<name>.<random>.part`), which is renamed into
 * place only when complete and its length matches what the server announced; a failed, cut or
 * aborted download leaves an existing `dest` as it was and no temporary file. The parent directory
 * is created if missing. Redirects are followed; a cut connection is resumed with a Range request
 * when the server supports it. No API key is ever sent: the video host gets none.
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
  const path = resolve(dest);
  const fileError = (what: string, cause: unknown) => new DownloadError(`${what}: ${(cause as Error).message}`, { url: safeUrl, cause });
  if (options.signal?.aborted) throw new DownloadError(`Download of ${safeUrl} aborted`, { url: safeUrl, cause: options.signal.reason });
  const overwrite = options.overwrite ?? false;
  try {
    await mkdir(dirname(path), { recursive: true });
    if (!overwrite && (await exists(path))) throw new DownloadError(`${path} already exists; pass overwrite: true to replace it`, { url: safeUrl });
  } catch (error) {
    throw error instanceof DownloadError ? error : fileError(`Cannot write to ${path}`, error);
  }
  const temp = await createTempFile(path).catch((error: unknown) => {
    throw fileError(`Cannot create a temporary file beside ${path}`, error);
  });
  let committed = false;
  try {
    const bytes = await transfer({ url: target, safeUrl, file: temp, fetch: options.fetch ?? globalThis.fetch, signal: options.signal, onProgress: options.onProgress, maxResumes, idleTimeoutMs });
    await commitTempFile(temp, path, overwrite).catch((error: unknown) => {
      throw fileError((error as NodeJS.ErrnoException).code === "EEXIST" ? `${path} appeared during the download; not replaced` : `Cannot move the video into ${path}`, error);
    });
    committed = true;
    return { path, bytes };
  } finally {
    if (!committed) {
      await rm(temp, { force: true }).catch(() => undefined);
    }
  }
}

