import type { IncomingMessage, ServerResponse } from "node:http";
import { errorEnvelope, sendError, sendJson, type ErrorDetail } from "./respond";
import type { MockFault, MockFaultStatus } from "./types";

/** The request header that asks for a fault on that one request (for clients in another process). */
export const FAULT_HEADER = "x-mock-fault";

const FAULT_BY_HEADER: Readonly<Record<string, MockFault>> = {
  "402": { kind: "status", status: 402 },
  "403": { kind: "status", status: 403 },
  "408": { kind: "status", status: 408 },
  "422": { kind: "status", status: 422 },
  "429": { kind: "status", status: 429 },
  "500": { kind: "status", status: 500 },
  "502": { kind: "status", status: 502 },
  "503": { kind: "status", status: 503 },
  "200-error": { kind: "error-body" },
  timeout: { kind: "timeout" },
  reset: { kind: "reset" },
};

/** The values the fault header accepts. */
export const FAULT_HEADER_VALUES = Object.keys(FAULT_BY_HEADER);

/** The fault a request asks for in its header: undefined when none, null when the value is unknown. */
export function faultFromHeader(request: IncomingMessage): MockFault | undefined | null {
  const value = request.headers[FAULT_HEADER];
  if (value === undefined) return undefined;
  return FAULT_BY_HEADER[String(value).trim().toLowerCase()] ?? null;
}

// What the gateway's error-codes page says each status means, in the envelope's words.
const DETAIL: Readonly<Record<MockFaultStatus, { reason: string } & ErrorDetail>> = {
  402: {
    reason: "Payment Required",
    type: "insufficient_credits",
    message: "Insufficient credits: top up the account",
  },
  403: { reason: "Forbidden", type: "moderation_error", message: "The input was flagged by moderation" },
  408: { reason: "Request Timeout", type: "timeout_error", message: "The request timed out" },
  422: {
    reason: "Unprocessable Entity",
    type: "content_policy_violation",
    message: "The prompt violates the content policy",
    param: "prompt",
  },
  429: { reason: "Too Many Requests", type: "rate_limit_error", message: "Rate limited" },
  500: { reason: "Internal Server Error", type: "server_error", message: "Internal error" },
  502: { reason: "Bad Gateway", type: "server_error", message: "The model is down or answered badly" },
  503: { reason: "Service Unavailable", type: "server_error", message: "No provider can serve the request" },
};

/** The default `code` of an `error-body` fault: 502, the model answered badly. */
const ERROR_BODY_CODE = 502;

function actOutStatus(fault: Extract<MockFault, { kind: "status" }>, res: ServerResponse): void {
  const retryAfter = fault.retryAfterSeconds ?? (fault.status === 429 ? 1 : undefined);
  const headers: Record<string, string> = retryAfter === undefined ? {} : { "retry-after": String(retryAfter) };
  const { reason, ...detail } = DETAIL[fault.status];
  if (fault.html) {
    const title = `${fault.status} ${reason}`;
    const page = `<html><head><title>${title}</title></head><body><h1>${title}</h1></body></html>`;
    res.writeHead(fault.status, { ...headers, "content-type": "text/html", "content-length": Buffer.byteLength(page) });
    res.end(page);
    return;
  }
  sendError(res, fault.status, { ...detail, message: `${detail.message} (mock fault)` }, {}, headers);
}

/**
 * Acts out a fault on a request whose body has been read. A timeout leaves the request hanging
 * (close() destroys it); a reset sends a TCP RST.
 */
export function actOutFault(fault: MockFault, request: IncomingMessage, res: ServerResponse): void {
  switch (fault.kind) {
    case "timeout":
      return;
    case "reset":
      request.socket.resetAndDestroy();
      return;
    case "error-body": {
      const code = fault.code ?? ERROR_BODY_CODE;
      const detail = DETAIL[code as MockFaultStatus] ?? { type: "server_error", message: "Error" };
      const message = `${detail.message} (mock fault: a 200 carrying an error)`;
      sendJson(res, 200, errorEnvelope(code, { type: detail.type, message }));
      return;
    }
    case "status":
      actOutStatus(fault, res);
  }
}
