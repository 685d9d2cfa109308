/**
 * The verdict on one change, from this client's side: `breaking` (code or calls that worked may
 * now fail), `non-breaking` (additive or widening what we may send), `annotation` (docs only).
 */
export type Verdict = "breaking" | "non-breaking" | "annotation";

/** What api-smart-diff said about a change, before our client-side rules looked at it. */
export type EngineVerdict = "breaking" | "non-breaking" | "annotation" | "unclassified" | "deprecated";

/** One line of the report. */
export interface Change {
  verdict: Verdict;
  /** JSON pointer into the spec (OLD for removals, NEW otherwise); a file position for type errors. */
  pointer: string;
  /** The operation the line is about, "METHOD /path" (a page's operations, comma-separated, for document-level lines). */
  operation: string;
  /** Where, for a reader, starting with the operation: `POST /v1/videos/generations request body \`duration\``. */
  where: string;
  /** What changed, and why it matters (or not) to this client. */
  what: string;
  /** The id of the rule that decided the verdict (see client-rules.ts). */
  rule: string;
  /** The model of the page's operation, on a route other pages share (models on one path). */
  model?: string;
  /** The engine's own classification, when the change came from the engine. */
  engine?: EngineVerdict;
}

/** The outcome of type-checking src/ and examples/downstream/src/ against NEW's generated types. */
export interface TypeCheckOutcome {
  status: "passed" | "failed" | "skipped";
  /** Why it was skipped, or how many errors there were. */
  note: string;
  /** Milliseconds spent (generation and tsc), when it ran. */
  ms?: number;
}

/** The suggested semver bump of this package for the change. */
export type Bump = "major" | "minor" | "patch" | "none";

/** The vendor page a diff is about. */
export interface PageSummary {
  /** The page's name: spec/vendor/NAME.md. */
  name: string;
  /** Its operations in NEW (and OLD), as "METHOD /path". */
  operations: string[];
  /** `new` when no committed page has NEW's (path, model) or its name: its operations are added. */
  status: "existing" | "new";
  /** NEW's model, when another page documents one of its routes (models on one path). */
  model?: string;
  /** Set when OLD is another page than NEW's: NEW was compared with its page's committed contract instead. */
  oldPage?: string;
}

/** Everything `spec:diff` reports. */
export interface DiffReport {
  old: string;
  new: string;
  page: PageSummary;
  changes: Change[];
  typecheck: TypeCheckOutcome;
  summary: Record<Verdict, number>;
  bump: Bump;
  breaking: boolean;
}
