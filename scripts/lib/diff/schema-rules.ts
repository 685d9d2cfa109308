import { constraintMove, isConstraint } from "./constraints";
import { CLIENT_OPERATIONS, CLIENT_SUCCESS_STATUS, READ_RESPONSE_FIELDS } from "./client-facts";
import { breaking, isRequestSide, nonBreaking, show, type ClientRule, type SiteChange } from "./change";

/** True for a field of a success body that this client reads, in an operation it calls. */
function isRead(change: SiteChange): boolean {
  const success = change.status === CLIENT_SUCCESS_STATUS;
  return CLIENT_OPERATIONS.has(change.operation ?? "") && success && READ_RESPONSE_FIELDS.has(change.field ?? "");
}
const readNote = (change: SiteChange) =>
  isRead(change) ? "this client reads it" : "code that reads it stops compiling";
const absentNote = (change: SiteChange) =>
  isRead(change) ? "this client reads it" : "code that reads it gets undefined";

/** The JSON types a `type` value admits (`integer` is also admitted where `number` is). */
function admits(types: unknown, type: string): boolean {
  const list = Array.isArray(types) ? types : [types];
  return list.includes(type) || (type === "integer" && list.includes("number"));
}
const typeList = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : [String(value)]);

/** Rules for the body schemas and parameter schemas: narrowing requests and widening responses break. */
export const SCHEMA_RULES: ClientRule[] = [
  {
    id: "field-added",
    decide: (c, context) => {
      if (c.keyword !== "property" || c.action !== "add") return undefined;
      if (!isRequestSide(c)) return nonBreaking("new field in the response");
      return context.addedRequired.has(`${c.operation} ${c.field}`)
        ? breaking("new required field: requests without it are rejected")
        : nonBreaking("new optional field");
    },
  },
  {
    id: "field-removed",
    decide: (c) => {
      if (c.keyword !== "property" || c.action !== "remove") return undefined;
      if (isRequestSide(c)) return breaking("field removed: the generated request type no longer accepts it");
      return breaking(`field removed from the response: ${readNote(c)}`);
    },
  },
  {
    id: "required",
    decide: (c) => {
      if (c.keyword !== "required") return undefined;
      if (isRequestSide(c))
        return c.action === "add"
          ? breaking("becomes required: requests without it are rejected")
          : nonBreaking("becomes optional");
      return c.action === "add"
        ? nonBreaking("becomes always present in the response")
        : breaking(`may now be absent from the response: ${readNote(c)}`);
    },
  },
  {
    // The engine calls these annotations, but a server honouring them leaves a writeOnly field out of
    // responses and rejects (or ignores) a readOnly one in requests.
    id: "read-write-only",
    decide: (c) => {
      if (c.keyword !== "writeOnly" && c.keyword !== "readOnly") return undefined;
      const now = c.action !== "remove" && c.after === true;
      const what = `${c.keyword} ${now ? "set" : "cleared"}`;
      const hides = isRequestSide(c) ? c.keyword === "readOnly" : c.keyword === "writeOnly";
      if (!now || !hides) return nonBreaking(what);
      if (isRequestSide(c)) return breaking(`${what}: the server may reject or ignore it in requests`);
      return breaking(`${what}: the server may leave it out of responses: ${absentNote(c)}`);
    },
  },
  {
    id: "enum",
    decide: (c) => {
      if (c.keyword !== "enum" && c.keyword !== "const") return undefined;
      const whole = Array.isArray(c.before ?? c.after) || c.keyword === "const";
      const narrows = whole ? c.action !== "remove" : c.action === "remove";
      const what = whole
        ? `${c.keyword} ${c.action === "add" ? `${show(c.after)} added` : c.action === "remove" ? "removed" : `${show(c.before)} → ${show(c.after)}`}`
        : c.action === "add"
          ? `enum value ${show(c.after)} added`
          : `enum value ${show(c.before)} removed`;
      if (isRequestSide(c))
        return narrows || c.action === "replace"
          ? breaking(`${what}: requests that send ${whole ? "other values" : "it"} are rejected`)
          : nonBreaking(what);
      return !narrows || c.action === "replace"
        ? breaking(`${what}: the response may now hold values old clients reject`)
        : nonBreaking(what);
    },
  },
  {
    id: "type",
    decide: (c) => {
      if (c.keyword !== "type") return undefined;
      const what = `type ${show(c.before ?? "any")} → ${show(c.after ?? "any")}`;
      const [from, to] = isRequestSide(c) ? [c.before, c.after] : [c.after, c.before];
      const lost =
        from === undefined
          ? to === undefined
            ? []
            : ["any"]
          : to === undefined
            ? []
            : typeList(from).filter((type) => !admits(to, type));
      if (isRequestSide(c))
        return lost.length
          ? breaking(`${what}: requests sending ${lost.join("/")} are rejected`)
          : nonBreaking(`${what} (wider)`);
      return lost.length
        ? breaking(`${what}: the response may now hold ${lost.join("/")}`)
        : nonBreaking(`${what} (narrower)`);
    },
  },
  {
    id: "nullable",
    decide: (c) => {
      if (c.keyword !== "nullable") return undefined;
      const nowNullable = c.action !== "remove" && c.after === true;
      if (isRequestSide(c)) return nowNullable ? nonBreaking("now accepts null") : breaking("no longer accepts null");
      return nowNullable ? breaking("may now be null in the response") : nonBreaking("no longer null in the response");
    },
  },
  {
    id: "constraint",
    decide: (c) => {
      if (!isConstraint(c.keyword)) return undefined;
      const move = constraintMove(c.keyword, c.action, c.before, c.after);
      const what = `${c.keyword} ${c.action === "add" ? `${show(c.after)} added` : c.action === "remove" ? `${show(c.before)} removed` : `${show(c.before)} → ${show(c.after)}`} (${move})`;
      if (isRequestSide(c))
        return move === "looser" ? nonBreaking(what) : breaking(`${what}: requests valid before may be rejected`);
      return move === "tighter"
        ? nonBreaking(what)
        : breaking(`${what}: old clients validating responses may reject them`);
    },
  },
  {
    id: "additional-properties",
    decide: (c) => {
      if (c.keyword !== "additionalProperties" || (typeof c.after === "object" && c.after !== null)) return undefined;
      const closed = c.action !== "remove" && c.after === false;
      if (isRequestSide(c))
        return closed
          ? breaking("closed to unknown fields (additionalProperties: false): requests with extra fields are rejected")
          : nonBreaking("open to unknown fields");
      return closed
        ? nonBreaking("closed to unknown fields")
        : breaking("open to unknown fields: old clients validating responses may reject them");
    },
  },
  {
    id: "default",
    decide: (c) => {
      if (c.keyword !== "default") return undefined;
      if (!isRequestSide(c)) return { verdict: "annotation", what: `default ${show(c.before)} → ${show(c.after)}` };
      if (c.action === "add") return nonBreaking(`default ${show(c.after)} documented`);
      const now = c.action === "remove" ? "is no longer documented" : `is now ${show(c.after)}`;
      return breaking(
        `default ${show(c.before)} ${now}: callers that omit it get a different result (and maybe a different price)`,
      );
    },
  },
];
