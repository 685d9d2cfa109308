import { open, readFile, truncate, type FileHandle } from "node:fs/promises";
import { applyRecord, foldJournal, type JobState, type JobStatus, type JournalRecord } from "../../batch/journal-state";
import { redactValue } from "../../redact";
import { JournalWriteError } from "./journal-write-error";

/** The journal's file name inside the out dir. */
export const JOURNAL_FILE = "sora-batch.journal.jsonl";

/** Facts a record may carry besides its job and state. */
export type RecordFacts = Omit<JournalRecord, "at" | "id" | "state">;

interface Pending {
  text: string;
  /** The job's status before and after this record, to undo it in memory if it never reaches the disk. */
  id: string;
  before: JobStatus | undefined;
  after: JobStatus;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** How a journal is opened. */
export interface JournalOptions {
  /** The clock its records are stamped with. @default () => new Date() */
  now?: () => Date;
  /** The API key: taken out of every record as it is written (a file leaves the package), kept in memory. */
  secret?: string;
}

/** What Journal.open found and did. */
export interface OpenedJournal {
  journal: Journal;
  records: number;
  /** A torn last line (a write cut by a crash, never acknowledged) was cut off: its size in bytes, else 0. */
  tornTail: number;
  /** The last record lacked its newline (a write cut just before it); the newline was added. */
  unterminated: boolean;
}

/**
 * The append-only batch journal: one JSON line per change of a job's state, each synced to disk
 * (fdatasync) before `record` resolves, so a job marked `submitted` is durable before its request
 * goes out. Records that arrive while a sync is running are written and synced together (group
 * commit): 16 workers do not wait for 16 syncs in a row. A record is on disk whole or not at all:
 * short writes are continued, and a failed write is cut back to the last whole record (see
 * JournalWriteError).
 */
export class Journal {
  private readonly queue: Pending[] = [];
  private flushing = false;
  private failure: JournalWriteError | undefined;

  private constructor(
    private readonly path: string,
    private readonly handle: FileHandle,
    /** Bytes of whole records in the file: where a failed write is cut back to. */
    private size: number,
    private readonly jobs: Map<string, JobStatus>,
    private readonly now: () => Date,
    private readonly secret: string,
  ) {}

  /**
   * Opens (or creates) the journal at `path` and reads what it holds. A torn last line (a crash
   * during a write, never acknowledged) is cut off; a whole last record without its newline gets
   * it. Throws JournalCorruptError on any other bad line.
   */
  static async open(
    path: string,
    { now = () => new Date(), secret = "" }: JournalOptions = {},
  ): Promise<OpenedJournal> {
    const text = await readFile(path, "utf8").catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return "";
      throw error;
    });
    const { statuses, records, tornTail, unterminated } = foldJournal(text);
    const whole = Buffer.byteLength(text.slice(0, text.lastIndexOf("\n") + 1));
    const size = Buffer.byteLength(text);
    if (tornTail) await truncate(path, whole);
    const handle = await open(path, "a");
    const journal = new Journal(path, handle, tornTail ? whole : size, statuses, now, secret);
    if (unterminated) await journal.append("\n");
    return { journal, records, tornTail: tornTail ? size - whole : 0, unterminated };
  }

  /** A job's current status, or undefined if the journal has never seen it. */
  status(id: string): JobStatus | undefined {
    return this.jobs.get(id);
  }

  /** Every job the journal knows, by id. */
  statuses(): ReadonlyMap<string, JobStatus> {
    return this.jobs;
  }

  /** The write that failed, once one did: every record since is refused with it. */
  get writeFailure(): JournalWriteError | undefined {
    return this.failure;
  }

  /**
   * Records a change of state and resolves once it is on disk. Throws JournalTransitionError at
   * once (writing nothing) when the change is not allowed from the job's current state; rejects
   * with JournalWriteError when it could not be written (and then undoes it in memory too).
   */
  record(id: string, state: JobState, facts: RecordFacts = {}): Promise<void> {
    // After a failed write the memory may be behind this run's steps: refuse before checking the change.
    if (this.failure) return Promise.reject(this.failure);
    const record: JournalRecord = { at: this.now().toISOString(), id, state, ...facts };
    const before = this.jobs.get(id);
    const after = applyRecord(before, record);
    this.jobs.set(id, after);
    return new Promise((resolve, reject) => {
      this.queue.push({
        text: `${JSON.stringify(redactValue(record, this.secret))}\n`,
        id,
        before,
        after,
        resolve,
        reject,
      });
      void this.flush();
    });
  }

  /** Writes all of `text` at the end of the file (a write may take fewer bytes than asked: it goes on). */
  private async append(text: string): Promise<void> {
    const bytes = Buffer.from(text);
    let offset = 0;
    while (offset < bytes.length) {
      const { bytesWritten } = await this.handle.write(bytes, offset, bytes.length - offset);
      // A write that takes nothing and reports no error would loop forever: a full disk all the same.
      if (bytesWritten <= 0) throw Object.assign(new Error("no space left (a write took 0 bytes)"), { code: "ENOSPC" });
      offset += bytesWritten;
    }
    this.size += bytes.length;
  }

  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0);
      try {
        if (this.failure) throw this.failure;
        await this.append(batch.map((entry) => entry.text).join(""));
        await this.handle.datasync();
        for (const entry of batch) entry.resolve();
      } catch (error) {
        this.failure ??= new JournalWriteError(this.path, error);
        // Whatever part of the batch reached the file is cut off: the next run reads whole records only.
        await this.handle.truncate(this.size).catch(() => undefined);
        // None of these records is on disk, nor will be those queued since: undone in memory, newest first.
        const lost = [...batch, ...this.queue.splice(0)];
        for (const entry of [...lost].reverse()) {
          if (this.jobs.get(entry.id) !== entry.after) continue;
          if (entry.before === undefined) this.jobs.delete(entry.id);
          else this.jobs.set(entry.id, entry.before);
        }
        for (const entry of lost) entry.reject(this.failure);
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
