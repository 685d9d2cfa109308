import { generateFiles } from "../generate";
import { withPage, type GenerationInputs } from "../pages";
import { SpecInputError } from "../spec-input-error";
import { wireDiff } from "./wire-diff";
import { typeCheckAgainst, type CompileError } from "./typecheck";
import { summarize } from "./report";
import type { Change, DiffReport, TypeCheckOutcome } from "./types";

type Document = Record<string, any>;

/** How to diff two specs. */
export interface DiffOptions {
  /** The committed pages and the shared overlay: generated names and types come from the overlaid pages. */
  inputs: GenerationInputs;
  /** The page OLD and NEW are versions of (a new name when NEW documents only new paths). */
  page: string;
  /** Root holding src/ and examples/downstream/src/ to type-check against NEW; false skips the check. */
  typecheckRoot: string | false;
  /** How OLD and NEW are named in the report. */
  labels: { old: string; new: string };
}

/** The report, and NEW's generated files when they were produced (spec:update writes them). */
export interface DiffResult {
  report: DiffReport;
  generated?: Map<string, string>;
}

function compileChange(error: CompileError): Change {
  const where = `types: ${error.file.replace(/\\/g, "/")}(${error.line},${error.column})`;
  if (error.code === "TS2578") {
    return { verdict: "non-breaking", pointer: `${error.file}:${error.line}:${error.column}`, where, what: `${error.code} ${error.message} (a type got wider, so an @ts-expect-error assertion no longer fails)`, rule: "typecheck" };
  }
  return { verdict: "breaking", pointer: `${error.file}:${error.line}:${error.column}`, where, what: `${error.code} ${error.message}`, rule: "typecheck" };
}

async function typeCheck(after: Document, options: DiffOptions, overlayProblem: string | undefined): Promise<{ outcome: TypeCheckOutcome; changes: Change[]; generated?: Map<string, string> }> {
  if (options.typecheckRoot === false) return { outcome: { status: "skipped", note: "--no-typecheck" }, changes: [] };
  if (overlayProblem) return { outcome: { status: "skipped", note: "the overlay does not apply to NEW" }, changes: [] };
  const started = Date.now();
  let generated: Map<string, string>;
  try {
    generated = await generateFiles(withPage(options.inputs, options.page, after));
  } catch (error) {
    if (!(error instanceof SpecInputError)) throw error;
    const change: Change = { verdict: "breaking", pointer: "", where: "generated/", what: `types cannot be generated from NEW: ${error.message}`, rule: "generate" };
    return { outcome: { status: "failed", note: "generation failed", ms: Date.now() - started }, changes: [change] };
  }
  const errors = await typeCheckAgainst(generated, options.typecheckRoot);
  const broken = errors.filter((error) => error.code !== "TS2578").length;
  const note = errors.length === 0 ? "src/ and examples/downstream/src/ compile against NEW's generated types" : `${errors.length} compiler error(s), ${broken} breaking`;
  return { outcome: { status: broken ? "failed" : "passed", note, ms: Date.now() - started }, changes: errors.map(compileChange), generated };
}

/** The overlays that shape the page: the shared one, then the page's own (when it has one). */
function overlaysOf(options: DiffOptions): Record<string, unknown>[] {
  const own = options.inputs.pages.find((page) => page.name === options.page)?.overlay;
  return own ? [options.inputs.overlay, own] : [options.inputs.overlay];
}

/**
 * Compares two OpenAPI documents from this client's side: the structural diff (api-smart-diff)
 * judged by the client-side rules, a check that our overlay still applies, and (unless skipped)
 * a type check of src/ and examples/downstream/src/ against the types generated from NEW.
 * Both documents must already be valid OpenAPI (see validateOpenApi).
 */
export async function diffSpecs(before: Document, after: Document, options: DiffOptions): Promise<DiffResult> {
  const wire = await wireDiff(before, after, overlaysOf(options));
  const checked = await typeCheck(after, options, wire.overlayProblem);
  return { report: summarize(options.labels, [...wire.changes, ...checked.changes], checked.outcome), generated: checked.generated };
}
