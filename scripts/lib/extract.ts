import { readFile } from "node:fs/promises";
import { SpecInputError } from "./spec-input-error";

interface FencedBlock {
  info: string;
  body: string;
  /** 1-based line of the first line of the body inside the page. */
  bodyLine: number;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([^`\s]*)[^`]*$/;

function fencedBlocks(page: string): FencedBlock[] {
  const lines = page.split(/\r?\n/);
  const blocks: FencedBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]!);
    if (!open) continue;
    const marker = open[1]!;
    const start = i + 1;
    let end = start;
    while (end < lines.length && !lines[end]!.trim().startsWith(marker)) end++;
    blocks.push({ info: open[2]!.toLowerCase(), body: lines.slice(start, end).join("\n"), bodyLine: start + 1 });
    i = end;
  }
  return blocks;
}

function lineAndColumn(text: string, position: number): { line: number; column: number } {
  const before = text.slice(0, position).split("\n");
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

/** Parses JSON text, turning a SyntaxError into a SpecInputError naming the line and column. */
export function parseJson(text: string, file?: string, firstLine = 1): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = (error as Error).message;
    const at = /position (\d+)/.exec(reason);
    const position = at ? Number(at[1]) : /end of JSON input/.test(reason) ? text.trimEnd().length : undefined;
    const where = position === undefined ? undefined : lineAndColumn(text, position);
    const place = where ? ` at line ${where.line + firstLine - 1}, column ${where.column}` : "";
    throw new SpecInputError(`invalid JSON${place}: ${reason}`, file);
  }
}

/**
 * Extracts the OpenAPI document from a vendor documentation page: the one fenced block whose
 * info string is `json`. Throws SpecInputError when there is none, several, or invalid JSON.
 */
export function extractOpenApiFromPage(page: string, file?: string): unknown {
  const candidates = fencedBlocks(page).filter((block) => block.info === "json");
  if (candidates.length === 0) throw new SpecInputError("no ```json block found in the page", file);
  if (candidates.length > 1) {
    const lines = candidates.map((block) => block.bodyLine - 1).join(", ");
    throw new SpecInputError(
      `${candidates.length} \`\`\`json blocks found (at lines ${lines}); expected exactly one`,
      file,
    );
  }
  const [block] = candidates as [FencedBlock];
  return parseJson(block.body, file, block.bodyLine);
}

/** A loaded spec source: the document, the file's text, and whether it was a page or plain JSON. */
export interface SpecSource {
  document: Record<string, unknown>;
  text: string;
  kind: "page" | "json";
}

/**
 * Reads a vendor page (.md or .txt, JSON embedded) or a .json file and returns the OpenAPI
 * document with the file's text. Checks only that it looks like OpenAPI 3.x; full validation is
 * `validateOpenApi`'s job.
 */
export async function readSpecSource(file: string): Promise<SpecSource> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new SpecInputError(`cannot read file (${(error as NodeJS.ErrnoException).code ?? "error"})`, file);
  }
  const kind = file.endsWith(".json") || /^\s*\{/.test(text) ? "json" : "page";
  const document = kind === "json" ? parseJson(text, file) : extractOpenApiFromPage(text, file);
  if (typeof document !== "object" || document === null || Array.isArray(document)) {
    throw new SpecInputError("the JSON is not an object, so not an OpenAPI document", file);
  }
  const version = (document as Record<string, unknown>).openapi;
  if (typeof version !== "string" || !/^3\.\d+\.\d+/.test(version)) {
    throw new SpecInputError(`not an OpenAPI 3.x document (openapi: ${JSON.stringify(version ?? null)})`, file);
  }
  return { document: document as Record<string, unknown>, text, kind };
}

/** Loads an OpenAPI document from a vendor page or a .json file (see readSpecSource). */
export async function loadSpecSource(file: string): Promise<Record<string, unknown>> {
  return (await readSpecSource(file)).document;
}

/**
 * Replaces the body of the page's one ```json block with `json`, keeping the rest of the page.
 * Throws SpecInputError when the page has no such block, or several.
 */
export function replaceEmbeddedJson(page: string, json: string, file?: string): string {
  extractOpenApiFromPage(page, file);
  const block = fencedBlocks(page).find((candidate) => candidate.info === "json")!;
  const lines = page.split(/\r?\n/);
  const bodyLength = block.body === "" ? 0 : block.body.split("\n").length;
  lines.splice(block.bodyLine - 1, bodyLength, json.replace(/\n$/, ""));
  return lines.join("\n");
}

/** The canonical text of spec/openapi.json: two-space indentation and a final newline. */
export function formatSpecJson(document: unknown): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}
