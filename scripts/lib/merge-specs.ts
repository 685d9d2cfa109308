import { isDeepStrictEqual } from "node:util";
import { SpecInputError } from "./spec-input-error";
import { HTTP_METHODS } from "./page-operations";

type Json = Record<string, any>;

/** One vendor page's OpenAPI document, with the name of the page it came from. */
export interface NamedDocument {
  name: string;
  document: Json;
}

/**
 * Equal as JSON: documents are JSON, and a copy may come from another realm (structuredClone in a
 * test's VM context), whose objects isDeepStrictEqual tells apart by prototype alone.
 */
const sameJson = (a: unknown, b: unknown): boolean =>
  isDeepStrictEqual(
    a === undefined ? a : JSON.parse(JSON.stringify(a)),
    b === undefined ? b : JSON.parse(JSON.stringify(b)),
  );

const OPERATION_KEYS: ReadonlySet<string> = new Set(HTTP_METHODS);

function mergeNamed(target: Json, source: Json | undefined, what: string, page: string): void {
  for (const [key, value] of Object.entries(source ?? {})) {
    if (key in target && !sameJson(target[key], value)) {
      throw new SpecInputError(`${what} "${key}" is defined differently by two pages (the second is ${page})`);
    }
    target[key] = value;
  }
}

/** One page's operation on a route, with the servers that serve it. */
interface PageOperation {
  page: string;
  operation: Json;
  servers: Json[] | undefined;
}

function distinct(values: Json[]): Json[] {
  return values.filter((value, index) => values.findIndex((other) => sameJson(other, value)) === index);
}

function sameAcross(route: string, shared: PageOperation[], field: string, value: (each: PageOperation) => unknown) {
  const [first, ...rest] = shared;
  const other = rest.find((each) => !sameJson(value(each), value(first!)));
  if (other) throw new SpecInputError(`${route}: the pages that share it disagree on ${field} (${other.page})`);
  return value(first!);
}

/** The JSON content of a response or body, or an error naming the route when it has another media type. */
function jsonSchemaOf(route: string, each: PageOperation, content: Json | undefined, what: string): Json | undefined {
  if (content === undefined) return undefined;
  const types = Object.keys(content);
  if (types.length !== 1 || types[0] !== "application/json") {
    throw new SpecInputError(`${route}: ${what} of ${each.page} must be application/json only to share the route`);
  }
  return content["application/json"].schema;
}

/**
 * The servers of a route several pages share: undefined when every page is served where the
 * document is, else every page's servers, each once (the gateway serves its pages from several
 * hosts; each operation keeps its own in OPERATIONS[id].servers, taken from its page).
 */
function serversOf(shared: PageOperation[], documentServers: Json[] | undefined): Json[] | undefined {
  if (shared.every((each) => each.servers === undefined)) return undefined;
  return distinct(shared.flatMap((each) => each.servers ?? documentServers ?? []));
}

/**
 * One operation for a route several pages document (models on one path): its body is a `oneOf`
 * of the pages' bodies (each page tells its own apart by its `model`), each response an `anyOf`
 * of the distinct answers, its servers every page's (see serversOf). Parameters and security
 * must be the same on every page.
 */
