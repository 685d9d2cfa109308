import { OPERATIONS, REQUEST_FACTS } from "../../generated/spec-values";
import { defaultModelOf, type OperationId } from "../../src/operations";

type Facts = {
  enums: Record<string, readonly unknown[]>;
  defaults: Record<string, unknown>;
  required: readonly string[];
};

const FIELDS = ["resolution", "aspect_ratio", "duration"] as const;

const cell = (facts: Facts, field: string): string => {
  const allowed = facts.enums[field]?.map((value) => `\`${String(value)}\``).join(" ") ?? "any";
  const fallback = facts.defaults[field];
  return fallback === undefined ? allowed : `${allowed} (default \`${String(fallback)}\`)`;
};

/**
 * The per-model values table of docs/models.md, rendered from generated/ (OPERATIONS and
 * REQUEST_FACTS): one row per operation, its route, default model, required fields and the
 * allowed values and defaults of each enumerated field. A test checks the doc holds exactly this.
 */
export function modelsTable(): string {
  const rows = Object.entries(REQUEST_FACTS).map(([id, raw]) => {
    const facts = raw as unknown as Facts;
    const operation = OPERATIONS[id as keyof typeof OPERATIONS];
    const required = facts.required.map((field) => `\`${field}\``).join(" ");
    const values = FIELDS.map((field) => (field in facts.enums || field in facts.defaults ? cell(facts, field) : "—"));
    return `| \`${id}\` | \`${operation.method} ${operation.path}\` | \`${defaultModelOf(id as OperationId) ?? "—"}\` | ${required} | ${values.join(" | ")} |`;
  });
  return [
    "| operationId | route | default model | required | resolution | aspect_ratio | duration |",
    "|---|---|---|---|---|---|---|",
    ...rows,
  ].join("\n");
}
