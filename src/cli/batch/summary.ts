import type { MalformedLine } from "./jobs";
import type { JobResult } from "./scheduler";

/** How a job ended up, for the summary. */
export type Category = "done" | "failed" | "uncertain" | "not run";

/** A job's category: done, failed, uncertain (may be billed), or not run (stopped before it ran or finished). */
export function categoryOf(result: JobResult): Category {
  if (result.state === "done") return "done";
  if (result.action === "not-started") return "not run";
  if (result.state === "failed") return "failed";
  if (result.state === "uncertain" || result.state === "submitted") return "uncertain";
  return "not run";
}

/** Counts per category, plus malformed lines and jobs that were already done before this run. */
export function countResults(results: readonly JobResult[], malformed: readonly MalformedLine[]) {
  const counts = { done: 0, failed: 0, uncertain: 0, "not run": 0, malformed: malformed.length, alreadyDone: 0 };
  for (const result of results) {
    counts[categoryOf(result)] += 1;
    if (result.action === "skip-done") counts.alreadyDone += 1;
  }
  return counts;
}

const NOTES: Partial<Record<Category | "malformed", string>> = {
  uncertain: "may have been billed; `--retry-uncertain` sends them again (may bill twice)",
  failed: "not billed; running the command again retries them",
  "not run": "running the command again picks them up",
  malformed: "fix the lines and run again",
};

function clip(text: string, width: number): string {
  const flat = text.replace(/\s+/g, " ");
  return flat.length > width ? `${flat.slice(0, width - 1)}…` : flat;
}

/**
 * The table printed after a batch: counts per category with what to do next, then one row per
 * job that is not done (and per malformed line), at most `maxRows` rows, then the `followUp`
 * lines (receipts, download commands: see follow-up.ts).
 */
export function renderSummary(
  results: readonly JobResult[],
  malformed: readonly MalformedLine[],
  info: { journal: string; elapsedMs: number; maxRows?: number; followUp?: readonly string[] },
): string {
  const counts = countResults(results, malformed);
  const lines = [`Summary (${(info.elapsedMs / 1000).toFixed(1)} s)`];
  for (const category of ["done", "failed", "uncertain", "not run", "malformed"] as const) {
    const count = counts[category];
    if (count === 0 && category !== "done") continue;
    const note =
      category === "done"
        ? counts.alreadyDone > 0
          ? `${counts.alreadyDone} were done before this run`
          : undefined
        : NOTES[category];
    lines.push(`  ${category.padEnd(10)} ${String(count).padStart(5)}${note ? `   ${note}` : ""}`);
  }
  const rows = [
    ...results
      .filter((result) => categoryOf(result) !== "done")
      .map((result) => [
        String(result.job.line),
        result.job.id,
        categoryOf(result),
        result.error ? `${result.error.name}: ${result.error.message}` : "",
      ]),
    ...malformed.map((entry) => [String(entry.line), "-", "malformed", entry.message]),
  ].sort((a, b) => Number(a[0]) - Number(b[0]));
  if (rows.length > 0) {
    const table = [["line", "job", "state", "detail"], ...rows.slice(0, info.maxRows ?? 50)];
    const widths = [0, 1, 2].map((column) => Math.min(24, Math.max(...table.map((row) => row[column]!.length))));
    lines.push(
      "",
      ...table.map(
        (row) =>
          `  ${row
            .slice(0, 3)
            .map((cell, column) => clip(cell, widths[column]!).padEnd(widths[column]!))
            .join("  ")}  ${clip(row[3]!, 100)}`,
      ),
    );
    if (rows.length > table.length - 1) lines.push(`  … and ${rows.length - (table.length - 1)} more: see the journal`);
  }
  lines.push(...(info.followUp ?? []), "", `Journal: ${info.journal}`);
  return `${lines.join("\n")}\n`;
}
