import { readdir, readFile, stat } from "node:fs/promises";
import { basename } from "node:path";
import { parseJson } from "./extract";
import { SpecInputError } from "./spec-input-error";
import { matchPage, modelOf, type ModelSource } from "./page-identity";
import type { SpecPaths } from "./paths";

/** One vendor page as generation takes it: its verbatim contract and its own overlay. */
export interface SpecPage {
  name: string;
  spec: Record<string, unknown>;
  overlay: Record<string, unknown>;
}

/** The inputs of generation: every vendor page, and the overlay applied to all of them. */
export interface GenerationInputs {
  pages: SpecPage[];
  overlay: Record<string, unknown>;
}

/** Reads and parses a JSON file; a SpecInputError names the file when it is unreadable or invalid. */
export async function readJsonFile(file: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new SpecInputError(`cannot read file (${(error as NodeJS.ErrnoException).code ?? "error"})`, file);
  }
  return parseJson(text, file) as Record<string, unknown>;
}

/** Names of the vendor pages in spec/vendor/ (each `NAME.md`), sorted. */
export async function pageNames(paths: SpecPaths): Promise<string[]> {
  const files = await readdir(paths.vendorDir).catch(() => [] as string[]);
  const names = files.filter((file) => file.endsWith(".md")).map((file) => file.slice(0, -3));
  if (names.length === 0) throw new SpecInputError("no vendor pages (spec/vendor/*.md)", paths.vendorDir);
  return names.sort();
}

/** Reads one page's committed contract (spec/openapi/NAME.json) and overlay (spec/overlays/NAME.json). */
async function readPage(paths: SpecPaths, name: string): Promise<SpecPage> {
  const files = paths.page(name);
  const [spec, overlay] = await Promise.all([readJsonFile(files.spec), readJsonFile(files.overlay)]);
  return { name, spec, overlay };
}

/** Reads the committed inputs of generation: every page in spec/vendor/ and the shared overlay. */
export async function readGenerationInputs(paths: SpecPaths): Promise<GenerationInputs> {
  const names = await pageNames(paths);
  const [pages, overlay] = await Promise.all([
    Promise.all(names.map((name) => readPage(paths, name))),
    readJsonFile(paths.overlay),
  ]);
  return { pages, overlay };
}

/** An empty overlay: what a page that has none yet gets. */
const NO_ACTIONS = { overlay: "1.0.0", info: { title: "none yet", version: "0.0.0" }, actions: [] };

/** The name a page file gives its page: the file name without its extension (`sora-2-extend.md`). */
const pageNameOf = (file: string): string => basename(file).replace(/\.[^.]*$/, "");

/** The page a new version of a document belongs to, and the overlay that shapes it (if it has one yet). */
export interface TargetPage {
  name: string;
  /** The committed page; undefined for a new page. */
  committed?: SpecPage;
  /** The page's own overlay: the committed one, or spec/overlays/NAME.json added ahead of a new page. */
  overlay?: Record<string, unknown>;
  /** The model the document's operations are identified by (see modelOf), when it was told. */
  model?: string;
  /** Where the model came from; "file name" when nothing in the document or an overlay names it. */
  modelSource?: ModelSource;
}

/** spec/overlays/NAME.json when someone has added it ahead of its page, else undefined. */
async function overlayAhead(paths: SpecPaths, name: string): Promise<Record<string, unknown> | undefined> {
  const file = paths.page(name).overlay;
  return (await stat(file).catch(() => undefined)) ? readJsonFile(file) : undefined;
}

/**
 * Finds the page a document belongs to, by (path, model): the committed page named like the file;
 * else the committed page on one of its paths that claims its model (see modelOf: the page's
 * overlay, the document's `model` schema, its summary, else the file's name), or, when all its
 * paths are new, any page claiming it (a page whose path was renamed); else a new page, named
 * like the file when spec/overlays/NAME.json was added ahead of it, otherwise after its model.
 */
export async function findPage(
  paths: SpecPaths,
  inputs: GenerationInputs,
  document: Record<string, unknown>,
  file: string,
): Promise<TargetPage> {
  const name = pageNameOf(file);
  const byName = inputs.pages.find((page) => page.name === name);
  const ahead = byName?.overlay ?? (await overlayAhead(paths, name));
  const identity = await modelOf(document, name, ahead ? [inputs.overlay, ahead] : undefined);
  const told = { model: identity.model, modelSource: identity.source };
  const committed = byName ?? matchPage(inputs, document, identity);
  if (committed) return { name: committed.name, committed, overlay: committed.overlay, ...told };
  const own = ahead || identity.source === "file name" ? name : identity.model.split("/").pop()!;
  const overlay = ahead ?? (own === name ? undefined : await overlayAhead(paths, own));
  return { name: own, ...(overlay ? { overlay } : {}), ...told };
}

/**
 * The page NEW is a version of when spec:diff is given OLD: NEW's own page, unless NEW is a new
 * page that names no model (no overlay, no model schema, no summary naming one: only its file's
 * name), which is then taken as a version of OLD's page, so that OLD is compared with NEW.
 */
export function pageAgainstOld(page: TargetPage, oldPage: TargetPage): TargetPage {
  return page.committed || page.modelSource !== "file name" ? page : oldPage;
}

/**
 * The inputs with page `name`'s contract replaced by `spec`, or added as a new page with `overlay`
 * (no overlay actions when none is given).
 */
export function withPage(
  inputs: GenerationInputs,
  name: string,
  spec: Record<string, unknown>,
  overlay?: Record<string, unknown>,
): GenerationInputs {
  const existing = inputs.pages.find((page) => page.name === name);
  const page = { name, spec, overlay: existing?.overlay ?? overlay ?? NO_ACTIONS };
  // In name order, as readGenerationInputs reads them: the generated files follow the order of the pages.
  const added = [...inputs.pages, page].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const pages = existing ? inputs.pages.map((each) => (each === existing ? page : each)) : added;
  return { ...inputs, pages };
}
