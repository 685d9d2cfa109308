import { Transform } from "node:stream";
import { DownloadError } from "../../errors";
import { redactText } from "../../redact";

/** Bytes needed to recognise a container: an ISO-BMFF box header (size + type), or WebM's 4-byte EBML magic. */
const SIGNATURE_BYTES = 8;
/** Bytes of a body that is not a video kept to quote its start (never more). */
export const QUOTE_BYTES = 512;
/** Characters of that start shown in an error. */
const QUOTE_CHARS = 200;
const EBML_MAGIC = Buffer.from([0x1a, 0x45, 0xdf, 0xa3]);

/**
 * True for a media type that is text rather than a video: `text/*`, JSON, XML, JavaScript and
 * their `+json` / `+xml` variants (an expired signed URL answers 200 with an HTML page; a gateway
 * with a JSON error). A missing or binary type (`video/*`, `application/octet-stream`) is left
 * to the byte check.
 */
export function isTextualContentType(contentType: string | null): boolean {
  const type = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  if (type === "") return false;
  if (type.startsWith("text/")) return true;
  const subtype = type.slice(type.indexOf("/") + 1);
  return /(^|\+)(json|xml)$/.test(subtype) || /^(x-)?(javascript|ecmascript|www-form-urlencoded)$/.test(subtype);
}

/**
 * True when `head` starts like a video file: an ISO-BMFF `ftyp` box first (MP4, MOV, 3GP: what
 * every real MP4 begins with; a valid ftyp box is at least 16 bytes), or the EBML header of
 * WebM / Matroska (1A 45 DF A3).
 */
export function looksLikeVideo(head: Buffer): boolean {
  if (head.length >= 4 && head.subarray(0, 4).equals(EBML_MAGIC)) return true;
  return head.length >= SIGNATURE_BYTES && head.toString("latin1", 4, 8) === "ftyp" && head.readUInt32BE(0) >= 16;
}

/**
 * The start of a body for an error message: decoded as UTF-8, white space collapsed, anything
 * unprintable shown as `·`, capped at 200 characters, and the URL's query string and each of its
 * values replaced (a page may echo the signed URL it refused).
 */
export function quoteStart(bytes: Buffer, url: URL): string {
  let text = new TextDecoder().decode(bytes.subarray(0, QUOTE_BYTES));
  const secrets = [url.search.slice(1), ...[...url.searchParams.values()].filter((value) => value.length >= 4)];
  for (const secret of secrets.sort((a, b) => b.length - a.length)) text = redactText(text, secret);
  text = text
    .replace(/\s+/g, " ")
    // Control characters are exactly what this replaces, so the pattern names them on purpose.
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f\ufffd]/g, "·")
    .trim();
  return JSON.stringify(text.length > QUOTE_CHARS ? `${text.slice(0, QUOTE_CHARS)}…` : text);
}

/** The DownloadError for a body that is not a video, quoting its start. */
export function notAVideoError(safeUrl: string, url: URL, why: string, head: Buffer, status?: number): DownloadError {
  const quoted = head.length === 0 ? "an empty body" : quoteStart(head, url);
  return new DownloadError(`Download of ${safeUrl} failed: ${why}, not a video: ${quoted}`, { url: safeUrl, status });
}

/**
 * A pass-through that holds back the first bytes of a body until they show a video container; a
 * body that does not start like one fails with DownloadError (quoting at most QUOTE_BYTES of it),
 * so not one byte of an error page reaches the file. Never holds more than QUOTE_BYTES.
 */
export function videoSniffer(url: URL, safeUrl: string, status: number): Transform {
  let held: Buffer[] = [];
  let heldBytes = 0;
  let verdict: "video" | "not" | undefined;
  const reject = () => notAVideoError(safeUrl, url, `the body (HTTP ${status})`, Buffer.concat(held), status);
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      if (verdict === "video") return done(null, chunk);
      held.push(chunk);
      heldBytes += chunk.length;
      const head = Buffer.concat(held);
      if (verdict === undefined && head.length >= SIGNATURE_BYTES) verdict = looksLikeVideo(head) ? "video" : "not";
      if (verdict === "video") {
        held = [];
        return done(null, head);
      }
      if (verdict === "not" && heldBytes >= QUOTE_BYTES) return done(reject());
      done();
    },
    flush(done) {
      if (verdict === "video") return done();
      const head = Buffer.concat(held);
      done(looksLikeVideo(head) ? null : reject(), looksLikeVideo(head) ? head : undefined);
    },
  });
}
