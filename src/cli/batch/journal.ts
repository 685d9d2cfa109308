import { open, readFile, truncate, type FileHandle } from "node:fs/promises";
import { applyRecord, foldJournal, type JobState, type JobStatus, type JournalRecord } from "../../batch/journal-state";

/** The journal's file name inside the out dir. */
export const JOURNAL_FILE = "sora-batch.journal.jsonl";

/** Facts a record may carry besides its job and state. */
export type RecordFacts = Omit<JournalRecord, "at" | "id" | "state">;

interface Pending {
  text: string;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * The append-only batch journal: one JSON line per change of a job's state, each synced to disk
 * (fdatasync) before `record` resolves, so a job marked `submitted` is durable before its request
 * goes out. Records that arrive while a sync is running are written and synced together (group
 * commit): 16 workers do not wait for 16 syncs in a row.
 */
export class Journal {
  private readonly queue: Pending[] = [];
  private flushing = false;

  private constructor(
    private readonly handle: FileHandle,
    private readonly jobs: Map<string, JobStatus>,
    private readonly now: () => Date,
  ) {}

  /**
   * Opens (or creates) the journal at `path` and reads what it holds. A torn last line (a crash
   * during a write, never acknowledged) is cut off. Throws JournalCorruptError on any other bad line.
   */
  static async open(
    path: string,
    now: () => Date = () => new Date(),
  ): Promise<{ journal: Journal; records: number; tornTail: boolean }> {
    const text = await readFile(path, "utf8").catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return "";
      throw error;
    });
    const { statuses, records, tornTail } = foldJournal(text);
    if (tornTail) await truncate(path, Buffer.byteLength(text.slice(0, text.lastIndexOf("\n") + 1)));
    const handle = await open(path, "a");
    return { journal: new Journal(handle, statuses, now), records, tornTail };
  }

  /** A job's current status, or undefined if the journal has never seen it. */
  status(id: string): JobStatus | undefined {
    return this.jobs.get(id);
  }

  /** Every job the journal knows, by id. */
  statuses(): ReadonlyMap<string, JobStatus> {
    return this.jobs;
  }

  /**
   * Records a change of state and resolves once it is on disk. Throws JournalTransitionError at
   * once (writing nothing) when the change is not allowed from the job's current state.
   */
  record(id: string, state: JobState, facts: RecordFacts = {}): Promise<void> {
    const record: JournalRecord = { at: this.now().toISOString(), id, state, ...facts };
    this.jobs.set(id, applyRecord(this.jobs.get(id), record));
    return new Promise((resolve, reject) => {
      this.queue.push({ text: `${JSON.stringify(record)}\n`, resolve, reject });
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0);
      try {
        await this.handle.write(batch.map((entry) => entry.text).join(""));
        await this.handle.datasync();
        for (const entry of batch) entry.resolve();
      } catch (error) {
        for (const entry of batch) entry.reject(error);
      }
    }
    this.flushing = false;
  }

  /** Closes the file (after any pending writes). */
  async close(): Promise<void> {
    while (this.flushing || this.queue.length > 0) await new Promise((resolve) => setImmediate(resolve));
    await this.handle.close();
  }
}
