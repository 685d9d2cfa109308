import { readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { formatSpecJson, readSpecSource, replaceEmbeddedJson } from "../extract";
import { generateFiles, readGenerationInputs } from "../generate";
import { findPage, withPage, type GenerationInputs, type TargetPage } from "../pages";
import { validateOpenApi } from "../validate-openapi";
import { writeFilesAtomically, type AtomicWriteOptions } from "../atomic-write";
import { pathsUnder, type SpecPaths } from "../paths";
import { SpecInputError } from "../spec-input-error";
import { driftedFiles } from "../drift";
import { overlaySkeleton } from "../overlay-skeleton";
import { diffSpecs } from "./diff-specs";
import { noOperations, operationLabels } from "./operations";
import { compileProblems } from "./compile-problems";
import type { DiffReport } from "./types";

/** What spec:update is asked to do. */
export interface UpdateOptions {
  /** The new vendor page (.md/.txt, JSON embedded) or .json file. */
  source: string;
  /** The repository whose spec/ and generated/ are updated (and whose src/ is type-checked). */
  root: string;
  /** Write even when the change is breaking. */
  acceptBreaking: boolean;
  /** Type-check src/ and examples/downstream/src/ against the new types before writing. */
  typecheck: boolean;
  /** Passed to writeFilesAtomically (tests inject a failing rename). */
  write?: AtomicWriteOptions;
}

/**
 * How it ended. `updated`: spec/ and generated/ were written (exit 0); `unchanged`: already up to
 * date (exit 0); `refused`: breaking, generated/ cannot be produced, or a new page has no overlay
 * yet; nothing written (exit 1); `failed`: writing failed and was rolled back (exit 3). Invalid
 * input throws SpecInputError (exit 2).
 */
export interface UpdateOutcome {
  status: "updated" | "unchanged" | "refused" | "failed";
  report: DiffReport;
  /** Files written, relative to the root. */
  written: string[];
  message: string;
}

async function differs(file: string, content: string): Promise<boolean> {
  return (await readFile(file, "utf8").catch(() => undefined)) !== content;
}

/** Why a new page cannot be taken yet: its overlay is missing. The message carries a skeleton to paste. */
function overlayNeeded(
  paths: SpecPaths,
  inputs: GenerationInputs,
  page: TargetPage,
  document: Record<string, unknown>,
): string {
  const file = relative(paths.root, paths.page(page.name).overlay);
  const sharedRoutes = new Set(inputs.pages.flatMap((each) => operationLabels(each.spec)));
  const model = page.model ?? page.name;
  return [
    `a new page (${page.name}, model ${model}) needs its own overlay before it can be generated, so nothing was written.`,
    `Add ${file} (check the operationId and the default model, the value the page's examples send), then re-run:`,
    overlaySkeleton(page.name, document, { model, sharedRoutes }),
  ].join("\n");
}

/**
 * Updates spec/ and generated/ from a new vendor spec, all or nothing: extract and validate it,
 * find the page it is a version of (by (path, model), see findPage; else it
 * is a new page, which needs spec/overlays/NAME.json first), diff it against that page's
 * spec/openapi/NAME.json, and unless it is breaking (or `acceptBreaking`), write the page's
 * contract, its vendor page and every generated file in one atomic step. When the type check
 * ran and src/ or examples/downstream/src/ do not compile against the new types, nothing is
 * written, `acceptBreaking` or not. Afterwards generated/ is checked against the written spec,
 * as `generate:check` does.
 */
export async function updateSpec(options: UpdateOptions): Promise<UpdateOutcome> {
  const paths = pathsUnder(options.root);
  const source = await readSpecSource(options.source);
  await validateOpenApi(source.document, options.source);
  const inputs = await readGenerationInputs(paths);
  const page = await findPage(paths, inputs, source.document, options.source);
  const pageFiles = paths.page(page.name);
  // A new page is compared with no operations: its operations are added, nothing else about it.
  const current = page.committed?.spec ?? noOperations(source.document);
  const { report, generated } = await diffSpecs(current, source.document, {
    inputs,
    page,
    oldPage: page.name,
    typecheckRoot: options.typecheck ? options.root : false,
    labels: { old: page.committed ? relative(options.root, pageFiles.spec) : "(no page)", new: options.source },
  });
  const refuse = (message: string): UpdateOutcome => ({ status: "refused", report, written: [], message });
  if (!page.overlay) return refuse(overlayNeeded(paths, inputs, page, source.document));
  const compile = compileProblems(report);
  // Even --accept-breaking never writes a tree that does not compile: generated/ must build with src/.
  if (compile.broken) return refuse(compile.broken);
  if (report.breaking && !options.acceptBreaking)
    return refuse("breaking change: nothing written (re-run with --accept-breaking to take it)");

  let files: Map<string, string>;
  try {
    files = generated ?? (await generateFiles(withPage(inputs, page.name, source.document, page.overlay)));
  } catch (error) {
    if (!(error instanceof SpecInputError)) throw error;
    const fix = `fix the overlays (spec/overlay.json, ${relative(options.root, pageFiles.overlay)}) first`;
    return refuse(`generated/ cannot be produced from the new spec, so nothing was written; ${fix}:\n${error.message}`);
  }
  const vendorPage = await readFile(pageFiles.vendorPage, "utf8").catch(() => undefined);
  const json = formatSpecJson(source.document);
  const targets = new Map<string, string>([[pageFiles.spec, json]]);
  if (source.kind === "page") targets.set(pageFiles.vendorPage, source.text);
  else if (vendorPage !== undefined)
    targets.set(pageFiles.vendorPage, replaceEmbeddedJson(vendorPage, json, pageFiles.vendorPage));
  else targets.set(pageFiles.vendorPage, `# ${page.name}\n\n\`\`\`json\n${json}\`\`\`\n`);
  for (const [name, content] of files) targets.set(join(paths.generated, name), content);

  const changed = new Map<string, string>();
  for (const [file, content] of targets) if (await differs(file, content)) changed.set(file, content);
  if (changed.size === 0)
    return { status: "unchanged", report, written: [], message: "spec/ and generated/ are already up to date" };
  try {
    await writeFilesAtomically(changed, options.write);
  } catch (error) {
    return {
      status: "failed",
      report,
      written: [],
      message: `writing failed, every file was left as it was: ${(error as Error).message}`,
    };
  }
  const written = [...changed.keys()].map((file) => relative(options.root, file));
  const drifted = await driftedFiles(paths.generated, await generateFiles(await readGenerationInputs(paths)));
  if (drifted.length)
    return {
      status: "failed",
      report,
      written,
      message: `generated/ drifted from spec/ after writing: ${drifted.join(", ")}`,
    };
  return {
    status: "updated",
    report,
    written,
    message: `wrote ${written.join(", ")}; generated/ is in step with spec/${compile.stale ? `; ${compile.stale}` : ""}`,
  };
}
