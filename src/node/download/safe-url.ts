import { DownloadError } from "../../errors";

/**
 * The URL as it may appear in errors and logs: origin and path only. Signed video URLs carry
 * their secret in the query string (and a URL may carry credentials), so both are dropped.
 */
export function redactUrl(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}

/** Parses a video URL (http or https only); a DownloadError that never quotes the input otherwise. */
export function parseVideoUrl(input: string): URL {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw new DownloadError("The video URL is not a valid URL", { url: "(invalid URL)" });
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new DownloadError(`The video URL must be http(s), got ${url.protocol}`, { url: redactUrl(url) });
  }
  return url;
}
