/**
 * The system's codes for a disk that cannot take more: full (ENOSPC), over quota (EDQUOT),
 * failing (EIO), or gone read-only (EROFS). Every later job would meet them too, and a render
 * bought now could not be saved: the batch stops starting jobs, as on a fatal API error.
 */
const DISK_FAILURES = new Set(["ENOSPC", "EDQUOT", "EIO", "EROFS"]);

/** The disk failure's code behind `error` (itself or a cause, e.g. a DownloadError's), else undefined. */
export function diskFailureCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current !== undefined && current !== null; depth += 1) {
    const code = (current as NodeJS.ErrnoException).code;
    if (typeof code === "string" && DISK_FAILURES.has(code)) return code;
    current = (current as Error).cause;
  }
  return undefined;
}
