import { downloadVideo, type DownloadResult } from "../node";
import type { Display } from "./progress/display";
import { formatBytes } from "./progress/format";
import { renderDownload } from "./progress/render";

/**
 * Saves a generated video with `downloadVideo` (verified to be a video, atomic, no key sent),
 * drawing the download bar on the display and logging where it went.
 */
export async function saveVideo(
  url: string,
  dest: string,
  options: { display: Display; signal: AbortSignal; overwrite: boolean },
): Promise<DownloadResult> {
  const { display } = options;
  const started = Date.now();
  const saved = await downloadVideo(url, dest, {
    signal: options.signal,
    overwrite: options.overwrite,
    onProgress: (progress) => {
      display.status("download", (style) => renderDownload({ ...progress, elapsedMs: Date.now() - started }, style));
    },
  });
  display.end();
  display.log(`Saved ${saved.path} (${formatBytes(saved.bytes)}).`);
  return saved;
}
