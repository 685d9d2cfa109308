import { OPERATIONS } from "../../generated/spec-values";
import { operationRequestIssues } from "../validation";
import { defaultModelOf, operationFor } from "../operations";
import type { ValidationIssue } from "../errors";
import type {
  GenerateVideoRequest,
  RequestOperationId,
  TextToVideoRequest,
  VideoGenerationRequest,
  VideoRemixRequest,
} from "../types";

/**
 * What one batch job asks for: an image-to-video generation (`image_url`), a remix of an earlier
 * video (`video_id`), or a text-to-video generation (neither), each with its model optional.
 */
export type JobRequest = VideoGenerationRequest | TextToVideoRequest | VideoRemixRequest;

/** True for a remix job: it names the `video_id` of an earlier generation. */
export function isRemixRequest(request: JobRequest): request is VideoRemixRequest {
  return "video_id" in request;
}

const GENERATIONS = OPERATIONS.createVideoGeneration;

/**
 * The operation a job's request goes to: a remix when it names a `video_id`; else the operation
 * its `model` selects on the generations path; else image-to-video when it has an `image_url`,
 * text-to-video when it has neither.
 */
export function operationOf(request: JobRequest): RequestOperationId {
  if (isRemixRequest(request)) return "createVideoRemix";
  if (request.model !== undefined) {
    return (operationFor(GENERATIONS.method, GENERATIONS.path, request.model) ??
      "createVideoGeneration") as RequestOperationId;
  }
  return "image_url" in request ? "createVideoGeneration" : "createTextToVideo";
}

/** Every problem in a job's request by its operation's spec, the operation's default model filled in. */
export function jobRequestIssues(request: JobRequest): ValidationIssue[] {
  const id = operationOf(request);
  const body = { model: defaultModelOf(id), ...request };
  return operationRequestIssues(id, body);
}

/**
 * The job's request with its operation's default model filled in when it names none, so that
 * `generateVideo` (which routes by model) sends a text-to-video job as text-to-video.
 */
export function withJobModel(request: VideoGenerationRequest | TextToVideoRequest): GenerateVideoRequest {
  return { model: defaultModelOf(operationOf(request)), ...request } as GenerateVideoRequest;
}
