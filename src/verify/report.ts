/** How one case ended. */
export type CaseOutcome = "passed" | "failed" | "skipped";

/** One case of a verify run or one replayed recording, as reported (already scrubbed of the key). */
export interface CaseResult {
  /** The operation's label, e.g. "sora-2-video-to-video (POST /v1/videos/edits)". */
  operation: string;
  title: string;
  outcome: CaseOutcome;
  /** True for a valid (billable) request that was sent. */
  paid: boolean;
  /** What was sent, in short (body, headers left out). */
  sent?: string;
  /** What came back, in short (status and body). */
  received?: string;
  /** For a failure, the rule the answer broke; for a skip, why it was skipped. */
  rule?: string;
  /** A valid request's 2xx answer: the finished video, or the asynchronous flow's task envelope. */
  answer?: "video" | "task";
  durationMs: number;
}

/** The figures of a run. */
export interface VerifySummary {
  /** "provider": requests were sent to `target`; "replay": recordings in `target` were checked, nothing sent. */
  kind: "provider" | "replay";
  /** The base URL verified, or the recordings directory replayed. */
  target: string;
  /** Cases sent (or recordings replayed), failed ones included; skipped ones not. */
  casesRun: number;
  failed: number;
  paidCalls: number;
  /** The --paid-calls budget (0 for a replay). */
  paidBudget: number;
  /** Valid cases not sent because the budget was spent (or a remix had no video_id). */
  skippedForBudget: number;
  /** Cases per operation label, skipped ones included. */
  casesPerOperation: Record<string, number>;
  /** How the provider answered valid requests: finished videos, or tasks (the asynchronous flow). */
  answers: { video: number; task: number };
  durationMs: number;
}

/** A run's every result and its summary. */
export interface VerifyReport {
  results: CaseResult[];
  summary: VerifySummary;
}

/** Whether every case held. */
export function verifyPassed(report: VerifyReport): boolean {
  return report.summary.failed === 0;
}

/** One line for a failed case: which operation and case, what was sent, what came back, which rule broke. */
export function failureLine(result: CaseResult): string {
  const sent = result.sent === undefined ? "" : ` | sent ${result.sent}`;
  const received = result.received === undefined ? "" : ` | got ${result.received}`;
  return `FAIL ${result.operation}: ${result.title}${sent}${received} | broke: ${result.rule ?? "?"}`;
}

/** Builds the summary from the results. */
export function summarize(
  kind: VerifySummary["kind"],
  target: string,
  results: readonly CaseResult[],
  paidBudget: number,
  durationMs: number,
): VerifySummary {
  const casesPerOperation: Record<string, number> = {};
  for (const result of results) casesPerOperation[result.operation] = (casesPerOperation[result.operation] ?? 0) + 1;
  return {
    kind,
    target,
    casesRun: results.filter((result) => result.outcome !== "skipped").length,
    failed: results.filter((result) => result.outcome === "failed").length,
    paidCalls: results.filter((result) => result.paid).length,
    paidBudget,
    skippedForBudget: results.filter((result) => result.outcome === "skipped").length,
    casesPerOperation,
    answers: {
      video: results.filter((result) => result.answer === "video").length,
      task: results.filter((result) => result.answer === "task").length,
    },
    durationMs,
  };
}

/** The closing line of a run. */
export function summaryLine(summary: VerifySummary): string {
  const verdict = summary.failed === 0 ? "the contract holds" : `${summary.failed} failed`;
  const seconds = `${(summary.durationMs / 1000).toFixed(1)} s`;
  if (summary.kind === "replay") {
    const checked = `${summary.casesRun} recordings checked, no call made`;
    return `verify --replay ${summary.target}: ${verdict}; ${checked}, ${seconds}`;
  }
  return (
    `verify ${summary.target}: ${verdict}; ${summary.casesRun} cases run, ` +
    `${summary.paidCalls} paid calls made (--paid-calls ${summary.paidBudget}), ` +
    `${summary.skippedForBudget} skipped for the budget${answers(summary)}, ${seconds}`
  );
}

/** `; answered with 2 videos and 1 task (the asynchronous flow)` when a valid request was answered. */
function answers(summary: VerifySummary): string {
  const { video, task } = summary.answers;
  if (video + task === 0) return "";
  const tasks = task === 0 ? "" : ` and ${task} task${task === 1 ? "" : "s"} (the asynchronous flow)`;
  return `; answered with ${video} video${video === 1 ? "" : "s"}${tasks}`;
}
