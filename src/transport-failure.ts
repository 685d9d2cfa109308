import { APIConnectionError } from "./errors";

/** Codes of failures that happen before a request can reach the server: it cannot have been accepted. */
const NEVER_SENT = new Set([
  "ECONNREFUSED", // nothing listening
  "ENOTFOUND", // DNS: no such host
  "EAI_AGAIN", // DNS: temporary failure
  "EAI_NONAME",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "UND_ERR_CONNECT_TIMEOUT", // TCP connect never completed
  "ERR_TLS_CERT_ALTNAME_INVALID",
  "CERT_HAS_EXPIRED",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
]);

function codesOf(error: unknown, seen = new Set<unknown>()): string[] {
  if (typeof error !== "object" || error === null || seen.has(error)) return [];
  seen.add(error);
  const own = (error as { code?: unknown }).code;
  const nested = [(error as { cause?: unknown }).cause, ...((error as { errors?: unknown[] }).errors ?? [])];
  return [...(typeof own === "string" ? [own] : []), ...nested.flatMap((inner) => codesOf(inner, seen))];
}

/**
 * Turns a fetch rejection that was not an abort into APIConnectionError. It may have been accepted
 * unless every low-level code found says the request never left (refused, DNS, TLS).
 */
export function connectionError(error: unknown, target: string): APIConnectionError {
  const codes = codesOf(error);
  const neverSent =
    codes.length > 0 &&
    codes.some((code) => NEVER_SENT.has(code)) &&
    !codes.some((code) => code === "ECONNRESET" || code === "UND_ERR_SOCKET");
  const code = codes.find((candidate) => NEVER_SENT.has(candidate)) ?? codes[0];
  const what = neverSent
    ? "could not connect; nothing was sent"
    : "the connection failed after the request may have been sent; the generation may have started and be billed";
  return new APIConnectionError(`${target}: ${what}${code ? ` (${code})` : ""}`, {
    mayHaveBeenAccepted: !neverSent,
    cause: error,
    code,
  });
}
