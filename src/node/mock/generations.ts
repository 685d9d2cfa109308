import type { IncomingMessage, ServerResponse } from "node:http";
import { summarizeIssues } from "../../errors";
import { sleep } from "../../retry";
import { requestIssues } from "../../validation";
import { FAULT_HEADER, FAULT_HEADER_VALUES, actOutFault, faultFromHeader } from "./faults";
import { sendError, sendJson } from "./respond";
import type { MockFault, MockStats } from "./types";

/** Request bodies larger than this are refused with 413. */
const BODY_LIMIT = 1024 * 1024;

/** What the generation handler needs from the server. */
export interface GenerationContext {
  stats: MockStats;
  latencyMs: number;
  apiKey: string | undefined;
  /** Takes the next queued fault, if any. */
  nextFault(): MockFault | undefined;
  /** Registers a new video and returns its id. */
  newVideo(): string;
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

function authorised(header: string | undefined, apiKey: string | undefined): boolean {
  if (!header?.trim()) return false;
  return apiKey === undefined || header === apiKey || header === `Bearer ${apiKey}`;
}

function baseUrlOf(request: IncomingMessage, fallback: string): string {
  const host = request.headers.host;
  return host && /^[\w.:[\]-]+$/.test(host) ? `http://${host}` : fallback;
}

/**
 * `POST /v1/videos/generations`: acts out a fault if one is asked for, else checks Authorization
 * (401), JSON (400) and the spec's request schema with the client's own validators (422 with
 * `issues`), then counts the generation as accepted, waits `latencyMs` (given up if the client
 * goes away) and answers a spec-valid 200 whose url points back at this server.
 */
export async function handleGeneration(request: IncomingMessage, res: ServerResponse, context: GenerationContext, fallbackBaseUrl: string): Promise<void> {
  const { stats } = context;
  stats.requests += 1;
  const reject = (status: number, type: string, message: string, extra: Record<string, unknown> = {}) => {
    stats.rejected += 1;
    sendError(res, status, type, message, extra);
  };
  let body: { text: string; tooLarge: boolean };
  try {
    body = await readBody(request);
  } catch {
    return;
  }
  const headerFault = faultFromHeader(request);
  if (headerFault === null) return reject(400, "invalid_request_error", `Unknown ${FAULT_HEADER} value; use one of ${FAULT_HEADER_VALUES.join(", ")}`);
  const fault = headerFault ?? context.nextFault();
  if (fault) {
    if (fault.kind === "status") stats.rejected += 1;
    return actOutFault(fault, request, res);
  }
  if (!authorised(request.headers.authorization, context.apiKey)) {
    const missing = !request.headers.authorization?.trim();
    return reject(401, "authentication_error", missing ? "Missing Authorization header: send your API key" : "Invalid API key");
  }
  if (body.tooLarge) return reject(413, "invalid_request_error", `Request body larger than ${BODY_LIMIT} bytes`);
  if (body.text.trim() === "") return reject(400, "invalid_request_error", "Request body is required");
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.text);
  } catch (error) {
    return reject(400, "invalid_request_error", `Malformed JSON in request body: ${(error as Error).message}`);
  }
  const issues = requestIssues("/v1/videos/generations", parsed);
  if (issues.length > 0) {
    return reject(422, "invalid_request_error", `Invalid request: ${summarizeIssues(issues)}`, { issues });
  }
  const accepted = parsed as Record<string, unknown>;
  stats.accepted += 1;
  stats.acceptedBodies.push(accepted);
  const gone = new AbortController();
  res.once("close", () => gone.abort());
  if (context.latencyMs > 0) {
    try {
      await sleep(context.latencyMs, gone.signal);
    } catch {
      return;
    }
  }
  if (gone.signal.aborted) return;
  const id = context.newVideo();
  sendJson(res, 200, {
    created: Math.floor(Date.now() / 1000),
    data: [{ url: `${baseUrlOf(request, fallbackBaseUrl)}/videos/${id}.mp4`, revised_prompt: String(accepted.prompt), video_id: id }],
  });
}
