import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable, pipeline } from "node:stream";
import { mp4BoxesOfBuffer } from "./mp4-boxes";
import { SAMPLE_VIDEO_BASE64 } from "./sample-video";

/** The bytes the mock serves as every generated video. */
export interface VideoSource {
  /** Total size in bytes. */
  size: number;
  /** A strong ETag for the content (lets clients resume with If-Range). */
  etag: string;
  /** A stream of bytes start..end (inclusive). */
  stream(start: number, end: number): Readable;
}

const ZEROS = Buffer.alloc(64 * 1024);

/** The sample MP4, or (with `videoBytes`) the sample with its trailing mdat box padded with zeros to that size. */
export function videoSource(videoBytes?: number): VideoSource {
  const sample = Buffer.from(SAMPLE_VIDEO_BASE64, "base64");
  if (videoBytes === undefined) {
    return {
      size: sample.length,
      etag: `"sample-${sample.length}"`,
      stream: (start, end) => Readable.from([sample.subarray(start, end + 1)]),
    };
  }
  const mdat = mp4BoxesOfBuffer(sample).at(-1);
  const mdatSize = videoBytes - (mdat?.offset ?? 0);
  if (
    !Number.isSafeInteger(videoBytes) ||
    videoBytes < sample.length ||
    mdatSize > 0xffff_ffff ||
    mdat?.type !== "mdat" ||
    mdat.headerSize !== 8
  ) {
    throw new RangeError(
      `videoBytes must be a whole number from ${sample.length} to ${0xffff_ffff + (mdat?.offset ?? 0)}, got ${String(videoBytes)}`,
    );
  }
  const head = Buffer.from(sample);
  head.writeUInt32BE(mdatSize, mdat.offset);
  return {
    size: videoBytes,
    etag: `"synthetic-${videoBytes}"`,
    stream: (start, end) => Readable.from(paddedBytes(head, start, end + 1), { objectMode: false }),
  };
}

function* paddedBytes(head: Buffer, start: number, stop: number): Generator<Buffer> {
  let position = start;
  if (position < head.length) {
    const piece = head.subarray(position, Math.min(stop, head.length));
    position += piece.length;
    yield piece;
  }
  while (position < stop) {
    const length = Math.min(ZEROS.length, stop - position);
    position += length;
    yield length === ZEROS.length ? ZEROS : ZEROS.subarray(0, length);
  }
}

/** A byte range to serve, "unsatisfiable" (416), or undefined to serve the whole body (no or unusable Range). */
function parseRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | "unsatisfiable" | undefined {
  const match = header === undefined ? null : /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === "" && match[2] === "")) return undefined;
  if (match[1] === "") {
    const suffix = Number(match[2]);
    return suffix === 0 ? "unsatisfiable" : { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(match[1]);
  const end = match[2] === "" ? size - 1 : Number(match[2]);
  if (start >= size) return "unsatisfiable";
  return end < start ? undefined : { start, end: Math.min(end, size - 1) };
}

/**
 * Answers GET or HEAD for a video: 200 with the whole body, 206 for a satisfiable single Range
 * (unless If-Range names another version), 416 for an unsatisfiable one. Returns true when the
 * video itself is sent (a download to count).
 */
export function serveVideo(request: IncomingMessage, res: ServerResponse, source: VideoSource): boolean {
  const ifRange = request.headers["if-range"];
  const range =
    ifRange === undefined || ifRange === source.etag ? parseRange(request.headers.range, source.size) : undefined;
  const headers: Record<string, string | number> = {
    "content-type": "video/mp4",
    "accept-ranges": "bytes",
    etag: source.etag,
  };
  if (range === "unsatisfiable") {
    res.writeHead(416, { ...headers, "content-range": `bytes */${source.size}`, "content-length": 0 });
    res.end();
    return false;
  }
  const { start, end } = range ?? { start: 0, end: source.size - 1 };
  if (range) headers["content-range"] = `bytes ${start}-${end}/${source.size}`;
  res.writeHead(range ? 206 : 200, { ...headers, "content-length": end - start + 1 });
  if (request.method === "HEAD") {
    res.end();
    return false;
  }
  pipeline(source.stream(start, end), res, () => undefined);
  return true;
}
