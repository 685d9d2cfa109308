import fc from "fast-check";
import type { JsonSchema } from "../../src/verify/spec";

type Body = Record<string, unknown>;
type Mutation = { drop: string } | { set: string; value: unknown };

/** The JSON type of a value, as JSON Schema names it. */
export function jsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

const text = fc.string({ unit: "binary", maxLength: 24 });

function validValue(property: JsonSchema): fc.Arbitrary<unknown> {
  if (property.enum) return fc.constantFrom(...property.enum);
  return property.type === "string"
    ? text
    : fc.jsonValue({ maxDepth: 1 }).filter((value) => jsonType(value) === property.type);
}

/** Values just outside an enum: its members re-cased, padded, extended or cut, and arbitrary strings. */
function nearMiss(values: readonly unknown[]): fc.Arbitrary<unknown> {
  const tweaks = fc
    .constantFrom(...values.map(String))
    .chain((value) =>
      fc.constantFrom(
        value.toUpperCase(),
        ` ${value}`,
        `${value} `,
        `${value}0`,
        value.slice(0, -1),
        value.replace(":", "/"),
      ),
    );
  return fc.oneof(tweaks, text).filter((value) => !values.includes(value));
}

function wrongType(declared: string | undefined): fc.Arbitrary<unknown> {
  const any = fc.oneof(
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(text, { maxLength: 2 }),
    fc.dictionary(text, text, { maxKeys: 2 }),
    text,
  );
  return any.filter((value) => {
    const type = jsonType(JSON.parse(JSON.stringify(value) ?? "null"));
    return type !== declared && !(declared === "number" && type === "integer");
  });
}

/**
 * Request bodies derived from the spec's request schema: valid ones (optional fields present or
 * not, unknown extra properties) and near misses (a required field dropped, an enum value just
 * outside, a field of the wrong type). With `invalidOnly`, every body has at least one near miss.
 */
export function requestBodies(schema: JsonSchema, options: { invalidOnly?: boolean } = {}): fc.Arbitrary<Body> {
  const properties = schema.properties ?? {};
  const names = Object.keys(properties);
  const required = schema.required ?? [];
  const valid = fc.record(Object.fromEntries(names.map((name) => [name, validValue(properties[name]!)])), {
    requiredKeys: required as never[],
  });
  const extras = fc.dictionary(
    text.filter((key) => key !== "__proto__" && !(key in properties)),
    fc.jsonValue({ maxDepth: 2 }),
    { maxKeys: 2 },
  );
  const mutation: fc.Arbitrary<Mutation> = fc.oneof(
    fc.constantFrom(...required).map((name) => ({ drop: name })),
    fc
      .constantFrom(...names.filter((name) => properties[name]!.enum))
      .chain((name) => nearMiss(properties[name]!.enum!).map((value) => ({ set: name, value }))),
    fc.constantFrom(...names).chain((name) => wrongType(properties[name]!.type).map((value) => ({ set: name, value }))),
  );
  const some = fc.array(mutation, { minLength: 1, maxLength: 3 });
  const mutations = options.invalidOnly ? some : fc.oneof(fc.constant([]), some);
  return fc.tuple(valid, extras, mutations).map(([body, extra, changes]) => {
    const result: Body = { ...extra, ...body };
    for (const change of changes) {
      if ("drop" in change) delete result[change.drop];
      else result[change.set] = change.value;
    }
    return result;
  });
}
