/*
 * What this client depends on in the vendor's spec, beyond the shapes generated/ captures. The
 * client-side rules (client-rules.ts) judge changes against these facts; keep them in step with
 * src/ (src/call.ts) and with what the README promises callers.
 */

import { OPERATIONS } from "../../../generated/spec-values";

/**
 * Every operation the client calls, as "METHOD /path": each documented operation, from the
 * generated values (every call goes through one generic path, so every operation is called).
 */
export const CLIENT_OPERATIONS: ReadonlySet<string> = new Set(
  Object.values(OPERATIONS).map((operation) => `${operation.method} ${operation.path}`),
);

/**
 * The response status whose schema the client validates a success against. The client takes
 * every 2xx answer as the result (`response.ok` in src/call.ts), parses its body as JSON and reads
 * it as this status's body, so another 2xx must carry the fields below too.
 */
export const CLIENT_SUCCESS_STATUS = "200";

/**
 * Fields of the success body that the client and its callers read (`video.data[0].url`, downloads
 * by `url`, journals keyed by `video_id`, `created` in logs). Removing one, making it optional or
 * writeOnly is breaking even when it was optional before: code written against the old spec relies on it.
 */
export const READ_RESPONSE_FIELDS: ReadonlySet<string> = new Set(["created", "data", "data[].url", "data[].video_id"]);

/**
 * The credential the client sends: the raw key in the `Authorization` header (an OpenAPI apiKey
 * scheme `in: header, name: Authorization`, as the overlay declares it).
 */
export const CLIENT_CREDENTIAL = { type: "apiKey", in: "header", name: "authorization" } as const;

/** Schema keywords that only document: changing them never changes what is valid. */
export const ANNOTATION_KEYWORDS: ReadonlySet<string> = new Set([
  "description",
  "summary",
  "title",
  "example",
  "examples",
  "externalDocs",
  "tags",
  "$comment",
  "contact",
  "license",
  "termsOfService",
]);
