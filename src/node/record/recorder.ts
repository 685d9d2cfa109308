import { randomBytes } from "node:crypto";
import { mkdir, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Middleware } from "openapi-fetch";
import { SUCCESS_BODY_LIMIT, readCappedText } from "../../read-body";
import { RECORDING_FORMAT, type Recording } from "./recording";
import { scrubHeaders, scrubJson, scrubText } from "./scrub";

/** The key the client sent: the Authorization value, raw or after "Bearer ". */
function keyOf(request: Request): string {
  return (request.headers.get("authorization") ?? "").replace(/^Bearer\s+/i, "");
}

function fileName(recording: Recording): string {
  const when = recording.recordedAt.replace(/[:.]/g, "-");
  const what = recording.operation.path.replace(/^\/+/, "").replace(/[^A-Za-z0-9]+/g, "-");
  return `${when}-${what}-${recording.response.status}-${randomBytes(3).toString("hex")}.json`;
}

async function recordingOf(request: Request, sent: string, response: Response, path: string): Promise<Recording> {
  const apiKey = keyOf(request);
  const { text } = await readCappedText(response.clone(), SUCCESS_BODY_LIMIT);
  let body: unknown;
  let isJson = true;
  try {
    body = JSON.parse(text);
  } catch {
    isJson = false;
  }
  let requestBody: unknown;
  try {
    requestBody = scrubJson(JSON.parse(sent), apiKey);
  } catch {
    requestBody = scrubText(sent, apiKey);
  }
  return {
    format: RECORDING_FORMAT,
    recordedAt: new Date().toISOString(),
    operation: { method: request.method, path },
    request: { body: requestBody },
    response: {
      status: response.status,
      headers: scrubHeaders(response.headers, apiKey),
      ...(isJson ? { body: scrubJson(body, apiKey) } : { text: scrubText(text, apiKey) }),
    },
  };
}

/** Writes one recording into `dir`, atomically (a temporary file renamed into place); returns its path. */
async function saveRecording(dir: string, recording: Recording): Promise<string> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, fileName(recording));
  const temporary = `${path}.part`;
  await writeFile(temporary, `${JSON.stringify(recording, null, 2)}\n`, { flag: "wx" });
  await rename(temporary, path);
  return path;
}

/**
 * openapi-fetch middleware that saves every response the client receives (one per attempt) into
 * `dir` as a Recording: status, headers without secrets, body; the key and URLs' query strings
 * removed. A recording that cannot be written is a warning, never a failed call (it may be paid).
 */
export function responseRecorder(dir: string, warn: (message: string) => void): Middleware {
  const sent = new WeakMap<Request, Promise<string>>();
  return {
    onRequest({ request }) {
      sent.set(request, request.clone().text());
      return undefined;
    },
    async onResponse({ request, response, schemaPath }) {
      try {
        const body = (await sent.get(request)) ?? "";
        await saveRecording(dir, await recordingOf(request, body, response, schemaPath));
      } catch (error) {
        warn(`sora-video-client: could not record the response in ${dir}: ${(error as Error).message}`);
      }
      return undefined;
    },
  };
}
