import { applyOverlay } from "../overlay";
import { SpecInputError } from "../spec-input-error";
import { classifyChanges } from "./classify";
import { operationIds, operationLabels } from "./operations";
import type { Change } from "./types";

type Document = Record<string, any>;

async function overlaid(
  document: Document,
  overlays: Record<string, unknown>[],
): Promise<{ document: Document; problem?: string }> {
  try {
    let result = document;
    for (const overlay of overlays) result = await applyOverlay(result, overlay, "spec/overlay.json");
    return { document: result };
  } catch (error) {
    if (!(error instanceof SpecInputError)) throw error;
    return { document, problem: error.message };
  }
}

/** The wire-level comparison, and why our overlay no longer applies to NEW, when it does not. */
export interface WireDiff {
  changes: Change[];
  overlayProblem?: string;
}

/**
 * Compares two valid OpenAPI documents on the wire, from this client's side: api-smart-diff's
 * structural diff judged by the client-side rules, plus a breaking change when our overlays (which
 * shape generated/) no longer apply to NEW. Generated names come from the overlaid documents.
 * Every line names its operation (document-level lines name the page's operations).
 */
export async function wireDiff(
  before: Document,
  after: Document,
  overlays: Record<string, unknown>[],
): Promise<WireDiff> {
  const [old, next] = await Promise.all([overlaid(before, overlays), overlaid(after, overlays)]);
  const scope = operationLabels(after, before).join(", ");
  const changes = classifyChanges(
    before,
    after,
    { before: operationIds(old.document), after: operationIds(next.document) },
    scope,
  );
  // A document with no paths (what a new page is compared with) cannot take the overlays either.
  const appliedBefore = !old.problem || Object.keys(before.paths ?? {}).length === 0;
  if (next.problem && appliedBefore) {
    const reason = next.problem.replace(/^spec\/overlay\.json: /, "").replace(/\s*\n\s*/g, " ");
    const what = `the overlay no longer applies to NEW, so generated/ cannot be produced: ${reason}`;
    changes.push({
      verdict: "breaking",
      pointer: "",
      operation: scope,
      where: `${scope} overlays`,
      what,
      rule: "overlay",
    });
  }
  return { changes, overlayProblem: next.problem };
}
