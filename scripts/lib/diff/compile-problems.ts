import type { Change, DiffReport } from "./types";

/** What the type check found that spec:update must act on, in a reader's words. */
export interface CompileProblems {
  /** Why the regenerated tree cannot be written: compile errors or types that could not be generated. */
  broken?: string;
  /** `@ts-expect-error` assertions that no longer fail (a type got wider): written, but to be removed. */
  stale?: string;
}

/** One problem, placed: `src/client.ts(81,5): TS2322 …`, or `generated/: types cannot be generated …`. */
const place = (change: Change) =>
  `  ${change.rule === "generate" ? "generated/" : change.where.replace(/^.* types: /, "")}: ${change.what}`;

/**
 * Reads a diff report's type check for spec:update: breaking compiler errors (or a generation
 * failure) mean the tree would not compile with the new types; TS2578 lines are assertions a
 * maintainer must update. Empty when the check was skipped or passed cleanly.
 */
export function compileProblems(report: DiffReport): CompileProblems {
  const lines = report.changes.filter((change) => change.rule === "typecheck" || change.rule === "generate");
  const broken = lines.filter((change) => change.verdict === "breaking");
  const stale = lines.filter((change) => change.verdict !== "breaking");
  return {
    ...(broken.length === 0
      ? {}
      : {
          broken: [
            `the regenerated tree does not type-check (${broken.length} error(s)), so nothing was written, even with --accept-breaking; fix src/ or the overlays first:`,
            ...broken.map(place),
          ].join("\n"),
        }),
    ...(stale.length === 0
      ? {}
      : {
          stale: [
            `${stale.length} @ts-expect-error assertion(s) no longer fail (a type got wider): remove them:`,
            ...stale.map(place),
          ].join("\n"),
        }),
  };
}
