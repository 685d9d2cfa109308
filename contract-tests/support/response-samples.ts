import type { JsonSchema } from "../../src/verify/spec";

type Json = unknown;

/** A value that honours `schema`, with every declared property present (arrays get one item). */
export function sampleOf(schema: JsonSchema, name = "value"): Json {
  if (schema.enum) return schema.enum[0];
  switch (schema.type) {
    case "object":
      return Object.fromEntries(
        Object.entries(schema.properties ?? {}).map(([key, property]) => [key, sampleOf(property, key)]),
      );
    case "array":
      return schema.items ? [sampleOf(schema.items, name)] : [];
    case "integer":
      return 1_732_435_200;
    case "number":
      return 1.5;
    case "boolean":
      return true;
    default:
      return `contract ${name}`;
  }
}

/** A 200 body derived from the response schema, and whether the spec allows it. */
export interface ResponseVariant {
  title: string;
  body: Json;
  valid: boolean;
}

function without(record: Record<string, Json>, key: string): Record<string, Json> {
  const copy = { ...record };
  delete copy[key];
  return copy;
}

const WRONG_TYPE: Record<string, Json> = {
  string: 42,
  integer: "42",
  number: "4.2",
  array: { not: "an array" },
  object: ["not an object"],
  boolean: "yes",
};

/**
 * Variants of a success body, derived from its schema: every optional property (top level and in
 * array items) missing, arrays of 0, 1 and 3 items, unknown extra properties; and, as the negative
 * control, each required property missing and each property of the wrong type.
 */
export function responseVariants(schema: JsonSchema): ResponseVariant[] {
  const full = sampleOf(schema) as Record<string, Json>;
  const required = new Set(schema.required ?? []);
  const variants: ResponseVariant[] = [{ title: "every property present", body: full, valid: true }];
  variants.push({
    title: "unknown extra properties at the top level",
    body: { ...full, x_extra: { nested: [1, "two"] }, request_id: "r-1" },
    valid: schema.additionalProperties !== false,
  });
  for (const [key, property] of Object.entries(schema.properties ?? {})) {
    variants.push({ title: `${key} missing`, body: without(full, key), valid: !required.has(key) });
    const wrong = WRONG_TYPE[property.type ?? ""];
    if (wrong !== undefined)
      variants.push({
        title: `${key} of the wrong type (${JSON.stringify(wrong)})`,
        body: { ...full, [key]: wrong },
        valid: false,
      });
    if (property.type !== "array" || property.items?.type !== "object") continue;
    const item = sampleOf(property.items, key) as Record<string, Json>;
    for (const count of [0, 1, 3])
      variants.push({
        title: `${key} with ${count} item(s)`,
        body: { ...full, [key]: Array.from({ length: count }, () => item) },
        valid: true,
      });
    const itemRequired = new Set(property.items.required ?? []);
    for (const itemKey of Object.keys(property.items.properties ?? {})) {
      variants.push({
        title: `${key}[] items without ${itemKey}`,
        body: { ...full, [key]: [without(item, itemKey)] },
        valid: !itemRequired.has(itemKey),
      });
    }
    variants.push({
      title: `${key}[] items with unknown extra properties`,
      body: { ...full, [key]: [{ ...item, x_item_extra: true }] },
      valid: property.items.additionalProperties !== false,
    });
  }
  return variants;
}
