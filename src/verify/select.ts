import { VerifyUsageError } from "./errors";
import type { ContractOperation } from "./spec";

/** The names an operation answers to on the command line: its page, its operationId, its path (every model's on it). */
function namesOf(operation: ContractOperation): string[] {
  return [operation.path, operation.page, ...(operation.operationId ? [operation.operationId] : [])];
}

/**
 * The operations `--operation` names (a path, a page name or an operationId); all when none is
 * given. An unknown name is a VerifyUsageError listing the names that exist.
 */
export function selectOperations(all: readonly ContractOperation[], name: string | undefined): ContractOperation[] {
  if (name === undefined) return [...all];
  const found = all.filter((operation) => namesOf(operation).includes(name));
  if (found.length > 0) return found;
  const listed = all.map((operation) => namesOf(operation).join(" | ")).join("; ");
  throw new VerifyUsageError(`No operation is named ${JSON.stringify(name)}; the specs document: ${listed}`);
}
