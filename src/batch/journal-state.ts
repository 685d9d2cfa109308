/**
 * The states of a batch job, as the journal records them:
 * pending → submitted → generated → done, with refused, accepted, failed and uncertain on the way.
 * - `submitted` is written (and synced) before the request is sent, and again before each re-send;
 * - `refused`: every attempt so far was certainly not accepted (429, connection refused) and the
 *   client waits to re-send; a crash now leaves a job that is safe to send again;
 * - `accepted`: the gateway answered with an asynchronous task (billed, not finished); carries the
 *   task id, written before the task is polled; a job in it is polled, never sent again;
 * - `generated` carries the video URL, written before the download starts;
 * - `failed`: certainly not accepted (not billed), or a download that failed (then with `url`);
 * - `uncertain`: may have been accepted and billed (timeout, 5xx, reset, or a crash mid-call).
 */
export type JobState = "pending" | "submitted" | "refused" | "accepted" | "generated" | "done" | "failed" | "uncertain";

/** Why a job failed or is uncertain. */
export interface RecordedError {
  name: string;
  message: string;
}

/**
 * What a call that may have been billed leaves as proof, kept in the journal so the user can ask
 * the provider about a render (and claim a refund for one that failed). Times are ISO strings.
 */
export interface Receipt {
  /** The provider's request id (x-request-id, request-id, …), when it answered. */
  requestId?: string;
  /** When the (last) request was sent. */
  sentAt?: string;
  /** When its answer, or its failure, came. */
  answeredAt?: string;
  /** The HTTP status, when there was one. */
  status?: number;
  /** The error's name, when the call failed. */
  error?: string;
}

/** One line of the journal. */
export interface JournalRecord {
  /** ISO time of the change. */
  at: string;
  id: string;
  state: JobState;
  /** pending: the job's line in the jobs file and its content hash. */
  line?: number;
  fingerprint?: string;
  /** accepted: the gateway's task id (the one handle on the paid render until it has a video). */
  taskId?: string;
  /** generated, and failed during a download: the video's URL. */
  url?: string;
  videoId?: string;
  /** done: where the video is and its size. */
  path?: string;
  bytes?: number;
  /** failed, uncertain, refused. */
  error?: RecordedError;
  /** generated, uncertain: the receipt of the call that may have been billed. */
  receipt?: Receipt;
}

/** What the journal knows about one job: its last state and the facts gathered so far. */
export interface JobStatus {
  state: JobState;
  fingerprint: string | undefined;
  /** The video URL, once a generation returned and until the job is submitted again. */
  url: string | undefined;
  /** The task id, once the gateway accepted the job as a task (kept until it is submitted again). */
  taskId?: string;
  /** How many times the job's request was sent (or about to be). */
  submissions: number;
  path: string | undefined;
  error: RecordedError | undefined;
  /** When the request was last sent (the last `submitted` record). */
  submittedAt?: string;
  /** The receipts of every call of this job that may have been billed, oldest first. */
  receipts?: Receipt[];
}

/** Every allowed change of state; `undefined` is a job the journal has not seen. */
export const TRANSITIONS: Readonly<Record<JobState | "new", readonly JobState[]>> = {
  new: ["pending"],
  pending: ["submitted"],
  submitted: ["generated", "failed", "uncertain", "refused", "accepted"],
  // A task is polled until it has a video (generated) or ended without one (uncertain: it was billed).
  accepted: ["generated", "uncertain"],
  // The client re-sends (submitted again), gives up (failed), or something unforeseen (uncertain, to be safe).
  refused: ["submitted", "failed", "uncertain"],
  generated: ["done", "failed"],
  // A failed download is retried (→ done or failed again); a failed submission is sent again.
  failed: ["submitted", "done", "failed"],
  // Only with --retry-uncertain: the user accepted that it may bill twice.
  uncertain: ["submitted"],
  done: [],
};

/** Thrown when a change of state breaks TRANSITIONS: a bug, never a user error. */
export class JournalTransitionError extends Error {
  override readonly name = "JournalTransitionError";
}

