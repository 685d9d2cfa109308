import { readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { OPERATIONS } from "../../generated/spec-values";
import type { OperationId } from "../operations";
import { packageSpecDir } from "./locate-specs";

/** The JSON Schema subset the contract cases read (the spec's own schema objects, untouched). */
export interface JsonSchema {
  type?: string;
  enum?: unknown[];
  default?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  [keyword: string]: unknown;
}

/** A header parameter of the operation, as the spec declares it. */
export interface HeaderParameter {
  name: string;
  required: boolean;
  schema: JsonSchema;
}

/** What the contract suite needs from one vendor page's single operation. */
export interface ContractOperation {
  /** The page's name: its spec file's name without `.json`, e.g. "sora-2-video-to-video". */
  page: string;
  /** How test titles name the operation, e.g. "sora-2-video-to-video (POST /v1/videos/edits)". */
  label: string;
  method: string;
  path: string;
  /** The client's name for the operation (its operationId), when the page is one the client knows. */
  operationId: OperationId | undefined;
  /**
   * The models that select this operation on a path several pages share (the page's overlay names
   * them); empty: any model. The request schema's `model` carries them as its `enum`.
   */
  models: string[];
  /** The page's request schema, with `model` limited to `models` when there are any. */
  requestSchema: JsonSchema;
  headers: HeaderParameter[];
  /** Documented statuses, e.g. ["200"]. */
  statuses: string[];
  successSchema: JsonSchema;
}

interface OperationObject {
  parameters?: Array<{ name: string; in: string; required?: boolean; schema: JsonSchema }>;
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, { content?: Record<string, { schema: JsonSchema }> }>;
}

/** An OpenAPI document, as far as the suite reads it. */
export interface SpecDocument {
  paths: Record<string, Record<string, OperationObject>>;
  [key: string]: unknown;
}

/**
 * The verbatim spec files, one per vendor page, in name order: by default the package's own
 * `spec/openapi/` (never the overlays), read at run time.
 */
export function specFiles(dir: string = packageSpecDir()): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith(".json"))
    .sort()
    .map((name) => join(dir, name));
}

/** Reads a verbatim spec fresh from disk (a deep copy each call, so no test can alter another's). */
export function loadSpec(file: string): SpecDocument {
  return JSON.parse(readFileSync(file, "utf8")) as SpecDocument;
}

/** A page's single operation, with its request, header and 200 schemas. Throws if the page has another shape. */
function operationOf(page: string, spec: SpecDocument): ContractOperation {
  const entries = Object.entries(spec.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]) => ({ path, method, operation })),
  );
  if (entries.length !== 1)
    throw new Error(`The contract suite expects one operation per page; ${page} has ${entries.length}`);
  const { path, method, operation } = entries[0]!;
  const requestSchema = operation.requestBody?.content["application/json"]?.schema;
  const successSchema = operation.responses["200"]?.content?.["application/json"]?.schema;
  const upper = method.toUpperCase();
  if (!requestSchema || !successSchema)
    throw new Error(`${page}: ${upper} ${path} lacks a JSON request body or a JSON 200 response`);
  const headers = (operation.parameters ?? [])
    .filter((parameter) => parameter.in === "header")
    .map((parameter) => ({ name: parameter.name, required: parameter.required === true, schema: parameter.schema }));
  const statuses = Object.keys(operation.responses);
  const operationId = knownOperation(page);
  const models = operationId === undefined ? [] : [...OPERATIONS[operationId].models];
  return {
    page,
    label: `${page} (${upper} ${path})`,
    method: upper,
    path,
    operationId,
    models,
    requestSchema: withModels(requestSchema, models),
    headers,
    statuses,
    successSchema,
  };
}

/** The operationId the client gives the page's operation, when the page is one of the package's. */
function knownOperation(page: string): OperationId | undefined {
  return (Object.keys(OPERATIONS) as OperationId[]).find((id) => OPERATIONS[id].page === page);
}

/** A request schema whose `model` takes only `models` (unchanged when there are none). */
function withModels(schema: JsonSchema, models: readonly string[]): JsonSchema {
  const model = schema.properties?.model;
  if (models.length === 0 || model === undefined) return schema;
  return { ...schema, properties: { ...schema.properties, model: { ...model, enum: [...models] } } };
}

/**
 * A verbatim page with its operation's `model` limited to the models that select it, when it
 * shares its path with other models' pages: the one fact a merged document needs (besides the
 * pages themselves) to tell their bodies apart, as the gateway does. Other pages come back unchanged.
 */
export function discriminated(page: string, spec: SpecDocument): SpecDocument {
  const operationId = knownOperation(page);
  if (operationId === undefined || OPERATIONS[operationId].models.length === 0) return spec;
  const copy = structuredClone(spec);
  for (const item of Object.values(copy.paths)) {
    for (const operation of Object.values(item)) {
      const content = operation.requestBody?.content["application/json"];
      if (content) content.schema = withModels(content.schema, OPERATIONS[operationId].models);
    }
  }
  return copy;
}

/** A page's name: its spec file's name without `.json`. */
export const pageName = (file: string): string => basename(file, ".json");

/** Every operation the verbatim pages document, each from its own page. */
export function contractOperations(files: string[] = specFiles()): ContractOperation[] {
  return files.map((file) => operationOf(pageName(file), loadSpec(file)));
}

/**
 * The request fields that name the result of an earlier call (the remix's `video_id`): required
 * fields of `operation` that a success item of some operation carries. A valid request needs a real one.
 */
export function sourceFields(operation: ContractOperation, operations: readonly ContractOperation[]): string[] {
  const produced = new Set(operations.flatMap((other) => propertyNames(other.successSchema)));
  return (operation.requestSchema.required ?? []).filter((name) => produced.has(name));
}

function propertyNames(schema: JsonSchema | undefined): string[] {
  if (!schema) return [];
  const own = Object.entries(schema.properties ?? {}).flatMap(([name, property]) => [name, ...propertyNames(property)]);
  return [...own, ...propertyNames(schema.items)];
}
