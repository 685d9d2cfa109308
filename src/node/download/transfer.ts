import { createWriteStream } from "node:fs";
import { stat, truncate } from "node:fs/promises";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { DownloadError } from "../../errors";
import { readCappedText } from "../../read-body";
import { backoffMs, sleep } from "../../retry";
import { planBody, type BodyPlan } from "./response-plan";
import type { PartVersion } from "./temp-file";
import type { DownloadProgress } from "./types";
import { isTextualContentType, notAVideoError, QUOTE_BYTES, videoSniffer } from "./video-check";

/** Everything one download needs, resolved. */
export interface TransferContext {
  url: URL;
  /** The URL as errors may show it (no query string). */
  safeUrl: string;
  /** The temporary file (exists, initially empty). */
  file: string;
  fetch: typeof globalThis.fetch;
  signal: AbortSignal | undefined;
  onProgress: ((progress: DownloadProgress) => void) | undefined;
  maxResumes: number;
  idleTimeoutMs: number;
  /** The most bytes the video may have; a longer body (or a larger announced size) is a DownloadError. */
  maxBytes: number;
  /** Bytes an earlier run left in `file` (already checked to start like a video): asked for with Range first. */
  resumeFrom?: number;
  /** The version those bytes are of (sent as If-Range, and the whole size a resumed answer must have). */
  resumeVersion?: PartVersion;
  /** Called with the version of a body sent from byte 0, before any of it is written. */
  onVersion?: (version: PartVersion) => Promise<void>;
}

type Outcome =
  | { kind: "done"; bytes: number }
  | { kind: "cut"; reason: string; cause: unknown; plan?: BodyPlan }
  | { kind: "restart" };

const PROGRESS_INTERVAL_MS = 100;

/**
 * Yields the body's chunks. A cut connection (or the idle timer) ends the iteration normally and is
 * recorded in `cut`, so every byte already read still reaches the file and a resume starts after it.
 */
async function* untilCut(
  body: ReadableStream<Uint8Array> | null,
  cut: { error?: unknown },
): AsyncGenerator<Uint8Array> {
  if (!body) return;
  const reader = body.getReader();
  let finished = false;
  try {
    for (;;) {
      let next: ReadableStreamReadResult<Uint8Array>;
      try {
        next = await reader.read();
      } catch (error) {
        cut.error = error;
        finished = true;
        return;
      }
      if (next.done) {
        finished = true;
        return;
      }
      yield next.value;
    }
  } finally {
    if (!finished) await reader.cancel().catch(() => undefined);
  }
}

function httpError(response: Response, safeUrl: string): DownloadError {
  const hint =
    response.status === 403 || response.status === 410
      ? "; signed video URLs expire, so the link may have expired"
      : response.status === 404
        ? "; the video is gone or the link expired"
        : "";
  return new DownloadError(
    `Download of ${safeUrl} failed: HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ""}${hint}`,
    { url: safeUrl, status: response.status },
  );
}

function reasonOf(error: unknown, idle: AbortSignal, idleTimeoutMs: number): string {
  if (idle.aborted) return `no data for ${idleTimeoutMs} ms`;
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message ?? String(error);
}

function tooLarge(context: TransferContext, what: string): DownloadError {
  const limit = `maxBytes (${context.maxBytes} bytes)`;
  const message = `Download of ${context.safeUrl} stopped: ${what} exceeds ${limit}`;
  return new DownloadError(message, { url: context.safeUrl });
}

/**
 * Refuses a response that cannot be the video, before any of its body is written: a text media
 * type (an HTML "link expired" page, a JSON error), quoting its start; or an announced size
 * above maxBytes.
 */
async function refuseUnlessVideo(context: TransferContext, response: Response, plan: BodyPlan): Promise<void> {
  const type = response.headers.get("content-type");
  if (isTextualContentType(type)) {
    const head = Buffer.from(
      await readCappedText(response, QUOTE_BYTES).then(
        ({ text }) => text,
        () => "",
      ),
    );
    const why = `the server answered ${response.status} with ${type!.split(";")[0]!.trim()}`;
    throw notAVideoError(context.safeUrl, context.url, why, head, response.status);
  }
  if (plan.total !== undefined && plan.total > context.maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge(context, `the announced size (${plan.total} bytes)`);
  }
}

/** Where a resume picks up: the bytes already on disk, and what identifies the version being fetched. */
interface Resume {
  offset: number;
  etag: string | undefined;
  total: number | undefined;
}

/**
 * Sends one request (for the bytes from `resume.offset` on, if given) and streams its body into
 * the file at the right place. A resumed body whose total differs from the first one's is a
 * different version of the video: it restarts.
 */
