import { fitterFor } from "../progress/format";
import type { MalformedLine, BatchJob } from "./jobs";
import type { JobStatus } from "../../batch/journal-state";
import { planJob } from "../../batch/plan";

/** What `batch --dry-run` found: the lines, the wrong ones, and what a real run would do. */
export interface DryRunReport {
  /** Non-blank lines in the jobs file. */
  lines: number;
  /** Lines that make a valid job. */
  jobs: number;
  /** Lines a real run would skip, with why (not JSON, unknown field, against the spec, duplicate). */
  malformed: MalformedLine[];
  /** Paid generations a real run would start (jobs never sent, or certainly not accepted before). */
  generations: number;
  /** Videos already generated that a real run would only download (free). */
  downloads: number;
  /** Accepted tasks a real run would only poll and download (free: never sent again). */
  tasks: number;
  /** Jobs the journal has as done. */
  alreadyDone: number;
  /** Jobs that may already have been billed, skipped unless --retry-uncertain. */
  skippedUncertain: number;
}

/**
 * Plans a run without running it: each job's action from its journaled status (none for a new
 * out dir), exactly as `runBatch` would decide it. With `retryUncertain`, uncertain jobs count
 * as generations (they may bill twice).
 */
export function planDryRun(
  jobs: readonly BatchJob[],
  malformed: readonly MalformedLine[],
  statuses: ReadonlyMap<string, JobStatus>,
  retryUncertain: boolean,
): DryRunReport {
  const counts = { generations: 0, downloads: 0, tasks: 0, alreadyDone: 0, skippedUncertain: 0 };
  const lines = jobs.length + malformed.length;
  const report: DryRunReport = { lines, jobs: jobs.length, malformed: [...malformed], ...counts };
  const counter = {
    submit: "generations",
    poll: "tasks",
    download: "downloads",
    "skip-done": "alreadyDone",
    "skip-uncertain": "skippedUncertain",
  } as const;
  for (const job of jobs) report[counter[planJob(statuses.get(job.id), retryUncertain)]] += 1;
  return report;
}

/**
 * The dry run's report for the terminal: the counts, then the wrong lines (at most `maxRows`),
 * each cut to `columns` when given (--json has the full text).
 */
export function renderDryRun(report: DryRunReport, file: string, columns?: number, maxRows = 100): string {
  const lines = [
    `Dry run of ${file}: nothing was sent.`,
    `  lines              ${report.lines}`,
    `  valid jobs         ${report.jobs}`,
    `  wrong lines        ${report.malformed.length}`,
    `  paid generations   ${report.generations}   (each is billed once the gateway accepts it)`,
  ];
  if (report.downloads > 0) lines.push(`  downloads only     ${report.downloads}   (already generated: free)`);
  if (report.tasks > 0)
    lines.push(`  tasks to finish    ${report.tasks}   (accepted before: polled, never sent again)`);
  if (report.alreadyDone > 0) lines.push(`  already done       ${report.alreadyDone}`);
  if (report.skippedUncertain > 0) {
    lines.push(`  skipped uncertain  ${report.skippedUncertain}   (may be billed; --retry-uncertain sends them again)`);
  }
  if (report.malformed.length > 0) {
    lines.push("", "Wrong lines (a real run skips them):");
    for (const entry of report.malformed.slice(0, maxRows)) lines.push(`  line ${entry.line}: ${entry.message}`);
    const more = report.malformed.length - maxRows;
    if (more > 0) lines.push(`  … and ${more} more (--json lists them all)`);
  }
  return `${lines.map(fitterFor(columns)).join("\n")}\n`;
}
