import Ajv2020, { type ValidateFunction } from "ajv/dist/2020.js";
import type { Exchange } from "./exchange";
import type { ContractOperation } from "./spec";

// Compiled at run time, straight from each verbatim page's 200 schema as read from disk: an
// opinion independent of generated/ (the client's ahead-of-time validators come from the overlay),
// and one that follows a spec update at once. Only this Node-only subpath uses Ajv at run time.
// Not strict: OpenAPI schemas may carry annotations (example, xml) that JSON Schema does not know.
const ajv = new Ajv2020({ allErrors: true, strict: false });
const validators = new Map<string, ValidateFunction>();

function successValidator(operation: ContractOperation): ValidateFunction {
  const key = `${operation.method} ${operation.path}`;
  let validate = validators.get(key);
  if (!validate) validators.set(key, (validate = ajv.compile(operation.successSchema)));
  return validate;
}

/** Every way `body` breaks the operation's 200 schema, one line each; empty when it honours it. */
export function successSchemaIssues(operation: ContractOperation, body: unknown): string[] {
  const validate = successValidator(operation);
  if (validate(body)) return [];
  return (validate.errors ?? []).map((error) => `${error.instancePath || "(body)"} ${error.message ?? error.keyword}`);
}

/** Statuses an invalid request may get from any server that honours the spec. */
const REJECTION_STATUSES: readonly number[] = [400, 401, 403, 422];

/** Success statuses the operation's spec documents (today: 200). */
function documentedSuccess(operation: ContractOperation): number[] {
  return operation.statuses.map(Number).filter((status) => status >= 200 && status < 300);
}

/**
 * How an error answer departs from the gateway's documented envelope,
 * `{"error": {"code": <the HTTP status>, "message": string, "type"?: string, "param"?: string}}`;
 * empty when it honours it.
 */
export function envelopeIssues(exchange: Pick<Exchange, "status" | "json">): string[] {
  const error = (exchange.json as { error?: unknown } | undefined)?.error;
  if (typeof error !== "object" || error === null || Array.isArray(error)) return ['the body is not {"error": {…}}'];
  const { code, message, type, param } = error as Record<string, unknown>;
  const issues: string[] = [];
  if (code !== exchange.status)
    issues.push(`error.code is ${JSON.stringify(code)}, not the HTTP status ${exchange.status}`);
  if (typeof message !== "string") issues.push("error.message is not a string");
  if (type !== undefined && typeof type !== "string") issues.push("error.type is not a string");
  if (param !== undefined && param !== null && typeof param !== "string") issues.push("error.param is not a string");
  return issues;
}

/** Which rules apply. `envelope`: rejections must carry the gateway's error envelope (provider mode). */
export interface VerdictRules {
  envelope: boolean;
}

/**
 * Why an exchange with `operation` breaks the contract for a request that `shouldAccept` (or not);
 * undefined when it honours it. A valid request must get a documented 2xx with a JSON body valid
 * by the page's 200 schema; an invalid one a 400/401/403/422, in the envelope when `rules.envelope`.
 */
export function contractBreach(
  operation: ContractOperation,
  exchange: Exchange,
  shouldAccept: boolean,
  rules: VerdictRules = { envelope: true },
): string | undefined {
  const { status } = exchange;
  if (!shouldAccept) {
    if (!REJECTION_STATUSES.includes(status)) {
      return status < 300
        ? `accepted an invalid request (status ${status})`
        : `answered an invalid request with status ${status}, not one of ${REJECTION_STATUSES.join("/")}`;
    }
    const issues = rules.envelope ? envelopeIssues(exchange) : [];
    return issues.length > 0
      ? `answered ${status} without the gateway's error envelope: ${issues.join("; ")}`
      : undefined;
  }
  const documented = documentedSuccess(operation);
  if (!documented.includes(status)) {
    const listed = operation.statuses.join(", ");
    return `answered a valid request with undocumented status ${status} (the spec documents ${listed})`;
  }
  if (!/^application\/json\b/i.test(exchange.contentType)) {
    return `answered ${status} with content-type ${JSON.stringify(exchange.contentType)}, not application/json`;
  }
  const issues = successSchemaIssues(operation, exchange.json);
  return issues.length > 0 ? `answered ${status} with a body that breaks the spec: ${issues.join("; ")}` : undefined;
}