/** Applies one record to a job's status; throws JournalTransitionError when the change is not allowed. */
export function applyRecord(previous: JobStatus | undefined, record: JournalRecord): JobStatus {
  const from = previous?.state ?? "new";
  if (!TRANSITIONS[from].includes(record.state)) {
    throw new JournalTransitionError(
      `job ${JSON.stringify(record.id)}: ${from} → ${record.state} is not an allowed change`,
    );
  }
  const initial: JobStatus = {
    state: "pending",
    fingerprint: undefined,
    url: undefined,
    submissions: 0,
    path: undefined,
    error: undefined,
  };
  const receipts = record.receipt ? [...(previous?.receipts ?? []), record.receipt] : previous?.receipts;
  const base: JobStatus = { ...(previous ?? initial), ...(receipts ? { receipts } : {}) };
  switch (record.state) {
    case "pending":
      return { ...base, state: "pending", fingerprint: record.fingerprint };
    case "submitted":
      return {
        ...base,
        state: "submitted",
        submissions: base.submissions + 1,
        submittedAt: record.at,
        url: undefined,
        taskId: undefined,
        error: undefined,
      };
    case "accepted":
      return { ...base, state: "accepted", taskId: record.taskId };
    case "refused":
      return { ...base, state: "refused", error: record.error };
    case "generated":
      return { ...base, state: "generated", url: record.url };
    case "done":
      return { ...base, state: "done", path: record.path, error: undefined };
    case "failed":
      return { ...base, state: "failed", url: record.url, error: record.error };
    case "uncertain":
      return { ...base, state: "uncertain", error: record.error };
  }
}

/** Thrown when a journal line other than a torn last one cannot be read. */
export class JournalCorruptError extends Error {
  override readonly name = "JournalCorruptError";
}

/** What foldJournal found in a journal's text. */
export interface FoldedJournal {
  statuses: Map<string, JobStatus>;
  /** Records read (a kept unterminated last one included). */
  records: number;
  /** The last line has no newline and is not a whole record: a write cut by a crash, to be cut off. */
  tornTail: boolean;
  /** The last line is a whole record that only lacks its newline (kept, and counted in `records`). */
  unterminated: boolean;
}

/** Parses and applies one line; throws (for the caller to report) when it cannot be used. */
function applyLine(statuses: Map<string, JobStatus>, line: string): void {
  const record = JSON.parse(line) as JournalRecord;
  if (typeof record.id !== "string" || typeof record.state !== "string") throw new Error("no id or state");
  statuses.set(record.id, applyRecord(statuses.get(record.id), record));
}

/**
 * Reads a journal's text into job statuses. A last line without its newline is a write cut by a
 * crash: ignored (`tornTail`: its record was never acknowledged, so nothing it announced was
 * done), unless it is a whole record, which is kept (`unterminated`: it may hold a paid video's
 * URL). Any other unreadable line or impossible change throws JournalCorruptError, because
 * skipping a record could send a paid job twice.
 */
export function foldJournal(text: string): FoldedJournal {
  const statuses = new Map<string, JobStatus>();
  const lines = text.split("\n");
  const tail = lines.pop() ?? "";
  let records = 0;
  lines.forEach((line, index) => {
    if (line.trim() === "") return;
    try {
      applyLine(statuses, line);
    } catch (error) {
      throw new JournalCorruptError(`journal line ${index + 1} cannot be used (${(error as Error).message})`);
    }
    records += 1;
  });
  if (tail.trim() === "") return { statuses, records, tornTail: false, unterminated: false };
  try {
    JSON.parse(tail);
  } catch {
    return { statuses, records, tornTail: true, unterminated: false };
  }
  try {
    applyLine(statuses, tail);
  } catch (error) {
    throw new JournalCorruptError(`journal line ${lines.length + 1} cannot be used (${(error as Error).message})`);
  }
  return { statuses, records: records + 1, tornTail: false, unterminated: true };
}
