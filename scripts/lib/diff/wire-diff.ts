import { applyOverlay } from "../overlay";
import { SpecInputError } from "../spec-input-error";
import { classifyChanges } from "./classify";
import type { Change } from "./types";

type Document = Record<string, any>;

const METHODS = new Set(["get", "put", "post", "delete", "options", "head", "patch", "trace"]);

/** Generated operation names: operationId by "METHOD /path". */
export function operationIds(document: Document): Map<string, string> {
  const names = new Map<string, string>();
  for (const [route, item] of Object.entries((document.paths ?? {}) as Record<string, Document>)) {
    for (const [method, operation] of Object.entries(item ?? {})) {
      if (METHODS.has(method) && typeof operation?.operationId === "string") names.set(`${method.toUpperCase()} ${route}`, operation.operationId);
    }
  }
  return names;
}

async function overlaid(document: Document, overlays: Record<string, unknown>[]): Promise<{ document: Document; problem?: string }> {
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
 * structural diff judged by the client-side rules, plus a breaking change when our overlay (which
 * shapes generated/) no longer applies to NEW. Generated names come from the overlaid documents.
 */
export async function wireDiff(before: Document, after: Document, overlays: Record<string, unknown>[]): Promise<WireDiff> {
  const [old, next] = await Promise.all([overlaid(before, overlays), overlaid(after, overlays)]);
  const changes = classifyChanges(before, after, { before: operationIds(old.document), after: operationIds(next.document) });
  if (next.problem && !old.problem) {
    changes.push({ verdict: "breaking", pointer: "", where: "spec/overlay.json", what: `the overlay no longer applies to NEW, so generated/ cannot be produced: ${next.problem.replace(/^spec\/overlay\.json: /, "").replace(/\s*\n\s*/g, " ")}`, rule: "overlay" });
  }
  return { changes, overlayProblem: next.problem };
}