async function attempt(
  context: TransferContext,
  resume: Resume | undefined,
  report: (bytes: number, total: number | undefined, final?: boolean) => void,
): Promise<Outcome> {
  const offset = resume?.offset ?? 0;
  const idle = new AbortController();
  const timer = setTimeout(() => idle.abort(new Error("idle")), context.idleTimeoutMs);
  const signal = context.signal ? AbortSignal.any([context.signal, idle.signal]) : idle.signal;
  const headers: Record<string, string> = { "accept-encoding": "identity" };
  if (offset > 0) {
    headers.range = `bytes=${offset}-`;
    if (resume?.etag) headers["if-range"] = resume.etag;
  }
  try {
    let response: Response;
    try {
      response = await context.fetch(context.url.href, { headers, signal, redirect: "follow" });
    } catch (error) {
      return { kind: "cut", reason: reasonOf(error, idle.signal, context.idleTimeoutMs), cause: error };
    }
    let plan = response.ok || (offset > 0 && response.status === 416) ? planBody(response, offset) : undefined;
    if (typeof plan === "object" && plan.start > 0 && resume?.total !== undefined && plan.total !== resume.total)
      plan = "restart";
    if (plan === undefined || plan === "restart") {
      await response.body?.cancel().catch(() => undefined);
      if (plan === undefined) throw httpError(response, context.safeUrl);
      return { kind: "restart" };
    }
    await refuseUnlessVideo(context, response, plan);
    if (plan.start === 0) await context.onVersion?.({ etag: plan.etag, total: plan.total });
    await truncate(context.file, plan.start);
    let bytes = plan.start;
    let callbackError: unknown;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        bytes += chunk.length;
        timer.refresh();
        if (bytes > context.maxBytes) return done(tooLarge(context, `the body (${bytes} bytes so far)`));
        try {
          report(bytes, plan.total);
        } catch (error) {
          callbackError = error;
          return done(error as Error);
        }
        done(null, chunk);
      },
    });
    let fileError: unknown;
    // flush: the data is fsynced as the stream closes, so a download reported complete survives a crash.
    const output = createWriteStream(context.file, { flags: "r+", start: plan.start, flush: true }).once(
      "error",
      (error) => (fileError = error),
    );
    const cut: { error?: unknown } = {};
    try {
      const body = Readable.from(untilCut(response.body, cut), { objectMode: false });
      // A body from byte 0 must start like a video; a resumed one continues bytes already checked.
      const sniffer = plan.start === 0 ? [videoSniffer(context.url, context.safeUrl, response.status)] : [];
      const stages = [...sniffer, counter];
      await pipeline([body, ...stages, output]);
    } catch (error) {
      if (callbackError !== undefined) throw callbackError;
      if (error instanceof DownloadError) throw error;
      if (fileError !== undefined)
        throw new DownloadError(`Could not write the video to disk: ${(fileError as Error).message}`, {
          url: context.safeUrl,
          cause: fileError,
        });
      return { kind: "cut", reason: reasonOf(error, idle.signal, context.idleTimeoutMs), cause: error, plan };
    }
    if (cut.error !== undefined)
      return { kind: "cut", reason: reasonOf(cut.error, idle.signal, context.idleTimeoutMs), cause: cut.error, plan };
    const size = (await stat(context.file)).size;
    if (plan.total !== undefined && size < plan.total)
      return { kind: "cut", reason: `the body ended at byte ${size} of ${plan.total}`, cause: undefined, plan };
    if (plan.total !== undefined && size > plan.total) {
      throw new DownloadError(
        `Download of ${context.safeUrl} failed: received ${size} bytes, the server announced ${plan.total}`,
        { url: context.safeUrl },
      );
    }
    report(size, plan.total, true);
    return { kind: "done", bytes: size };
  } finally {
    clearTimeout(timer);
  }
}

function progressReporter(onProgress: TransferContext["onProgress"]) {
  let last = 0;
  return (bytes: number, totalBytes: number | undefined, final = false) => {
    const now = Date.now();
    if (!onProgress || (!final && now - last < PROGRESS_INTERVAL_MS)) return;
    last = now;
    onProgress({ bytes, totalBytes });
  };
}

/**
 * Streams the video into the temporary file, resuming a cut connection with a Range request (and
 * If-Range) when the server allows it, restarting from byte 0 when it ignores or botches the range,
 * up to `maxResumes` extra requests. Resolves with the file's final size.
 */
export async function transfer(context: TransferContext): Promise<number> {
  const report = progressReporter(context.onProgress);
  const aborted = () =>
    new DownloadError(`Download of ${context.safeUrl} aborted`, {
      url: context.safeUrl,
      cause: context.signal?.reason,
    });
  const earlier = context.resumeFrom ?? 0;
  const known = context.resumeVersion;
  let resume: Resume | undefined =
    earlier > 0 ? { offset: earlier, etag: known?.etag, total: known?.total } : undefined;
  let last: BodyPlan | undefined;
  for (let resumes = 0; ; resumes += 1) {
    if (context.signal?.aborted) throw aborted();
    const outcome = await attempt(context, resume, report);
    if (outcome.kind === "done") return outcome.bytes;
    if (context.signal?.aborted) throw aborted();
    if (outcome.kind === "cut" && outcome.plan) last = outcome.plan;
    const written = (await stat(context.file)).size;
    const resumable = last?.resumable ?? false;
    if (outcome.kind === "cut" && (!resumable || resumes >= context.maxResumes)) {
      const why = resumable
        ? `gave up after ${resumes} resume(s)`
        : outcome.plan
          ? "the server does not support resuming"
          : "no response";
      throw new DownloadError(
        `Download of ${context.safeUrl} failed after ${written} bytes: ${outcome.reason} (${why})`,
        { url: context.safeUrl, cause: outcome.cause },
      );
    }
    if (outcome.kind === "restart" && resumes >= context.maxResumes) {
      throw new DownloadError(
        `Download of ${context.safeUrl} failed: the server did not honour the Range request to resume, and no restart is left`,
        { url: context.safeUrl },
      );
    }
    resume =
      outcome.kind === "cut" && written > 0 ? { offset: written, etag: last?.etag, total: last?.total } : undefined;
    await sleep(backoffMs(resumes + 1), context.signal).catch(() => {
      throw aborted();
    });
  }
}
