import type { JsonSchema } from "./spec";

/** What a generated case exercises. */
export type CaseKind =
  | "combination"
  | "optional-omitted"
  | "required-missing"
  | "outside-enum"
  | "neighbour-value"
  | "wrong-type"
  | "extra-property";

/** One request body derived from the spec, and whether a server that honours the spec must accept it. */
export interface RequestCase {
  kind: CaseKind;
  /** Unique, readable: becomes the test title. */
  title: string;
  body: Record<string, unknown>;
  valid: boolean;
  /** The property the case is about (none for combinations and extras). */
  field?: string;
}

type Body = Record<string, unknown>;

/** One representative value of each JSON type, for "wrong type" cases. */
const TYPE_SAMPLES: Record<string, unknown> = {
  string: "text",
  number: 1.5,
  integer: 7,
  boolean: true,
  null: null,
  array: ["x"],
  object: { x: 1 },
};

function sample(name: string, schema: JsonSchema, given: Body): unknown {
  if (name in given) return given[name];
  if (schema.default !== undefined) return schema.default;
  if (schema.enum) return schema.enum[0];
  return schema.type === "string" ? `contract ${name}` : TYPE_SAMPLES[schema.type ?? "string"];
}

/** Values of every JSON type the declared type does not admit (an integer is also a number). */
export function wrongTypeValues(type: string): Array<[string, unknown]> {
  return Object.entries(TYPE_SAMPLES).filter(
    ([other]) => other !== type && !(type === "number" && other === "integer"),
  );
}

/** Near misses outside an enum: a case change or padding of the first value, an empty string, a joined value. */
export function outsideEnumValues(values: readonly unknown[]): unknown[] {
  const first = String(values[0]);
  const candidates = [
    first.toUpperCase() === first ? ` ${first}` : first.toUpperCase(),
    "",
    values.join("|"),
    `${first}-x`,
  ];
  return [...new Set(candidates)].filter((candidate) => !values.includes(candidate));
}

function cartesian(fields: Array<[string, readonly unknown[]]>): Body[] {
  return fields.reduce<Body[]>(
    (bodies, [name, values]) => bodies.flatMap((body) => values.map((value) => ({ ...body, [name]: value }))),
    [{}],
  );
}

function without(body: Body, name: string): Body {
  const copy = { ...body };
  delete copy[name];
  return copy;
}

const show = (value: unknown) => JSON.stringify(value);

/**
 * Derives the request cases from the spec's request schema: every combination of enum values;
 * each optional field omitted; each required field missing; each enum given outside values; each
 * field given every wrong JSON type; unknown extra properties. `given` supplies values for
 * required free-text fields (a real provider needs a real model and image URL); a given field is
 * not varied through its enum. `neighbours` holds, per field, the values other models on the same
 * path allow: those this schema does not allow are cases it must reject (a server that routes this
 * model's body as another model's would accept them).
 */
export function requestCases(
  schema: JsonSchema,
  given: Body = {},
  neighbours: Record<string, readonly unknown[]> = {},
): RequestCase[] {
  const properties = Object.entries(schema.properties ?? {});
  const required = new Set(schema.required ?? []);
  const base: Body = Object.fromEntries(
    properties.filter(([name]) => required.has(name)).map(([name, property]) => [name, sample(name, property, given)]),
  );
  const full: Body = Object.fromEntries(properties.map(([name, property]) => [name, sample(name, property, given)]));
  const enums = properties
    .filter(([name, property]) => Array.isArray(property.enum) && !(name in given))
    .map(([name, property]) => [name, property.enum!] as [string, unknown[]]);
  const extrasAllowed = schema.additionalProperties !== false;
  const cases: RequestCase[] = [];
  for (const combination of cartesian(enums)) {
    const title = Object.entries(combination)
      .map(([name, value]) => `${name}=${String(value)}`)
      .join(" ");
    cases.push({ kind: "combination", title: `accepts ${title}`, body: { ...base, ...combination }, valid: true });
  }
  for (const [name, property] of properties) {
    if (required.has(name)) {
      cases.push({
        kind: "required-missing",
        title: `rejects a body without required ${name}`,
        body: without(full, name),
        valid: false,
        field: name,
      });
    } else {
      const fallback =
        property.default === undefined ? "" : ` (the server's default ${show(property.default)} applies)`;
      cases.push({
        kind: "optional-omitted",
        title: `accepts a body without optional ${name}${fallback}`,
        body: without(full, name),
        valid: true,
        field: name,
      });
    }
    for (const value of property.enum ? outsideEnumValues(property.enum) : []) {
      cases.push({
        kind: "outside-enum",
        title: `rejects ${name}=${show(value)} (outside its enum)`,
        body: { ...full, [name]: value },
        valid: false,
        field: name,
      });
    }
    for (const value of property.enum
      ? (neighbours[name] ?? []).filter((other) => !property.enum!.includes(other))
      : []) {
      cases.push({
        kind: "neighbour-value",
        title: `rejects ${name}=${show(value)} (another model's value on this path, not this one's)`,
        body: { ...full, [name]: value },
        valid: false,
        field: name,
      });
    }
    for (const [type, value] of property.type ? wrongTypeValues(property.type) : []) {
      cases.push({
        kind: "wrong-type",
        title: `rejects ${name} as ${type} ${show(value)} (must be ${property.type})`,
        body: { ...full, [name]: value },
        valid: false,
        field: name,
      });
    }
  }
  const verdict = extrasAllowed ? "accepts" : "rejects";
  for (const [name, value] of [
    ["contract_extra", "x"],
    ["metadata", { nested: [1, 2] }],
  ] as const) {
    if (name in (schema.properties ?? {})) continue;
    cases.push({
      kind: "extra-property",
      title: `${verdict} an unknown extra property ${name}=${show(value)}`,
      body: { ...full, [name]: value },
      valid: extrasAllowed,
    });
  }
  return cases;
}
