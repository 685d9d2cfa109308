import { OPERATIONS } from "../generated/spec-values";
import type { ValidationIssue } from "./errors";

/** The name of an operation the vendor pages document: its operationId, e.g. "createTextToVideo". */
export type OperationId = keyof typeof OPERATIONS;

const IDS = Object.keys(OPERATIONS) as OperationId[];

/** The model an operation's calls send when the caller gives none (its page's example); none without a body. */
export function defaultModelOf(id: OperationId): string | undefined {
  return (OPERATIONS[id] as { defaultModel?: string }).defaultModel;
}

/** True when `name` is the operationId of a documented operation. */
export const isOperationId = (name: unknown): name is OperationId =>
  typeof name === "string" && Object.hasOwn(OPERATIONS, name);

/** Every operation documented on one route (`method path`), in spec order; empty when none is. */
export function operationsOn(method: string, path: string): OperationId[] {
  const upper = method.toUpperCase();
  return IDS.filter((id) => OPERATIONS[id].method === upper && OPERATIONS[id].path === path);
}

/** The methods documented on a path, in spec order (empty when no operation has that path). */
export function methodsOn(path: string): string[] {
  return [...new Set(IDS.filter((id) => OPERATIONS[id].path === path).map((id) => OPERATIONS[id].method))];
}

/** The models that select an operation on a route several share (every model listed, in spec order). */
export function modelsOn(method: string, path: string): string[] {
  return operationsOn(method, path).flatMap((id) => OPERATIONS[id].models as readonly string[]);
}

/**
 * The one routing rule: which operation a request is, from its route *and its model*. A route with
 * one operation is that operation whatever the model; on a route several share, the operation
 * whose page names the model, else (no model given) the first one's default. Undefined when the
 * route is not documented or no page there names the model.
 */
export function operationFor(method: string, path: string, model: unknown): OperationId | undefined {
  const candidates = operationsOn(method, path);
  if (candidates.length <= 1) return candidates[0];
  if (model === undefined) return candidates[0];
  return candidates.find((id) => (OPERATIONS[id].models as readonly string[]).includes(model as string));
}

/**
 * The problem with a body's `model` (a string) when it would make the gateway treat the request as
 * another operation than `id` (billed as, and checked against, the wrong page), or as none of the
 * operations sharing its path. A model of the wrong type is the request schema's business.
 */
export function routingIssues(id: OperationId, model: unknown): ValidationIssue[] {
  const { method, path } = OPERATIONS[id];
  if (typeof model !== "string") return [];
  const routed = operationFor(method, path, model);
  if (routed === id) return [];
  const models = modelsOn(method, path).map((name) => JSON.stringify(name));
  const message = routed
    ? `selects ${routed} on ${method} ${path}, not ${id}: call ${routed} (or generateVideo, which routes by model)`
    : `is not a model documented on ${method} ${path}: must be one of ${models.join(", ")}`;
  return [{ path: "/model", message }];
}

/** The `model` a request body names, if it is an object that names one. */
export const modelOf = (body: unknown): unknown =>
  typeof body === "object" && body !== null ? (body as { model?: unknown }).model : undefined;
