import { SpecInputError } from "./spec-input-error";
import type { NamedDocument } from "./merge-specs";

type Json = Record<string, any>;

/** The operation methods of an OpenAPI path item, in the order the spec lists them. */
export const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

/** One operation of an overlaid page: where it lives, its name, and its JSON request and 200 response schemas. */
export interface PageOperation {
  method: Uppercase<(typeof HTTP_METHODS)[number]>;
  path: string;
  page: string;
  operationId: string;
  /** The JSON request body schema; undefined for an operation without a body (a GET). */
  request?: Json;
  response: Json;
  /** The servers that serve the operation: its own, its path's, or its page's. */
  servers: string[];
}

/** What a call needs to know about an operation at run time (kept small: every bundle carries it). */
export interface OperationFacts {
  method: PageOperation["method"];
  path: string;
  page: string;
  /** The model a call sends when the caller gives none: the page's example (absent without a body). */
  defaultModel?: string;
  /** The models that select this operation on a path several operations share; empty: any model. */
  models: string[];
  servers: string[];
}

const urls = (servers: unknown): string[] | undefined =>
  Array.isArray(servers) && servers.length > 0 ? servers.map((server: Json) => String(server.url)) : undefined;

/**
 * Every operation a page documents, any method. Each needs an identifier operationId (given by the
 * page's overlay when the vendor gives none) and a JSON 200 response; a body, when it has one, is JSON.
 */
export function operationsOf({ name, document }: NamedDocument): PageOperation[] {
  return Object.entries((document.paths ?? {}) as Record<string, Json>).flatMap(([path, item]) =>
    HTTP_METHODS.filter((method) => method in item).map((method): PageOperation => {
      const operation = item[method] as Json;
      const label = `${method.toUpperCase()} ${path}`;
      const request = operation.requestBody?.content?.["application/json"]?.schema;
      const response = operation.responses?.["200"]?.content?.["application/json"]?.schema;
      if (!response) throw new SpecInputError(`${label} lacks a JSON 200 response schema`, name);
      if (operation.requestBody && !request) throw new SpecInputError(`${label} has a body that is not JSON`, name);
      if (typeof operation.operationId !== "string" || !/^[A-Za-z_]\w*$/.test(operation.operationId)) {
        throw new SpecInputError(
          `${label} needs an operationId that is an identifier (give it in spec/overlays/${name}.json)`,
          name,
        );
      }
      const servers = urls(operation.servers) ?? urls(item.servers) ?? urls(document.servers) ?? [];
      const upper = method.toUpperCase() as PageOperation["method"];
      return { method: upper, path, page: name, operationId: operation.operationId, request, response, servers };
    }),
  );
}

/** The run-time facts of an operation: its route, page, default model and discriminating models. */
export function factsOf(operation: PageOperation): OperationFacts {
  const model: Json | undefined = operation.request?.properties?.model;
  const defaultModel = model?.examples?.[0];
  if (operation.request && typeof defaultModel !== "string") {
    throw new SpecInputError(
      `${operation.method} ${operation.path}: the page's overlay must give the model property an example (the default model)`,
      operation.page,
    );
  }
  const models = Array.isArray(model?.enum) ? model.enum.map(String) : [];
  const { method, path, page, servers } = operation;
  return { method, path, page, ...(defaultModel === undefined ? {} : { defaultModel }), models, servers };
}

/** The operations grouped by route (`METHOD path`), in the order they first appear. */
export function byRoute<T extends { method: string; path: string }>(operations: readonly T[]): Map<string, T[]> {
  const routes = new Map<string, T[]>();
  for (const operation of operations) {
    const route = `${operation.method} ${operation.path}`;
    routes.set(route, [...(routes.get(route) ?? []), operation]);
  }
  return routes;
}

/**
 * Checks that a request can always be routed to one operation: operationIds are unique, and
 * operations sharing a route each name their models (a `model` enum in their page's overlay),
 * with no model, default included, claimed by two of them.
 */
export function checkDiscriminants(operations: readonly PageOperation[]): void {
  const ids = new Map<string, string>();
  for (const operation of operations) {
    const other = ids.get(operation.operationId);
    if (other !== undefined) {
      throw new SpecInputError(
        `operationId ${operation.operationId} is used by two pages (${other} too)`,
        operation.page,
      );
    }
    ids.set(operation.operationId, operation.page);
  }
  for (const [route, shared] of byRoute(operations)) {
    if (shared.length < 2) continue;
    const claimed = new Map<string, string>();
    for (const operation of shared) {
      const facts = factsOf(operation);
      if (facts.models.length === 0) {
        throw new SpecInputError(
          `${route} is documented by ${shared.length} pages; this one must name its models (a model enum in spec/overlays/${operation.page}.json)`,
          operation.page,
        );
      }
      if (facts.defaultModel !== undefined && !facts.models.includes(facts.defaultModel)) {
        throw new SpecInputError(
          `${route}: the default model ${facts.defaultModel} is not in the page's model enum`,
          operation.page,
        );
      }
      for (const model of facts.models) {
        const owner = claimed.get(model);
        if (owner !== undefined) {
          throw new SpecInputError(
            `${route}: the model ${model} is claimed by two pages (${owner} too)`,
            operation.page,
          );
        }
        claimed.set(model, operation.page);
      }
    }
  }
}
