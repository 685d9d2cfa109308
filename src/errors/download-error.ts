import { SoraError } from "./sora-error";

/**
 * Thrown by `downloadVideo` when the video could not be saved: an HTTP error from the video host
 * (404, 403, an expired signed URL), a cut connection that could not be resumed, a length
 * mismatch, or a file system error. The destination is left as it was. Downloads are free, so
 * `mayHaveBeenAccepted` is false: retrying cannot bill anything.
 */
export class DownloadError extends SoraError {
  override readonly name: string = "DownloadError";
  /** The HTTP status, when the video host answered with one. */
  readonly status: number | undefined;
  /** The video URL without its query string (signed URLs carry secrets there). */
  readonly url: string;

  constructor(message: string, options: { url: string; status?: number; cause?: unknown }) {
    super(message, { mayHaveBeenAccepted: false, cause: options.cause });
    this.status = options.status;
    this.url = options.url;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), status: this.status, url: this.url };
  }
}
