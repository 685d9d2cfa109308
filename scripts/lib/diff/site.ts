import { toPointer, valueAt, type JsonPath } from "./pointer";

/** Which part of the document a change is in. `request` and `response` are body schemas. */
export type Area =
  | "document"
  | "servers"
  | "components"
  | "operation"
  | "parameter"
  | "request-body"
  | "request"
  | "response"
  | "response-header";

/** Where a change sits, in terms the client-side rules can reason about. */
export interface Site {
  area: Area;
  pointer: string;
  /** "POST /v1/videos/generations", for changes inside an operation. */
  operation?: string;
  /** The response status, for response changes. */
  status?: string;
  /** The parameter or response header name. */
  name?: string;
  /** The schema field, `data[].url`; "" is the body itself. */
  field?: string;
  /** What changed there: a schema keyword (`enum`, `maxLength`, `required`), `property`, `media-type`, or the document key. */
  keyword: string;
  /** The path to the keyword itself (without an array index below it, as in `type/1` or `enum/2`). */
  keywordPath: JsonPath;
}

const COMBINERS = new Set(["allOf", "anyOf", "oneOf"]);
const join = (field: string, name: string) => (field ? `${field}.${name}` : name);

type Placed = { field?: string; keyword: string; keywordPath: JsonPath };

/** Walks the part of `path` below the `schema` key at `from`, collecting the field name and the keyword. */
function schemaSite(path: JsonPath, from: number): Placed {
  let field = "";
  for (let i = from + 1; i < path.length; i++) {
    const token = String(path[i]);
    const last = i === path.length - 1;
    if (token === "properties" && !last) {
      field = join(field, String(path[i + 1]));
      if (i + 2 === path.length) return { field, keyword: "property", keywordPath: path };
      i++;
    } else if (token === "items" && !last) field += "[]";
    else if (token === "additionalProperties" && !last) field += "{*}";
    else if (COMBINERS.has(token) && i + 2 < path.length) field += `(${token}[${String(path[++i])}])`;
    else return { field, keyword: token, keywordPath: path.slice(0, i + 1) };
  }
  return { field, keyword: "schema", keywordPath: path };
}

function afterSchema(path: JsonPath, from: number): Placed {
  if (path[from] === "schema") return schemaSite(path, from);
  return { keyword: String(path[from] ?? "self"), keywordPath: path.slice(0, from + 1) };
}

/**
 * Places an engine diff path in the document. `before` and `after` are the two documents (a name
 * such as a parameter's is looked up in whichever holds it).
 */
export function siteOf(path: JsonPath, before: unknown, after: unknown): Site {
  const pointer = toPointer(path);
  const [top, route, method, section, key, ...rest] = path.map(String);
  if (top === "servers") return { area: "servers", pointer, keyword: path.slice(1).join("."), keywordPath: path };
  if (top === "components") return { area: "components", pointer, keyword: path.slice(1).join("."), keywordPath: path };
  if (top !== "paths" || route === undefined)
    return { area: "document", pointer, keyword: path.join("."), keywordPath: path };
  if (method === "parameters") return parameterSite(path, 2, pointer, before, after, route);
  const operation = method ? `${method.toUpperCase()} ${route}` : route;
  const base = { pointer, operation, keywordPath: path };
  if (section === undefined) return { ...base, area: "operation", keyword: method ? "operation" : "path" };
  if (section === "parameters" && key !== undefined) return parameterSite(path, 3, pointer, before, after, operation);
  if (section === "requestBody") {
    if (key !== "content") return { ...base, area: "request-body", keyword: key ?? "body" };
    if (rest.length <= 1) return { ...base, area: "request-body", keyword: "media-type" };
    return { ...base, area: "request", ...afterSchema(path, 6) };
  }
  if (section === "responses" && key !== undefined) {
    const response = { ...base, status: key };
    const [part, item] = rest;
    if (part === "headers" && item !== undefined)
      return {
        ...response,
        area: "response-header",
        name: item,
        keyword: rest.length === 2 ? "header" : String(rest[2]),
      };
    if (part !== "content") return { ...response, area: "response", keyword: part ?? "status" };
    if (rest.length <= 2) return { ...response, area: "response", keyword: "media-type" };
    return { ...response, area: "response", ...afterSchema(path, 7) };
  }
  return { ...base, area: "operation", keyword: path.slice(3).join(".") };
}

function parameterSite(
  path: JsonPath,
  at: number,
  pointer: string,
  before: unknown,
  after: unknown,
  operation: string,
): Site {
  const own = path.slice(0, at + 2);
  const parameter = (valueAt(after, own) ?? valueAt(before, own)) as { name?: string; in?: string } | undefined;
  const name = `${parameter?.in ?? "?"} parameter \`${parameter?.name ?? path[at + 1]}\``;
  if (path.length === at + 2)
    return { area: "parameter", pointer, operation, name, keyword: "parameter", keywordPath: path };
  return { area: "parameter", pointer, operation, name, ...afterSchema(path, at + 2) };
}
