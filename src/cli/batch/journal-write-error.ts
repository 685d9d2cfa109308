/**
 * Thrown by Journal.record when its record could not be written whole and synced: a full disk
 * (ENOSPC, EDQUOT), a failing one (EIO), a file system gone read-only (EROFS). Nothing of the
 * record stays in the file (a partial write is cut back), and every later record is refused with
 * this same error: a journal that cannot be trusted to hold a record must not let a paid step
 * start. Carries the journal's path and the system's error code.
 */
export class JournalWriteError extends Error {
  override readonly name = "JournalWriteError";
  /** The journal file. */
  readonly path: string;
  /** The system's code (ENOSPC, EIO, …), when it gave one. */
  readonly code: string | undefined;

  constructor(path: string, cause: unknown) {
    const code = (cause as NodeJS.ErrnoException | undefined)?.code;
    super(`Cannot write the journal ${path} (${code ?? (cause as Error).message})`, { cause });
    this.path = path;
    this.code = code;
  }
}

/** Whether `error` is a JournalWriteError (by name too, as every error check in this package). */
export function isJournalWriteError(error: unknown): error is JournalWriteError {
  return error instanceof JournalWriteError || (error as Error | undefined)?.name === "JournalWriteError";
}
