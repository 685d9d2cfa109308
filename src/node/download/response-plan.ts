/** How to write one response's body into the temporary file. */
export interface BodyPlan {
  /** Where the body's first byte goes in the file (0, or the resume offset). */
  start: number;
  /** The whole video's size, when the server said. */
  total: number | undefined;
  /** Whether a later cut may be resumed with a Range request (Accept-Ranges: bytes, or an ETag). */
  resumable: boolean;
  /** A strong ETag, sent as If-Range on resume so a changed video is sent whole. */
  etag: string | undefined;
}

function wholeNumber(value: string | null | undefined): number | undefined {
  return value !== null && value !== undefined && /^\d+$/.test(value.trim()) ? Number(value) : undefined;
}

/**
 * Reads a 2xx (or 416) response to a request for bytes from `offset` on. Returns "restart" when
 * the server answered a Range request with a range that does not start at `offset` (or a 416):
 * the file must then be fetched again from byte 0. A 200 to a Range request means the server
 * ignored it: the plan starts at 0.
 */
export function planBody(response: Response, offset: number): BodyPlan | "restart" {
  const acceptRanges = response.headers.get("accept-ranges")?.toLowerCase() ?? "";
  const rawEtag = response.headers.get("etag") ?? undefined;
  const resumable = acceptRanges !== "none" && (acceptRanges.includes("bytes") || rawEtag !== undefined);
  const etag = rawEtag?.startsWith("W/") ? undefined : rawEtag;
  if (response.status === 416) return "restart";
  if (response.status !== 206)
    return { start: 0, total: wholeNumber(response.headers.get("content-length")), resumable, etag };
  const range = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(response.headers.get("content-range")?.trim() ?? "");
  if (!range || Number(range[1]) !== offset) return "restart";
  return { start: offset, total: wholeNumber(range[3]), resumable, etag };
}
