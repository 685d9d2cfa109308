import { fitterFor } from "../progress/format";
import { noPaint, type Paint, type Tone } from "../terminal";
import { wrapCommand, wrapText } from "../wrap";
import type { FollowUpLine } from "./follow-up";
import type { MalformedLine } from "./jobs";
import type { JobResult } from "./scheduler";

/** How a job ended up, for the summary. */
export type Category = "done" | "failed" | "uncertain" | "task" | "not run";

/**
 * A job's category: done, failed, uncertain (may be billed), task (accepted as an asynchronous
 * task that has no video yet: billed, finished by the next run for free), or not run.
 */
export function categoryOf(result: JobResult): Category {
  if (result.state === "done") return "done";
  if (result.state === "accepted") return "task";
  if (result.action === "not-started") return "not run";
  if (result.state === "failed") return "failed";
  if (result.state === "uncertain" || result.state === "submitted") return "uncertain";
  return "not run";
}

/** Counts per category, plus malformed lines and jobs that were already done before this run. */
export function countResults(results: readonly JobResult[], malformed: readonly MalformedLine[]) {
  const counts = {
    done: 0,
    failed: 0,
    uncertain: 0,
    task: 0,
    "not run": 0,
    malformed: malformed.length,
    alreadyDone: 0,
  };
  for (const result of results) {
    counts[categoryOf(result)] += 1;
    if (result.action === "skip-done") counts.alreadyDone += 1;
  }
  return counts;
}

const NOTES: Partial<Record<Category | "malformed", string>> = {
  uncertain: "may have been billed; `--retry-uncertain` sends them again (may bill twice)",
  task: "accepted as tasks (billed), no video yet; running the command again finishes them (free, never sent again)",
  "not run": "running the command again picks them up",
  malformed: "fix the lines and run again",
};

const TONES: Partial<Record<Category | "malformed", Tone>> = {
  done: "ok",
  failed: "fail",
  uncertain: "warn",
  task: "warn",
  malformed: "fail",
};

/**
 * What the failed count means: a failed render was not billed (the server certainly did not
 * accept it), but a failed download was, since its video was generated: never "not billed" for it.
 */
function failedNote(results: readonly JobResult[]): string {
  const failed = results.filter((result) => categoryOf(result) === "failed");
  const paid = failed.filter((result) => result.url !== undefined).length;
  if (paid === 0) return "not billed; running the command again retries them";
  if (paid === failed.length) return "paid for but not saved; running the command again downloads them for free";
  return `${failed.length - paid} not billed, ${paid} paid for but not saved; running the command again retries them`;
}

function clip(text: string, width: number): string {
  const flat = Array.from(text.replace(/\s+/g, " "));
  return flat.length > width ? `${flat.slice(0, width - 1).join("")}…` : flat.join("");
}

/** How the summary is laid out: the width to fit (none: a pipe) and the colours of stdout. */
interface SummaryLayout {
  /** Lines are cut (text) or wrapped (commands) to fit this width; undefined: not cut. */
  columns?: number;
  /** @default no colour */
  paint?: Paint;
}

/** The table of jobs that are not done: line, job, state and as much of the detail as fits. */
function renderRows(rows: string[][], maxRows: number, columns: number | undefined): string[] {
  const table = [["line", "job", "state", "detail"], ...rows.slice(0, maxRows)];
  const jobCap = columns === undefined ? 24 : Math.min(24, Math.max(6, Math.floor(columns / 4)));
  const caps = [8, jobCap, 10];
  const widest = (column: number) => Math.max(...table.map((row) => row[column]!.length));
  const widths = [0, 1, 2].map((column) => Math.min(caps[column]!, widest(column)));
  const fixed = 2 + widths.reduce((sum, width) => sum + width + 2, 0);
  const detail = columns === undefined ? 100 : Math.max(10, columns - 1 - fixed);
  const lines = table.map((row) => {
    const cells = row.slice(0, 3).map((cell, column) => clip(cell, widths[column]!).padEnd(widths[column]!));
    return `  ${cells.join("  ")}  ${clip(row[3]!, detail)}`.trimEnd();
  });
  if (rows.length > table.length - 1) lines.push(`  … and ${rows.length - (table.length - 1)} more: see the journal`);
  return lines;
}

/**
 * The table printed after a batch: counts per category with what to do next, then one row per
 * job that is not done (and per malformed line), at most `maxRows` rows, then the `followUp`
 * lines (receipts, download and next commands: see follow-up.ts). With `columns`, every text line
 * is cut to fit (…) and every command wrapped; the full text is in --json.
 */
export function renderSummary(
  results: readonly JobResult[],
  malformed: readonly MalformedLine[],
  info: { journal: string; elapsedMs: number; maxRows?: number; followUp?: readonly FollowUpLine[] } & SummaryLayout,
): string {
  const { columns, paint = noPaint } = info;
  const fit = fitterFor(columns);
  const counts = countResults(results, malformed);
  const lines = [fit(`Summary (${(info.elapsedMs / 1000).toFixed(1)} s)`)];
  for (const category of ["done", "failed", "uncertain", "task", "not run", "malformed"] as const) {
    const count = counts[category];
    if (count === 0 && category !== "done") continue;
    const already = counts.alreadyDone > 0 ? `${counts.alreadyDone} were done before this run` : undefined;
    const note = category === "done" ? already : category === "failed" ? failedNote(results) : NOTES[category];
    const line = fit(`  ${category.padEnd(10)} ${String(count).padStart(5)}${note ? `   ${note}` : ""}`);
    const tone = count > 0 ? TONES[category] : undefined;
    lines.push(tone ? line.replace(category, paint(tone, category)) : line);
  }
  const describe = (result: JobResult) => {
    const task = result.taskId ? `task ${result.taskId}${result.error ? "; " : ""}` : "";
    return `${task}${result.error ? `${result.error.name}: ${result.error.message}` : ""}`;
  };
  const rows = [
    ...results
      .filter((result) => categoryOf(result) !== "done")
      .map((result) => [String(result.job.line), result.job.id, categoryOf(result), describe(result)]),
    ...malformed.map((entry) => [String(entry.line), "-", "malformed", entry.message]),
  ].sort((a, b) => Number(a[0]) - Number(b[0]));
  if (rows.length > 0) lines.push("", ...renderRows(rows, info.maxRows ?? 50, columns).map(fit));
  for (const line of info.followUp ?? []) {
    if (typeof line === "string") lines.push(fit(line));
    else if ("advice" in line) lines.push(wrapText(line.advice, columns));
    else lines.push(...wrapCommand(line.command, columns, line.indent));
  }
  lines.push("", fit(`Journal: ${info.journal}`));
  return `${lines.join("\n")}\n`;
}
