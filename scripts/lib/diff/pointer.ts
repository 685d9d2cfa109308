/** A path into a JSON document: object keys and array indexes. */
export type JsonPath = ReadonlyArray<string | number>;

/** The RFC 6901 JSON pointer of a path. */
export function toPointer(path: JsonPath): string {
  return path.map((segment) => `/${String(segment).replace(/~/g, "~0").replace(/\//g, "~1")}`).join("");
}

function resolveRef(root: unknown, node: unknown, seen = new Set<string>()): unknown {
  const ref = (node as { $ref?: unknown } | null)?.$ref;
  if (typeof ref !== "string" || !ref.startsWith("#/") || seen.has(ref)) return node;
  seen.add(ref);
  const target = ref
    .slice(2)
    .split("/")
    .map((segment) => segment.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce<unknown>((at, key) => (at as Record<string, unknown> | undefined)?.[key], root);
  return resolveRef(root, target, seen);
}

/**
 * The value at `path` in `root`, following local `$ref`s on the way (api-smart-diff reports
 * paths through resolved references). Undefined when the path does not exist.
 */
export function valueAt(root: unknown, path: JsonPath): unknown {
  let node: unknown = root;
  for (const key of path) {
    node = resolveRef(root, node);
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string | number, unknown>)[key];
  }
  return node;
}
