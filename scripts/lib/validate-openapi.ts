import SwaggerParser from "@apidevtools/swagger-parser";
import { SpecInputError } from "./spec-input-error";

interface ValidationDetail {
  instancePath?: string;
  path?: string[];
  message?: string;
  params?: Record<string, unknown>;
}

function describe(detail: ValidationDetail): string {
  const pointer = detail.instancePath ?? (detail.path ? `/${detail.path.join("/")}` : "");
  const extra = detail.params && Object.keys(detail.params).length ? ` ${JSON.stringify(detail.params)}` : "";
  return `  at ${pointer || "/"}: ${detail.message ?? "invalid"}${extra}`;
}

/**
 * Validates an OpenAPI document with @apidevtools/swagger-parser (schema and semantics).
 * Throws SpecInputError listing each problem as a JSON pointer and a reason. The document passed
 * in is not modified.
 */
export async function validateOpenApi(document: unknown, label: string): Promise<void> {
  try {
    await SwaggerParser.validate(structuredClone(document) as never);
  } catch (error) {
    const details = ((error as { details?: ValidationDetail[] }).details ?? []).map(describe);
    const reason = details.length ? `\n${details.join("\n")}` : ` ${(error as Error).message}`;
    throw new SpecInputError(`invalid OpenAPI document:${reason}`, label);
  }
}
