import { VALIDATORS, type AjvIssue, type CompiledValidator } from "../generated/validators.js";
import type { ValidationIssue } from "./errors";
import { modelOf, routingIssues, type OperationId } from "./operations";

function messageOf(issue: AjvIssue): string {
  const params = issue.params;
  switch (issue.keyword) {
    case "required":
      return "is required";
    case "enum":
      return `must be one of ${(params.allowedValues as unknown[]).map((value) => JSON.stringify(value)).join(", ")}`;
    case "type":
      return `must be ${String(params.type)}`;
    default:
      return issue.message ?? `fails ${issue.keyword}`;
  }
}

function toIssue(issue: AjvIssue): ValidationIssue {
  const path =
    issue.keyword === "required" ? `${issue.instancePath}/${String(issue.params.missingProperty)}` : issue.instancePath;
  return { path, message: messageOf(issue) };
}

function run(validator: CompiledValidator, data: unknown): ValidationIssue[] {
  if (validator(data)) return [];
  return (validator.errors ?? []).map(toIssue);
}

/** Every problem in a request body, by the operation's request schema; empty when valid. */
export function requestIssues(operation: OperationId, body: unknown): ValidationIssue[] {
  const validators = VALIDATORS[operation] as { request?: CompiledValidator };
  return validators.request ? run(validators.request, body) : [];
}

/** Every problem in a 200 response body, by the operation's response schema; empty when valid. */
export function responseIssues(operation: OperationId, body: unknown): ValidationIssue[] {
  return run(VALIDATORS[operation].response, body);
}

/**
 * Every problem in a request body sent as `operation`: its `model` routing it elsewhere or nowhere
 * (see `routingIssues`; the body is then not checked against a page it would not be sent as),
 * else the operation's request schema's. Empty when the gateway would take it as this operation, valid.
 */
export function operationRequestIssues(operation: OperationId, body: unknown): ValidationIssue[] {
  const routing = routingIssues(operation, modelOf(body));
  return routing.length > 0 ? routing : requestIssues(operation, body);
}
