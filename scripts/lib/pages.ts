import { readdir, readFile } from "node:fs/promises";
import { parseJson } from "./extract";
import { SpecInputError } from "./spec-input-error";
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
  const [pages, overlay] = await Promise.all([Promise.all(names.map((name) => readPage(paths, name))), readJsonFile(paths.overlay)]);
  return { pages, overlay };
}

/** An empty overlay: what a page that has none yet gets. */
const NO_ACTIONS = { overlay: "1.0.0", info: { title: "none yet", version: "0.0.0" }, actions: [] };

/**
 * The committed page a new version of a document belongs to: the page documenting any of its
 * paths. Undefined when every path is new (the document is a page of its own).
 */
export function pageDocumenting(inputs: GenerationInputs, document: Record<string, unknown>): SpecPage | undefined {
  const routes = Object.keys((document.paths ?? {}) as object);
  return inputs.pages.find((page) => routes.some((route) => route in ((page.spec.paths ?? {}) as object)));
}

/** The inputs with page `name`'s contract replaced by `spec` (or added, with no overlay actions yet). */
export function withPage(inputs: GenerationInputs, name: string, spec: Record<string, unknown>): GenerationInputs {
  const existing = inputs.pages.find((page) => page.name === name);
  const page = { name, spec, overlay: existing?.overlay ?? NO_ACTIONS };
  const pages = existing ? inputs.pages.map((each) => (each === existing ? page : each)) : [...inputs.pages, page];
  return { ...inputs, pages };
}
