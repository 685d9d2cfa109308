import { isDeepStrictEqual } from "node:util";
import { SpecInputError } from "./spec-input-error";

type Json = Record<string, any>;

/** One vendor page's OpenAPI document, with the name of the page it came from. */
export interface NamedDocument {
  name: string;
  document: Json;
}

function mergeNamed(target: Json, source: Json | undefined, what: string, page: string): void {
  for (const [key, value] of Object.entries(source ?? {})) {
    if (key in target && !isDeepStrictEqual(target[key], value)) {
      throw new SpecInputError(`${what} "${key}" is defined differently by two pages (the second is ${page})`);
    }
    target[key] = value;
  }
}

/**
 * Merges vendor pages into one OpenAPI document: every page's paths and components, the first
 * page's `info` and `openapi`, the union of tags. Pages must agree on `servers` and on any
 * component both define; a path documented by two pages is an error (a page owns its paths).
 * The inputs are not modified.
 */
export function mergeDocuments(pages: readonly NamedDocument[]): Json {
  const [first] = pages;
  if (!first) throw new SpecInputError("no vendor pages to merge");
  const merged: Json = { openapi: first.document.openapi, info: first.document.info, servers: first.document.servers };
  const tags: Json[] = [];
  const paths: Json = {};
  const components: Record<string, Json> = {};
  for (const { name, document } of pages) {
    if (!isDeepStrictEqual(document.servers, merged.servers)) {
      throw new SpecInputError(`the pages disagree on servers: ${name} lists ${JSON.stringify(document.servers)}`);
    }
    for (const tag of document.tags ?? []) if (!tags.some((known) => isDeepStrictEqual(known, tag))) tags.push(tag);
    for (const path of Object.keys(document.paths ?? {})) {
      if (path in paths)
        throw new SpecInputError(`the path ${path} is documented by two pages (the second is ${name})`);
    }
    Object.assign(paths, structuredClone(document.paths ?? {}));
    for (const [section, entries] of Object.entries((document.components ?? {}) as Record<string, Json>)) {
      mergeNamed((components[section] ??= {}), structuredClone(entries), `components.${section}`, name);
    }
    if (document.security !== undefined) merged.security ??= document.security;
  }
  if (tags.length) merged.tags = tags;
  merged.paths = paths;
  if (Object.keys(components).length) merged.components = components;
  return merged;
}
