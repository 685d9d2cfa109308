import { readFileSync } from "node:fs";
import { join } from "node:path";

/** The repository root, and the verbatim vendor spec the contract is checked against. */
export const REPO_ROOT = join(__dirname, "..", "..");
/** The image-to-video page's verbatim document, never the overlay (the per-operation suite replaces this). */
export const SPEC_PATH = join(REPO_ROOT, "spec", "openapi", "sora-2-pro-image-to-video.json");

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

/** What the contract suite needs from the spec's one operation. */
export interface ContractOperation {
  method: string;
  path: string;
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

/** Reads the verbatim spec fresh from disk (a deep copy each call, so no test can alter another's). */
export function loadSpec(): { paths: Record<string, Record<string, OperationObject>> } {
  return JSON.parse(readFileSync(SPEC_PATH, "utf8"));
}

/** The spec's single operation, with its request, header and 200 schemas. Throws if the spec has another shape. */
export function contractOperation(spec = loadSpec()): ContractOperation {
  const entries = Object.entries(spec.paths).flatMap(([path, item]) => Object.entries(item).map(([method, operation]) => ({ path, method, operation })));
  if (entries.length !== 1) throw new Error(`The contract suite expects one operation in ${SPEC_PATH}, found ${entries.length}`);
  const { path, method, operation } = entries[0]!;
  const requestSchema = operation.requestBody?.content["application/json"]?.schema;
  const successSchema = operation.responses["200"]?.content?.["application/json"]?.schema;
  if (!requestSchema || !successSchema) throw new Error(`${method.toUpperCase()} ${path} lacks a JSON request body or a JSON 200 response`);
  const headers = (operation.parameters ?? [])
    .filter((parameter) => parameter.in === "header")
    .map((parameter) => ({ name: parameter.name, required: parameter.required === true, schema: parameter.schema }));
  return { method: method.toUpperCase(), path, requestSchema, headers, statuses: Object.keys(operation.responses), successSchema };
}
