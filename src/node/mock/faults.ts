import type { IncomingMessage, ServerResponse } from "node:http";
import { sendError } from "./respond";
import type { MockFault } from "./types";

/** The request header that asks for a fault on that one request (for clients in another process). */
export const FAULT_HEADER = "x-mock-fault";

const FAULT_BY_HEADER: Readonly<Record<string, MockFault>> = {
  "429": { kind: "status", status: 429 },
  "500": { kind: "status", status: 500 },
  "502": { kind: "status", status: 502 },
  "503": { kind: "status", status: 503 },
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

const REASON: Readonly<Record<number, string>> = { 429: "Too Many Requests", 500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable" };

/**
 * Acts out a fault on a generation request whose body has been read. A timeout leaves the request
 * hanging (close() destroys it); a reset sends a TCP RST.
 */
export function actOutFault(fault: MockFault, request: IncomingMessage, res: ServerResponse): void {
  if (fault.kind === "timeout") return;
  if (fault.kind === "reset") {
    request.socket.resetAndDestroy();
    return;
  }
  const retryAfter = fault.retryAfterSeconds ?? (fault.status === 429 ? 1 : undefined);
  const headers: Record<string, string> = retryAfter === undefined ? {} : { "retry-after": String(retryAfter) };
  const reason = REASON[fault.status] ?? "Error";
  if (fault.html) {
    const page = `<html><head><title>${fault.status} ${reason}</title></head><body><h1>${fault.status} ${reason}</h1></body></html>`;
    res.writeHead(fault.status, { ...headers, "content-type": "text/html", "content-length": Buffer.byteLength(page) });
    res.end(page);
    return;
  }
  const type = fault.status === 429 ? "rate_limit_error" : "server_error";
  sendError(res, fault.status, type, `Simulated ${fault.status} ${reason} (mock fault)`, {}, headers);
}
