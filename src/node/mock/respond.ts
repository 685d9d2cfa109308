import type { ServerResponse } from "node:http";

/** Writes a JSON response. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

/** What an error says, in the gateway's words: its `type`, `message` and (when a field is at fault) `param`. */
export interface ErrorDetail {
  type: string;
  message: string;
  param?: string;
}

/**
 * The gateway's documented error envelope, `{"error": {"code", "message", "type", "param"}}`, with
 * `code` set to `code` (the HTTP status, or the status a 200 carrying an error stands for).
 */
export function errorEnvelope(code: number, detail: ErrorDetail): { error: Record<string, unknown> } {
  const { type, message, param } = detail;
  return { error: { code, message, type, ...(param === undefined ? {} : { param }) } };
}

/**
 * Writes an error as the gateway documents it: the envelope, with the HTTP status equal to
 * `error.code`. `extra` adds top-level fields beside `error` (the 422's `issues`).
 */
export function sendError(
  res: ServerResponse,
  status: number,
  detail: ErrorDetail,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): void {
  sendJson(res, status, { ...errorEnvelope(status, detail), ...extra }, headers);
}
