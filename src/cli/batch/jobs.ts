import { createHash } from "node:crypto";
import { OPERATIONS, REQUEST_FACTS } from "../../../generated/spec-values";
import { jobRequestIssues, operationOf, type JobRequest } from "../../batch/job-request";
import { defaultModelOf } from "../../operations";

/** One job of a jobs.jsonl file, checked against the spec and ready to send. */
export interface BatchJob {
  /** The job's `id`, or a hash of its content (stable when other lines are added or removed). */
  id: string;
  /** 1-based line number in the jobs file. */
  line: number;
  request: JobRequest;
  /** The file name the video is saved as, inside the out dir. */
  out: string;
  /** A hash of the request and file name: tells whether a journaled job was edited since. */
  fingerprint: string;
}

/** A line that could not be used, with why. */
export interface MalformedLine {
  line: number;
  message: string;
}

const REQUEST_KEYS = [
  "prompt",
  "image_url",
  "video_id",
  "duration",
  "resolution",
  "aspect_ratio",
  "model",
  "output_format",
] as const;
/** Fields only an image-to-video job has. */
const GENERATION_ONLY = ["image_url", "duration", "resolution", "aspect_ratio"] as const;
const ALLOWED_KEYS = new Set<string>(["id", "out", ...REQUEST_KEYS]);
/** File names the batch keeps for itself in the out dir. */
const RESERVED_NAMES = new Set(["sora-batch.journal.jsonl", "sora-batch.lock"]);

class LineProblem extends Error {}

function hash(value: unknown): string {
  const canonical = JSON.stringify(value, Object.keys(value as object).sort());
  return createHash("sha256").update(canonical).digest("hex").slice(0, 12);
}

function checkFileName(out: unknown): string {
  if (
    typeof out !== "string" ||
    out === "" ||
    /[/\\\0]/.test(out) ||
    out === "." ||
    out === ".." ||
    RESERVED_NAMES.has(out)
  ) {
    throw new LineProblem(`"out" must be a plain file name inside the out dir, got ${JSON.stringify(out)}`);
  }
  return out;
}

function parseLine(text: string, line: number): BatchJob {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new LineProblem(`not valid JSON (${(error as Error).message})`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new LineProblem("must be a JSON object");
  const record = value as Record<string, unknown>;
  const unknown = Object.keys(record).filter((key) => !ALLOWED_KEYS.has(key));
  if (unknown.length > 0)
    throw new LineProblem(
      `unknown field ${unknown.map((key) => JSON.stringify(key)).join(", ")} (allowed: ${[...ALLOWED_KEYS].join(", ")})`,
    );
  const request: Record<string, unknown> = {};
  for (const key of REQUEST_KEYS) if (record[key] !== undefined) request[key] = record[key];
  // As `generate --duration` takes them: 8, "8" and "8s" are the spec's "8".
  if (typeof request.duration === "number") request.duration = String(request.duration);
  const seconds = typeof request.duration === "string" ? /^\s*(\d+)\s*s\s*$/.exec(request.duration)?.[1] : undefined;
  if (seconds !== undefined) request.duration = seconds;
  const operationId = operationOf(request as JobRequest);
  if (operationId === "createVideoRemix") {
    const misplaced = GENERATION_ONLY.filter((key) => key in request);
    if (misplaced.length > 0) {
      throw new LineProblem(
        `a remix (video_id) takes no ${misplaced.join(", ")}: those belong to a generation (image- or text-to-video) job`,
      );
    }
  } else {
    const fields: readonly string[] = REQUEST_FACTS[operationId].fields;
    const misplaced = Object.keys(request).filter((key) => !fields.includes(key));
    if (misplaced.length > 0) {
      const model = String(request.model ?? defaultModelOf(operationId));
      throw new LineProblem(`${model} takes no ${misplaced.join(", ")} (its page documents ${fields.join(", ")})`);
    }
  }
  const issues = jobRequestIssues(request as JobRequest);
  if (issues.length > 0) {
    const operation = OPERATIONS[operationId];
    const model = operation.models.length > 0 ? ` (as ${String(request.model ?? defaultModelOf(operationId))})` : "";
    throw new LineProblem(`${issues.map((issue) => `${issue.path || "(job)"} ${issue.message}`).join("; ")}${model}`);
  }
  const { id: givenId } = record;
  if (
    givenId !== undefined &&
    !((typeof givenId === "string" && /^\S.{0,99}$/.test(givenId)) || Number.isInteger(givenId))
  ) {
    throw new LineProblem(
      `"id" must be a non-empty string (up to 100 characters) or a whole number, got ${JSON.stringify(givenId)}`,
    );
  }
  const fingerprint = hash({ ...request, out: record.out ?? null });
  const id = givenId === undefined ? `job-${fingerprint}` : String(givenId);
  const out = record.out === undefined ? `${id.replace(/[^\w.-]+/g, "_")}.mp4` : checkFileName(record.out);
  return { id, line, request: request as JobRequest, out, fingerprint };
}

/**
 * Parses a jobs.jsonl text: one JSON job per line, blank lines ignored. A bad line (not JSON, an
 * unknown field, a value the spec rejects, a duplicate id or file name) is reported with its line
 * number and leaves the other jobs alone.
 */
export function parseJobs(text: string): { jobs: BatchJob[]; malformed: MalformedLine[] } {
  const jobs: BatchJob[] = [];
  const malformed: MalformedLine[] = [];
  const lineOfId = new Map<string, number>();
  const lineOfOut = new Map<string, number>();
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === "") return;
    try {
      const job = parseLine(raw, line);
      const sameId = lineOfId.get(job.id);
      if (sameId !== undefined)
        throw new LineProblem(
          `duplicate job id ${JSON.stringify(job.id)} (first on line ${sameId}); give each job its own "id"`,
        );
      const sameOut = lineOfOut.get(job.out.toLowerCase());
      if (sameOut !== undefined)
        throw new LineProblem(`file name ${JSON.stringify(job.out)} is already used by line ${sameOut}`);
      lineOfId.set(job.id, line);
      lineOfOut.set(job.out.toLowerCase(), line);
      jobs.push(job);
    } catch (error) {
      if (!(error instanceof LineProblem)) throw error;
      malformed.push({ line, message: error.message });
    }
  });
  return { jobs, malformed };
}
