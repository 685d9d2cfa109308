import { withPage, type GenerationInputs, type TargetPage } from "../pages";
import { SpecInputError } from "../spec-input-error";
import { wireDiff } from "./wire-diff";
import { typeCheckAgainst, type CompileError } from "./typecheck";
import { summarize } from "./report";
import { noOperations, operationLabels } from "./operations";
import type { Change, DiffReport, PageSummary, TypeCheckOutcome } from "./types";

type Document = Record<string, any>;

/** How to diff two specs. */
interface DiffOptions {
  /** The committed pages and the shared overlay: generated names and types come from the overlaid pages. */
  inputs: GenerationInputs;
  /** The page NEW is a version of (see findPage): committed, or new. */
  page: TargetPage;
  /** The page OLD is a version of: when it is another page than NEW's, OLD is not NEW's past (see baselineOf). */
  oldPage: string;
  /** Root holding src/ and examples/downstream/src/ to type-check against NEW; false skips the check. */
  typecheckRoot: string | false;
  /** How OLD and NEW are named in the report. */
  labels: { old: string; new: string };
}

/** The report, and the generated files of every page with NEW in place, when they were produced. */
interface DiffResult {
  report: DiffReport;
  generated?: Map<string, string>;
}

interface Checked {
  outcome: TypeCheckOutcome;
  changes: Change[];
  generated?: Map<string, string>;
}

function compileChange(error: CompileError, scope: string): Change {
  const where = `${scope} types: ${error.file.replace(/\\/g, "/")}(${error.line},${error.column})`;
  const line = { pointer: `${error.file}:${error.line}:${error.column}`, operation: scope, where, rule: "typecheck" };
  if (error.code === "TS2578") {
    const what = `${error.code} ${error.message} (a type got wider, so an @ts-expect-error assertion no longer fails)`;
    return { ...line, verdict: "non-breaking", what };
  }
  return { ...line, verdict: "breaking", what: `${error.code} ${error.message}` };
}

/** Why the type check cannot run, or undefined when it can. */
function skipReason(options: DiffOptions, overlayProblem: string | undefined): string | undefined {
  if (options.typecheckRoot === false) return "--no-typecheck";
  if (overlayProblem) return "the overlay does not apply to NEW";
  if (!options.page.overlay)
    return `a new page: add spec/overlays/${options.page.name}.json (its operationId and default model) to generate its types`;
  return undefined;
}

/** Regenerates every page with NEW in place and type-checks src/ and examples/downstream/src/ against it. */
async function typeCheck(
  after: Document,
  options: DiffOptions,
  scope: string,
  overlayProblem: string | undefined,
): Promise<Checked> {
  const skipped = skipReason(options, overlayProblem);
  if (skipped !== undefined || options.typecheckRoot === false)
    return { outcome: { status: "skipped", note: skipped ?? "" }, changes: [] };
  const started = Date.now();
  // Loaded only when the type check runs: the generator's dependencies are heavy, and some are
  // ESM-only, which CommonJS jest cannot load (the wire-level tests run this module in-process).
  const { generateFiles } = await import("../generate");
  let generated: Map<string, string>;
  try {
    generated = await generateFiles(withPage(options.inputs, options.page.name, after, options.page.overlay));
  } catch (error) {
    if (!(error instanceof SpecInputError)) throw error;
    const what = `types cannot be generated from NEW: ${error.message}`;
    const change: Change = {
      verdict: "breaking",
      pointer: "",
      operation: scope,
      where: `${scope} generated/`,
      what,
      rule: "generate",
    };
    return { outcome: { status: "failed", note: "generation failed", ms: Date.now() - started }, changes: [change] };
  }
  const errors = await typeCheckAgainst(generated, options.typecheckRoot);
  const broken = errors.filter((error) => error.code !== "TS2578").length;
  const note =
    errors.length === 0
      ? "src/ and examples/downstream/src/ compile against the types of every page, NEW in place"
      : `${errors.length} compiler error(s), ${broken} breaking`;
  const outcome: TypeCheckOutcome = { status: broken ? "failed" : "passed", note, ms: Date.now() - started };
  return { outcome, changes: errors.map((error) => compileChange(error, scope)), generated };
}

/**
 * What NEW is compared with: OLD when it is a version of NEW's page; otherwise (OLD is another
 * page, say image-to-video when NEW is a new model's page on its path) NEW's committed contract,
 * or, for a new page, nothing (its operations are added; no other page is changed).
 */
function baselineOf(before: Document, after: Document, options: DiffOptions) {
  if (options.oldPage === options.page.name) return { document: before };
  if (options.page.committed) return { document: options.page.committed.spec, oldPage: options.oldPage };
  return { document: noOperations(after) };
}

/** True when another committed page documents one of these routes ("METHOD /path"): models on one path. */
function sharedRoute(options: DiffOptions, routes: string[]): boolean {
  const others = options.inputs.pages.filter((page) => page.name !== options.page.name);
  return others.some((page) => operationLabels(page.spec).some((route) => routes.includes(route)));
}

/**
 * Compares two OpenAPI documents from this client's side: the structural diff (api-smart-diff)
 * judged by the client-side rules, a check that our overlays still apply, and (unless skipped)
 * a type check of src/ and examples/downstream/src/ against the types generated from every page
 * with NEW in place. NEW is compared with OLD when both are versions of one page (see baselineOf).
 * On a route other pages share, the report and every line name NEW's model.
 * Both documents must already be valid OpenAPI (see validateOpenApi).
 */
export async function diffSpecs(before: Document, after: Document, options: DiffOptions): Promise<DiffResult> {
  const baseline = baselineOf(before, after, options);
  const old = baseline.document;
  const overlays = [options.inputs.overlay, ...(options.page.overlay ? [options.page.overlay] : [])];
  const wire = await wireDiff(old, after, overlays);
  const operations = operationLabels(after, old);
  const checked = await typeCheck(after, options, operations.join(", "), wire.overlayProblem);
  const model = options.page.model !== undefined && sharedRoute(options, operations) ? options.page.model : undefined;
  const page: PageSummary = {
    name: options.page.name,
    operations,
    status: options.page.committed ? "existing" : "new",
    ...(model === undefined ? {} : { model }),
    ...(baseline.oldPage === undefined ? {} : { oldPage: baseline.oldPage }),
  };
  const changes = [...wire.changes, ...checked.changes].map((change) =>
    model === undefined ? change : { ...change, model },
  );
  const report = summarize({ ...options.labels, page }, changes, checked.outcome);
  return { report, generated: checked.generated };
}
