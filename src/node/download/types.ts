/** Progress of a download, reported as bytes arrive. */
export interface DownloadProgress {
  /** Bytes written to the temporary file so far (back to 0 if the server forced a restart). */
  bytes: number;
  /** The video's size in bytes, when the server said (Content-Length or Content-Range). */
  totalBytes: number | undefined;
}

/** Options of `downloadVideo`. Every one is optional. */
export interface DownloadOptions {
  /** Called as bytes arrive, at most about every 100 ms, and once more when the last byte is written. */
  onProgress?: (progress: DownloadProgress) => void;
  /** Ends the download with DownloadError; the destination is left as it was. */
  signal?: AbortSignal;
  /** Replace an existing destination. When false, an existing file is a DownloadError before any traffic. @default false */
  overwrite?: boolean;
  /** The fetch implementation. Never given the API key. @default globalThis.fetch (its 300 s transport limits are far above idleTimeoutMs, which guards stalls; measured faster than an undici Agent for large bodies) */
  fetch?: typeof globalThis.fetch;
  /** How many times a cut connection is resumed with a Range request (when the server supports it). @default 3 */
  maxResumes?: number;
  /** A connection that delivers no byte for this long, in ms, counts as cut (and is resumed). @default 60000 */
  idleTimeoutMs?: number;
  /**
   * The most bytes the video may have: a larger Content-Length, or a body that goes on past it
   * (an endless one without Content-Length), is a DownloadError. @default 4294967296 (4 GiB)
   */
  maxBytes?: number;
  /**
   * Keep the partial download across calls: the body goes to `.<name>.resume-<hash of the URL>.part`
   * beside dest, which an abort (`signal`) or a crash leaves in place, and the next call with the
   * same URL and dest continues it with a Range request instead of starting from byte 0 (a part
   * that does not start like a video is discarded). Every other failure removes it. The batch
   * command uses this. @default false
   */
  resume?: boolean;
}

/** What `downloadVideo` resolves with. */
export interface DownloadResult {
  /** The absolute path of the saved video. */
  path: string;
  /** Its size in bytes. */
  bytes: number;
}
