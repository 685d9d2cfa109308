import type { Bump, Change, DiffReport, PageSummary, TypeCheckOutcome, Verdict } from "./types";

const ORDER: Record<Verdict, number> = { breaking: 0, "non-breaking": 1, annotation: 2 };

/** The suggested semver bump: major for any breaking change, minor for additions, patch for docs. */
export function suggestBump(summary: Record<Verdict, number>): Bump {
  if (summary.breaking) return "major";
  if (summary["non-breaking"]) return "minor";
  return summary.annotation ? "patch" : "none";
}

/** Builds the report: changes sorted by verdict (breaking first), counted, with the bump. */
export function summarize(
  labels: { old: string; new: string; page: PageSummary },
  changes: Change[],
  typecheck: TypeCheckOutcome,
): DiffReport {
  const sorted = [...changes].sort((a, b) => ORDER[a.verdict] - ORDER[b.verdict]);
  const summary: Record<Verdict, number> = { breaking: 0, "non-breaking": 0, annotation: 0 };
  for (const change of sorted) summary[change.verdict]++;
  return {
    old: labels.old,
    new: labels.new,
    page: labels.page,
    changes: sorted,
    typecheck,
    summary,
    bump: suggestBump(summary),
    breaking: summary.breaking > 0,
  };
}

const pageLine = ({ page }: DiffReport) =>
  [
    `page ${page.name}${page.status === "new" ? " (new)" : ""}: ${page.operations.join(", ") || "no operations"}`,
    page.model === undefined ? "" : `, model ${page.model}`,
    page.oldPage === undefined ? "" : ` (OLD is page ${page.oldPage}: compared with this page's committed contract)`,
  ].join("");
const counts = (report: DiffReport) =>
  `${report.summary.breaking} breaking, ${report.summary["non-breaking"]} non-breaking, ${report.summary.annotation} annotation`;
const seconds = (outcome: TypeCheckOutcome) =>
  outcome.ms === undefined ? "" : `, ${(outcome.ms / 1000).toFixed(1)} s`;

/** One line per change, then the type check and the summary; for a terminal. */
export function renderText(report: DiffReport): string {
  const lines = [`spec changes: ${report.old} → ${report.new}`, pageLine(report)];
  if (report.changes.length === 0) lines.push("no changes");
  for (const change of report.changes)
    lines.push(
      `${change.verdict.toUpperCase().padEnd(13)} ${change.where}: ${change.what}${change.pointer ? `  [${change.pointer}]` : ""}`,
    );
  lines.push(`type check: ${report.typecheck.status} (${report.typecheck.note}${seconds(report.typecheck)})`);
  lines.push(`summary: ${counts(report)}; suggested bump: ${report.bump}`);
  return `${lines.join("\n")}\n`;
}

/** The place within the operation (the where column without the operation, which has its own). */
const placeOf = (change: Change) =>
  change.where.startsWith(change.operation)
    ? change.where.slice(change.operation.length).trim() || "operation"
    : change.where;
const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

/** A Markdown section for a pull request comment or a CI job summary. */
export function renderMarkdown(report: DiffReport): string {
  const lines = [
    `### Vendor spec change: ${report.breaking ? "**breaking**" : "not breaking"}`,
    "",
    `\`${report.old}\` → \`${report.new}\`, ${pageLine(report)}: ${counts(report)}. Suggested version bump: **${report.bump}**.`,
    "",
    `Type check: **${report.typecheck.status}** (${report.typecheck.note}${seconds(report.typecheck)}).`,
    "",
  ];
  if (report.changes.length) {
    lines.push("| verdict | operation | where | what changed | pointer |", "|---|---|---|---|---|");
    for (const change of report.changes)
      lines.push(
        `| ${change.verdict} | ${cell(change.operation)}${change.model === undefined ? "" : ` (model ${cell(change.model)})`} | ${cell(placeOf(change))} | ${cell(change.what)} | ${change.pointer ? `\`${cell(change.pointer)}\`` : ""} |`,
      );
  } else lines.push("No changes.");
  return `${lines.join("\n")}\n`;
}

/** The report as JSON, for machines. */
export function renderJson(report: DiffReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
