import { VALIDATORS, type AjvIssue, type CompiledValidator } from "../generated/validators.js";
import type { ValidationIssue } from "./errors";
import type { OperationPath } from "./types";

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
export function requestIssues(path: OperationPath, body: unknown): ValidationIssue[] {
  return run(VALIDATORS[path].request, body);
}

/** Every problem in a 200 response body, by the operation's response schema; empty when valid. */
export function responseIssues(path: OperationPath, body: unknown): ValidationIssue[] {
  return run(VALIDATORS[path].response, body);
}
