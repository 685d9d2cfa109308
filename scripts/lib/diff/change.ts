import type { Site } from "./site";
import type { EngineVerdict, Verdict } from "./types";

/** One engine diff, placed in the document (see site.ts). */
export interface SiteChange extends Site {
  action: "add" | "remove" | "replace" | "rename";
  before?: unknown;
  after?: unknown;
  engine: EngineVerdict;
  /** The engine's own wording, used when no client-side rule knows the change better. */
  description?: string;
}

/** A client-side rule's verdict on a change, and the reason in a reader's words. */
export interface Decision {
  verdict: Verdict;
  what: string;
}

/** Facts about the two documents the rules need beyond the change itself. */
export interface RuleContext {
  before: Record<string, any>;
  after: Record<string, any>;
  /** Generated operation names (operationId after the overlay), by "METHOD /path", in OLD and NEW. */
  operationIds: { before: Map<string, string>; after: Map<string, string> };
  /** Request fields that are both added and required in NEW, as `${operation} ${field}`. */
  addedRequired: Set<string>;
}

/** A named client-side rule: returns a decision when it knows the change, otherwise undefined. */
export interface ClientRule {
  id: string;
  decide(change: SiteChange, context: RuleContext): Decision | undefined;
}

/** A breaking decision. */
export const breaking = (what: string): Decision => ({ verdict: "breaking", what });
/** A non-breaking decision. */
export const nonBreaking = (what: string): Decision => ({ verdict: "non-breaking", what });

/** A value, short, for a report line. */
export function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** True when the change is in something this client sends (request body or parameters). */
export const isRequestSide = (change: SiteChange) => change.area === "request" || change.area === "parameter";