function combined(route: string, shared: PageOperation[], documentServers: Json[] | undefined): Json {
  const [first] = shared;
  const bodies = shared.map((each) => jsonSchemaOf(route, each, each.operation.requestBody?.content, "the body"));
  if (bodies.some((body) => body === undefined))
    throw new SpecInputError(`${route}: every page sharing it needs a JSON body`);
  const statuses = [...new Set(shared.flatMap((each) => Object.keys(each.operation.responses ?? {})))];
  const responses = Object.fromEntries(
    statuses.map((status) => {
      const answers = shared.map((each) => each.operation.responses?.[status]).filter((answer) => answer !== undefined);
      const kinds = distinct(answers);
      if (kinds.length === 1) return [status, kinds[0]];
      const schemas = distinct(
        shared.flatMap(
          (each) => jsonSchemaOf(route, each, each.operation.responses?.[status]?.content, `response ${status}`) ?? [],
        ),
      );
      const schema = schemas.length === 1 ? schemas[0] : { anyOf: schemas };
      return [status, { description: kinds[0]!.description ?? "", content: { "application/json": { schema } } }];
    }),
  );
  const servers = serversOf(shared, documentServers);
  const parameters = sameAcross(route, shared, "parameters", (each) => each.operation.parameters);
  const security = sameAcross(route, shared, "security", (each) => each.operation.security);
  const tags = [...new Set(shared.flatMap((each) => (each.operation.tags ?? []) as string[]))];
  return {
    summary: shared.map((each) => each.operation.summary ?? each.page).join(" | "),
    description: `One path, ${shared.length} operations told apart by \`model\`: ${shared.map((each) => each.page).join(", ")}.`,
    ...(tags.length ? { tags } : {}),
    ...(parameters === undefined ? {} : { parameters }),
    ...(security === undefined ? {} : { security }),
    ...(servers === undefined ? {} : { servers }),
    requestBody: {
      required: shared.some((each) => each.operation.requestBody?.required === true),
      content: { "application/json": { schema: { oneOf: bodies } } },
    },
    responses,
    ...(first!.operation.deprecated === undefined ? {} : { deprecated: first!.operation.deprecated }),
  };
}

/**
 * Merges vendor pages into one OpenAPI document: every page's operations and components, the
 * first page's `info`, `openapi` and `servers`, the union of tags. An operation of a page whose
 * servers differ keeps its own `servers` (on a shared route, the operation lists every page's). Pages documenting the same route (method and path) are
 * models on one path: the route gets one operation whose body is a `oneOf` of theirs (see
 * `combined`). Pages must agree on any component both define. The inputs are not modified.
 */
export function mergeDocuments(pages: readonly NamedDocument[]): Json {
  const [first] = pages;
  if (!first) throw new SpecInputError("no vendor pages to merge");
  const merged: Json = { openapi: first.document.openapi, info: first.document.info, servers: first.document.servers };
  const tags: Json[] = [];
  const items = new Map<string, { fields: Json; operations: Map<string, PageOperation[]> }>();
  const components: Record<string, Json> = {};
  for (const { name, document } of pages) {
    for (const tag of document.tags ?? []) if (!tags.some((known) => sameJson(known, tag))) tags.push(tag);
    for (const [path, item] of Object.entries(structuredClone(document.paths ?? {}) as Record<string, Json>)) {
      const entry = items.get(path) ?? { fields: {}, operations: new Map<string, PageOperation[]>() };
      items.set(path, entry);
      for (const [key, value] of Object.entries(item)) {
        if (!OPERATION_KEYS.has(key)) {
          if (key !== "servers") entry.fields[key] ??= value;
          continue;
        }
        const servers = value.servers ?? item.servers ?? document.servers;
        const own = sameJson(servers, merged.servers) ? undefined : servers;
        const { servers: _declared, ...operation } = value as Json;
        entry.operations.set(key, [...(entry.operations.get(key) ?? []), { page: name, operation, servers: own }]);
      }
    }
    for (const [section, entries] of Object.entries((document.components ?? {}) as Record<string, Json>)) {
      mergeNamed((components[section] ??= {}), structuredClone(entries), `components.${section}`, name);
    }
    if (document.security !== undefined) merged.security ??= document.security;
  }
  if (tags.length) merged.tags = tags;
  merged.paths = Object.fromEntries(
    [...items].map(([path, { fields, operations }]) => [
      path,
      {
        ...fields,
        ...Object.fromEntries(
          [...operations].map(([method, shared]) => {
            if (shared.length > 1) return [method, combined(`${method.toUpperCase()} ${path}`, shared, merged.servers)];
            const [{ operation, servers }] = shared as [PageOperation];
            return [method, servers === undefined ? operation : { ...operation, servers }];
          }),
        ),
      },
    ]),
  );
  if (Object.keys(components).length) merged.components = components;
  return merged;
}
