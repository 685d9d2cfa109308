import Ajv2020 from "ajv/dist/2020";
import type { Exchange } from "./exchange";
import { contractOperation } from "./spec";

const operation = contractOperation();

// Compiled here, at test time, straight from the verbatim spec's 200 schema: an opinion
// independent of generated/ (the client's ahead-of-time validators come from the overlay).
// Not strict: OpenAPI schemas may carry annotations (example, xml) that JSON Schema does not know.
const validateSuccess = new Ajv2020({ allErrors: true, strict: false }).compile(operation.successSchema);

/** Every way `body` breaks the spec's 200 schema, one line each; empty when it honours it. */
export function successSchemaIssues(body: unknown): string[] {
  if (validateSuccess(body)) return [];
  return (validateSuccess.errors ?? []).map((error) => `${error.instancePath || "(body)"} ${error.message ?? error.keyword}`);
}

/** Statuses an invalid request may get from any server that honours the spec. */
export const REJECTION_STATUSES: readonly number[] = [400, 401, 403, 422];

/** Success statuses the spec documents (today: 200). */
export const DOCUMENTED_SUCCESS: readonly number[] = operation.statuses.map(Number).filter((status) => status >= 200 && status < 300);

/** Why an exchange breaks the contract for a request that `shouldAccept` (or not); undefined when it honours it. */
export function contractBreach(exchange: Exchange, shouldAccept: boolean): string | undefined {
  const { status } = exchange;
  if (!shouldAccept) {
    if (REJECTION_STATUSES.includes(status)) return undefined;
    return status < 300 ? `accepted an invalid request (status ${status})` : `answered an invalid request with status ${status}, not one of ${REJECTION_STATUSES.join("/")}`;
  }
  if (!DOCUMENTED_SUCCESS.includes(status)) return `answered a valid request with undocumented status ${status} (the spec documents ${operation.statuses.join(", ")})`;
  if (!/^application\/json\b/i.test(exchange.contentType)) return `answered ${status} with content-type ${JSON.stringify(exchange.contentType)}, not application/json`;
  const issues = successSchemaIssues(exchange.json);
  return issues.length > 0 ? `answered ${status} with a body that breaks the spec: ${issues.join("; ")}` : undefined;
}
