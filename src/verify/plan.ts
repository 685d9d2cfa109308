import { defaultModelOf } from "../operations";
import { requestCases, type RequestCase } from "./cases";
import { sourceFields, type ContractOperation } from "./spec";

/** "mock": a free mock that checks no ids (Prism). "provider": a real server, where valid calls are billed. */
export type ContractMode = "mock" | "provider";

/** What valid requests are built from (the contract suite's config and `verify`'s flags both provide it). */
export interface CaseSettings {
  /** Values for free-text fields, by field name (`prompt`, `image_url`), so a real provider can accept them. */
  values: Record<string, string>;
  /** A model to send instead of a page's example, by page name. */
  models: Record<string, string>;
  /** The `video_id` of an earlier generation for valid remixes, when known. */
  videoId: string | undefined;
}

/**
 * The values an operation's valid requests start from: the model (the configured one, else the
 * page's example the client also defaults to), the configured free text for the fields the
 * operation has, and the configured `video_id` when given.
 */
export function givenValues(operation: ContractOperation, config: CaseSettings): Record<string, unknown> {
  const fields = new Set(Object.keys(operation.requestSchema.properties ?? {}));
  const model = config.models[operation.page] ?? (operation.operationId && defaultModelOf(operation.operationId));
  const values: Record<string, unknown> = { ...config.values, ...(config.videoId ? { video_id: config.videoId } : {}) };
  if (model) values.model = model;
  return Object.fromEntries(Object.entries(values).filter(([name]) => fields.has(name)));
}

/**
 * The enumerated values the other operations on `operation`'s route allow, by field (the
 * discriminant `model` left out: another model's value there selects the other operation).
 */
export function neighbourValues(
  operation: ContractOperation,
  operations: readonly ContractOperation[],
): Record<string, unknown[]> {
  const values: Record<string, unknown[]> = {};
  const others = operations.filter(
    (other) => other !== operation && other.method === operation.method && other.path === operation.path,
  );
  for (const other of others) {
    for (const [name, property] of Object.entries(other.requestSchema.properties ?? {})) {
      if (name === "model" || !Array.isArray(property.enum)) continue;
      values[name] = [...new Set([...(values[name] ?? []), ...property.enum])];
    }
  }
  return values;
}

/**
 * The request cases of one operation, derived from its own verbatim request schema, with the
 * values its neighbours on the route allow and it does not (when `operations` holds them).
 */
export function operationCases(
  operation: ContractOperation,
  config: CaseSettings,
  operations: readonly ContractOperation[] = [],
): RequestCase[] {
  return requestCases(operation.requestSchema, givenValues(operation, config), neighbourValues(operation, operations));
}

/**
 * Where a valid request's source fields (a remix's `video_id`) come from: `case` sends the case's
 * value as it is (Prism checks no ids; or a configured video_id is in it), `generate` makes one paid
 * generation first and takes its result, `skip` says why the valid cases cannot run.
 */
export type SourcePlan = { kind: "case" } | { kind: "generate"; field: string } | { kind: "skip"; reason: string };

/** What planning a source needs to know. `claim` takes one paid-call slot, false when none is left. */
export interface SourceContext {
  mode: ContractMode;
  videoId: string | undefined;
  budget: number;
  claim: () => boolean;
  /** How the skip reason names the two settings, e.g. `{ videoId: "--video-id", paidCalls: "--paid-calls" }`. */
  names: { videoId: string; paidCalls: string };
}

/** Decides where `operation`'s valid requests get their source fields; claims a paid slot for `generate`. */
export function planSource(
  operation: ContractOperation,
  operations: readonly ContractOperation[],
  context: SourceContext,
): SourcePlan {
  const [field] = sourceFields(operation, operations);
  if (field === undefined || context.mode === "mock" || context.videoId !== undefined) return { kind: "case" };
  if (context.claim()) return { kind: "generate", field };
  return {
    kind: "skip",
    reason:
      `skipped: needs the ${field} of an earlier generation; ${context.names.videoId} is unset and no paid call ` +
      `is left to make one (${context.names.paidCalls}=${context.budget})`,
  };
}

/** The operation whose results feed `field` of another: the first that needs no source itself. */
export function sourceOperation(field: string, operations: readonly ContractOperation[]): ContractOperation {
  const found = operations.find((operation) => sourceFields(operation, operations).length === 0);
  if (!found) throw new Error(`No operation can make the ${field} a valid request needs`);
  return found;
}

/** Round-robin over lists: the first of each, then the second of each, … (so a budget is shared fairly). */
export function interleave<T>(lists: readonly T[][]): T[] {
  const longest = Math.max(0, ...lists.map((list) => list.length));
  return Array.from({ length: longest }, (_, index) =>
    lists.flatMap((list) => (index < list.length ? [list[index]!] : [])),
  ).flat();
}
