import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { foldJournal, JournalCorruptError, type JobStatus } from "../../batch/journal-state";
import { UsageError } from "../exit";
import { JOURNAL_FILE, Journal } from "./journal";
import { unusableOutDir } from "./out-dir";

/** A journal line that cannot be used, as a usage error: the file is left for the user to inspect. */
function corruptJournal(path: string, error: JournalCorruptError): UsageError {
  const hint = "the journal was left as it is; inspect it (one JSON record per line) before running again.";
  return new UsageError(`${path}: ${error.message}.`, hint);
}

/**
 * Opens the journal, saying what a crash left at its end and what was done about it. `secret` (the
 * API key) is taken out of every record written.
 */
export async function openJournal(outDir: string, log: (line: string) => void, secret: string): Promise<Journal> {
  const path = join(outDir, JOURNAL_FILE);
  try {
    const opened = await Journal.open(path, { secret });
    if (opened.tornTail > 0) {
      log(
        `Journal: its last line (${opened.tornTail} bytes) was cut by a crash mid-write and never acknowledged; ` +
          "removed (nothing it announced was done).",
      );
    }
    if (opened.unterminated)
      log("Journal: its last record lacked its newline (a crash mid-write); kept and completed.");
    return opened.journal;
  } catch (error) {
    if (error instanceof JournalCorruptError) throw corruptJournal(path, error);
    throw unusableOutDir(outDir, error) ?? error;
  }
}

/** The journal's statuses without touching anything (no file created, no torn line cut): for --dry-run. */
export async function peekJournal(outDir: string): Promise<ReadonlyMap<string, JobStatus>> {
  const path = join(outDir, JOURNAL_FILE);
  const text = await readFile(path, "utf8").catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return "";
    throw error;
  });
  try {
    return foldJournal(text).statuses;
  } catch (error) {
    if (error instanceof JournalCorruptError) throw corruptJournal(path, error);
    throw error;
  }
}
