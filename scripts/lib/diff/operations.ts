type Document = Record<string, any>;

const METHODS = new Set(["get", "put", "post", "delete", "options", "head", "patch", "trace"]);

/** Every operation a document holds, as ["METHOD /path", operation object]. */
function operationsIn(document: Document): Array<[string, Document]> {
  return Object.entries((document.paths ?? {}) as Record<string, Document>).flatMap(([route, item]) =>
    Object.entries(item ?? {})
      .filter(([method]) => METHODS.has(method))
      .map(([method, operation]): [string, Document] => [`${method.toUpperCase()} ${route}`, operation]),
  );
}

/** Generated operation names: operationId by "METHOD /path". */
export function operationIds(document: Document): Map<string, string> {
  const named = operationsIn(document).filter(([, operation]) => typeof operation?.operationId === "string");
  return new Map(named.map(([label, operation]) => [label, operation.operationId as string]));
}

/** The operations of a page's versions, as "METHOD /path", each once, in document order (NEW first). */
export function operationLabels(...documents: Document[]): string[] {
  return [...new Set(documents.flatMap((document) => operationsIn(document).map(([label]) => label)))];
}

/**
 * What a new page is compared with: NEW itself without its paths, so the report lists the page's
 * operations as added (each judged as a whole) and nothing else about the document.
 */
export const noOperations = (after: Document): Document => ({ ...after, paths: {} });
