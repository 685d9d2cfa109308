import type { IncomingMessage, ServerResponse } from "node:http";
import { setTimeout as wait } from "node:timers/promises";
import { REQUEST_FACTS } from "../../../generated/spec-values";
import { modelOf, operationFor, type OperationId } from "../../operations";
import { operationRequestIssues } from "../../validation";
import { FAULT_HEADER, FAULT_HEADER_VALUES, actOutFault, faultFromHeader } from "./faults";
import { sendError, sendJson, type ErrorDetail } from "./respond";
import type { MockFault, MockStats } from "./types";
import { TASK_HEADER, taskOutcomeOf, type MockTasks } from "./tasks";

/** Request bodies larger than this are refused with 413. */
const BODY_LIMIT = 1024 * 1024;

/** The request field that names an earlier video (the remix's `video_id`): it must be one this mock made. */
const SOURCE_VIDEO_FIELD = "video_id";

/** What the operation handler needs from the server. */
export interface OperationContext {
  stats: MockStats;
  latencyMs: number;
  apiKey: string | undefined;
  /** Takes the next queued fault, if any. */
  nextFault(): MockFault | undefined;
  /** Registers a new video and returns its id. */
  newVideo(): string;
  /** Whether this mock made the video with that id. */
  knowsVideo(id: string): boolean;
  /** In async mode, the tasks an accepted render starts (answered with the task envelope at once). */
  tasks?: MockTasks;
}

async function readBody(request: IncomingMessage): Promise<{ text: string; tooLarge: boolean }> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    length += chunk.length;
    if (length <= BODY_LIMIT) chunks.push(chunk);
  }
  return { text: Buffer.concat(chunks).toString("utf8"), tooLarge: length > BODY_LIMIT };
}

/** Whether an Authorization header is one the mock accepts (any non-empty one unless `apiKey` is set). */
export function authorised(header: string | undefined, apiKey: string | undefined): boolean {
  if (!header?.trim()) return false;
  return apiKey === undefined || header === apiKey || header === `Bearer ${apiKey}`;
}

function baseUrlOf(request: IncomingMessage, fallback: string): string {
  const host = request.headers.host;
  return host && /^[\w.:[\]-]+$/.test(host) ? `http://${host}` : fallback;
}

const invalid = (message: string, param?: string): ErrorDetail => ({ type: "invalid_request_error", message, param });

/** The answer to a body before any render starts: an error (status and detail, maybe `issues`), or the parsed body. */
type Verdict =
  { status: number; detail: ErrorDetail; extra?: Record<string, unknown> } | { body: Record<string, unknown> };

/** True when the request says its body is JSON (`application/json`, any parameters). */
function isJson(request: IncomingMessage): boolean {
  const type = request.headers["content-type"]?.split(";")[0]?.trim().toLowerCase();
  return type === "application/json";
}

function judge(
  method: string,
  path: string,
  request: IncomingMessage,
  { text, tooLarge }: { text: string; tooLarge: boolean },
  context: OperationContext,
): Verdict {
  if (!authorised(request.headers.authorization, context.apiKey)) {
    const missing = !request.headers.authorization?.trim();
    const message = missing ? "Missing Authorization header: send your API key" : "Invalid API key";
    return { status: 401, detail: { type: "authentication_error", message } };
  }
  if (tooLarge) return { status: 413, detail: invalid(`Request body larger than ${BODY_LIMIT} bytes`) };
  if (text.trim() === "") return { status: 400, detail: invalid("Request body is required") };
  if (!isJson(request)) {
    const type = request.headers["content-type"] ?? "none";
    return { status: 415, detail: invalid(`Content-Type must be application/json (got ${type})`) };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { status: 400, detail: invalid(`Malformed JSON in request body: ${(error as Error).message}`) };
  }
  const model = modelOf(parsed);
  const id: OperationId = operationFor(method, path, model) ?? operationFor(method, path, undefined)!;
  const issues = operationRequestIssues(id, parsed);
  if (issues.length > 0) {
    const summary = issues.map((issue) => `${issue.path || "(body)"} ${issue.message}`).join("; ");
    const message = `Invalid request: ${summary}`;
    return { status: 400, detail: invalid(message, issues[0]!.path.split("/")[1] || undefined), extra: { issues } };
  }
  const body = parsed as Record<string, unknown>;
  const fields: readonly string[] = REQUEST_FACTS[id as keyof typeof REQUEST_FACTS].fields;
  const source = body[SOURCE_VIDEO_FIELD];
  if (fields.includes(SOURCE_VIDEO_FIELD) && !context.knowsVideo(String(source))) {
    const message = `No video with ${SOURCE_VIDEO_FIELD} ${JSON.stringify(source)}: remix one this gateway made`;
    return { status: 404, detail: { type: "not_found_error", message, param: SOURCE_VIDEO_FIELD } };
  }
  return { body };
}

/**
 * `POST` to an operation (a generation, or a remix): acts out a fault if one is asked for, else
 * checks Authorization (401), JSON (400), the operation's request schema with the client's own
 * validators of the operation the body's model selects (400 with `issues`, as the gateway answers bad
 * or missing parameters; a model no page on the path names is one of them), a JSON Content-Type (415) and, for a remix, that `video_id` is a video this mock made (404);
 * then counts the request as accepted, waits `latencyMs` (given up if the client goes away) and
 * answers a spec-valid 200 with a new video whose url points back at this server. Every error is
 * the gateway's envelope.
 */
export async function handleOperation(
  method: string,
  path: string,
  request: IncomingMessage,
  res: ServerResponse,
  context: OperationContext,
  fallbackBaseUrl: string,
): Promise<void> {
  const { stats } = context;
  stats.requests += 1;
  let body: { text: string; tooLarge: boolean };
  try {
    body = await readBody(request);
  } catch {
    return;
  }
  const headerFault = faultFromHeader(request);
  if (headerFault === null) {
    stats.rejected += 1;
    const message = `Unknown ${FAULT_HEADER} value; use one of ${FAULT_HEADER_VALUES.join(", ")}`;
    return sendError(res, 400, invalid(message));
  }
  if (context.tasks && taskOutcomeOf(request) === undefined) {
    stats.rejected += 1;
    return sendError(res, 400, invalid(`Unknown ${TASK_HEADER} value; use completed, failed or stuck`));
  }
  const fault = headerFault ?? context.nextFault();
  if (fault) {
    if (fault.kind === "status" || fault.kind === "error-body") stats.rejected += 1;
    return actOutFault(fault, request, res);
  }
  const verdict = judge(method, path, request, body, context);
  if (!("body" in verdict)) {
    stats.rejected += 1;
    return sendError(res, verdict.status, verdict.detail, verdict.extra);
  }
  stats.accepted += 1;
  stats.acceptedBodies.push(verdict.body);
  if (context.tasks) return context.tasks.submit(request, res, verdict.body);
  const gone = new AbortController();
  res.once("close", () => gone.abort());
  if (context.latencyMs > 0) {
    try {
      await wait(context.latencyMs, undefined, { signal: gone.signal });
    } catch {
      return;
    }
  }
  if (gone.signal.aborted) return;
  const id = context.newVideo();
  const url = `${baseUrlOf(request, fallbackBaseUrl)}/videos/${id}.mp4`;
  const video = { url, revised_prompt: String(verdict.body.prompt), video_id: id };
  sendJson(res, 200, { created: Math.floor(Date.now() / 1000), data: [video] });
}
