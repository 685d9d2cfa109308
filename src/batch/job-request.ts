import { OPERATIONS } from "../../generated/spec-values";
import { requestIssues } from "../validation";
import type { ValidationIssue } from "../errors";
import type { OperationPath, VideoGenerationRequest, VideoRemixRequest } from "../types";

/** What one batch job asks for: an image-to-video generation, or a remix of an earlier video (`video_id`). */
export type JobRequest = VideoGenerationRequest | VideoRemixRequest;

/** True for a remix job: it names the `video_id` of an earlier generation. */
export function isRemixRequest(request: JobRequest): request is VideoRemixRequest {
  return "video_id" in request;
}

/** The operation a job's request goes to. */
export function operationOf(request: JobRequest): OperationPath {
  return isRemixRequest(request) ? "/v1/videos/edits" : "/v1/videos/generations";
}

/** Every problem in a job's request by its operation's spec, the operation's default model filled in. */
export function jobRequestIssues(request: JobRequest): ValidationIssue[] {
  const path = operationOf(request);
  return requestIssues(path, { model: OPERATIONS[path].defaultModel, ...request });
}
