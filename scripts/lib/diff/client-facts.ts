/*
 * What this client depends on in the vendor's spec, beyond the shapes generated/ captures. The
 * client-side rules (client-rules.ts) judge changes against these facts; keep them in step with
 * src/ and with what the README promises callers.
 */

import { OPERATION_METHOD, OPERATION_PATH } from "../operation";

/** The one operation the client calls, as "METHOD /path". */
export const CLIENT_OPERATION = `${OPERATION_METHOD.toUpperCase()} ${OPERATION_PATH}`;

/** The response status whose body the client parses and validates. */
export const CLIENT_SUCCESS_STATUS = "200";

/**
 * Fields of the 200 body that the client and its callers read (`video.data[0].url`, downloads by
 * `url`, journals keyed by `video_id`, `created` in logs). Removing one, or making it optional, is
 * breaking even when it was optional before: code written against the old spec relies on it.
 */
export const READ_RESPONSE_FIELDS: ReadonlySet<string> = new Set(["created", "data", "data[].url", "data[].video_id"]);

/** Schema keywords that only document: changing them never changes what is valid. */
export const ANNOTATION_KEYWORDS: ReadonlySet<string> = new Set([
  "description", "summary", "title", "example", "examples", "externalDocs", "tags", "$comment", "contact", "license", "termsOfService",
]);
