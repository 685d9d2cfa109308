import { createHash } from "node:crypto";
import { applyRecord } from "../batch/journal-state";
import { jobRequestIssues, type JobRequest } from "../batch/job-request";
import { InvalidQueueJobError, type QueueJobProblem } from "./errors";
import type { QueueJob, StoredJob } from "./types";

const RESERVED = new Set(["", ".", ".."]);

function requestProblem(request: unknown): string | undefined {
  if (typeof request !== "object" || request === null) return "request must be an object";
  const issues = jobRequestIssues(request as JobRequest);
  return issues.length > 0 ? issues.map((issue) => `request${issue.path} ${issue.message}`).join("; ") : undefined;
}

function jobProblem(job: QueueJob): string | undefined {
  if (typeof job.id !== "string" || !/^\S.{0,99}$/s.test(job.id)) {
    return "id must be a non-empty string of up to 100 characters";
  }
  if (typeof job.out !== "string" || RESERVED.has(job.out) || /[/\\\0]/.test(job.out)) {
    return "out must be a plain file name";
  }
  return requestProblem(job.request);
}

function fingerprint(job: QueueJob): string {
  return createHash("sha256")
    .update(JSON.stringify([job.request, job.out]))
    .digest("hex")
    .slice(0, 12);
}

/**
 * Checks every job (id, file name, request against the spec) and returns what each stores in
 * Redis: the job with its journal status `pending`. Throws InvalidQueueJobError listing every bad
 * job, before anything is queued.
 */
export function storedJobs(jobs: readonly QueueJob[]): StoredJob[] {
  const problems: QueueJobProblem[] = [];
  const seen = new Set<string>();
  jobs.forEach((job, index) => {
    const problem = jobProblem(job) ?? (seen.has(job.id) ? "the id appears twice" : undefined);
    if (problem) problems.push({ index, id: typeof job.id === "string" ? job.id : undefined, message: problem });
    seen.add(job.id);
  });
  if (problems.length > 0) throw new InvalidQueueJobError(problems);
  const at = new Date().toISOString();
  return jobs.map((job) => ({
    id: job.id,
    request: job.request,
    out: job.out,
    status: applyRecord(undefined, { at, id: job.id, state: "pending", fingerprint: fingerprint(job) }),
  }));
}
