/** Keywords that cap a value from above: lowering one (or adding it) lets fewer values through. */
const UPPER = new Set(["maxLength", "maxItems", "maxProperties", "maximum", "exclusiveMaximum", "maxContains"]);
/** Keywords that bound a value from below: raising one (or adding it) lets fewer values through. */
const LOWER = new Set(["minLength", "minItems", "minProperties", "minimum", "exclusiveMinimum", "minContains"]);
/** Keywords whose new value cannot be ordered against the old one: any edit may reject old values. */
const OPAQUE = new Set([
  "pattern",
  "format",
  "multipleOf",
  "uniqueItems",
  "contentEncoding",
  "contentMediaType",
  "propertyNames",
  "dependentRequired",
]);

/** How a validation constraint moved: fewer values allowed, more, or unknowably different. */
export type ConstraintMove = "tighter" | "looser" | "changed";

/** True for the JSON Schema keywords that constrain values (as opposed to types, enums, docs). */
export function isConstraint(keyword: string): boolean {
  return UPPER.has(keyword) || LOWER.has(keyword) || OPAQUE.has(keyword);
}

/** How a constraint keyword moved between two schemas. */
export function constraintMove(keyword: string, action: string, before: unknown, after: unknown): ConstraintMove {
  if (keyword === "uniqueItems") return (action === "remove" ? false : after === true) ? "tighter" : "looser";
  if (action === "add") return "tighter";
  if (action === "remove") return "looser";
  if (typeof before !== "number" || typeof after !== "number") return "changed";
  if (UPPER.has(keyword)) return after < before ? "tighter" : "looser";
  if (LOWER.has(keyword)) return after > before ? "tighter" : "looser";
  return "changed";
}
