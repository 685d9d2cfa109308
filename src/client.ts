import createClient, { type Client } from "openapi-fetch";
import type { paths } from "../generated/schema";
import { createCaller, type OperationCaller } from "./call";
import { guardedFetch } from "./guarded-fetch";
import { resolveOptions } from "./options";
import { OPERATIONS } from "../generated/spec-values";
import { operationFor } from "./operations";
import { createTaskWaiter, type TaskWaiter } from "./wait-for-task";
import type {
  CallOptions,
  GenerateVideoRequest,
  GenerateVideoResponse,
  TextToVideoRequest,
  TextToVideoResponse,
  SoraClientOptions,
  VideoGenerationRequest,
  VideoGenerationResponse,
  VideoRemixRequest,
  VideoRemixResponse,
} from "./types";

const GENERATIONS = OPERATIONS.createVideoGeneration.path;

/** The client `createSoraClient` returns. */
export interface SoraClient {
  /**
   * Generates a video (`POST /v1/videos/generations`). The call stays open for the whole render
   * (minutes). Without `model`, it is image-to-video (a prompt and a first-frame `image_url`, the
   * page's example model); with `model`, the request is the operation that model selects, typed
   * and validated by that model's page (e.g. `model: "sora-2-pro-text-to-video"`: a prompt alone).
   * Throws a SoraError subclass.
   */
  generateVideo(request: VideoGenerationRequest, options?: CallOptions): Promise<VideoGenerationResponse>;
  generateVideo(request: GenerateVideoRequest, options?: CallOptions): Promise<GenerateVideoResponse>;
  /**
   * Generates a video from a prompt alone (Sora 2 Pro text-to-video, `POST /v1/videos/generations`
   * with its page's model, `sora-2-pro-text-to-video`, and no `image_url`). Same options, progress,
   * errors and money-safe retries as `generateVideo`.
   */
  textToVideo(request: TextToVideoRequest, options?: CallOptions): Promise<TextToVideoResponse>;
  /**
   * Remixes a video from an earlier Sora generation with a new prompt (`POST /v1/videos/edits`):
   * `video_id` comes from a generation's `data[0].video_id`. Same options, progress, errors and
   * money-safe retries as `generateVideo`; an unknown `video_id` is a NotFoundError.
   */
  remixVideo(request: VideoRemixRequest, options?: CallOptions): Promise<VideoRemixResponse>;
  /**
   * Waits for a task the gateway accepted (a `TaskPendingError` from a call carries its `taskId`)
   * and answers its video in a generation's shape. Polls `taskUrl` (experimental: the endpoint is
   * documented by no vendor page yet) every `pollIntervalMs`; transient failures are polled again.
   * Throws TaskFailedError (ended without a video), TaskLookupError (unknown there, or a status word
   * this client does not know) or, at the deadline, TaskPendingError (still running). Never sends a
   * render: waiting is free.
   */
  waitForTask: TaskWaiter;
  /**
   * Calls any documented operation by its operationId (`OPERATIONS` lists them), with the same
   * policy as the named methods: a vendor page added to spec/ is callable here as soon as
   * generated/ is regenerated. A `model` that selects another operation is a RequestValidationError.
   */
  call: OperationCaller;
  /**
   * The openapi-fetch client every call goes through, with the base URL and the key installed.
   * Middleware added with `api.use()` sees every request the client makes (one per attempt). Its
   * fetch keeps the client's rules: the key only to the client's origin, no redirects followed,
   * bodies bounded, the key never echoed back.
   */
  readonly api: Client<paths, "application/json">;
}

/**
 * Makes a client. Options are resolved and checked once, here: a missing key or an unusable
 * option throws ConfigurationError before any traffic.
 *
 * @example
 * const sora = createSoraClient({ apiKey: process.env.ONEROUTER_API_KEY });
 * const video = await sora.generateVideo({ prompt: "The cat turns", image_url: "https://…/cat.png", duration: "8" });
 * const night = await sora.remixVideo({ video_id: video.data[0]!.video_id!, prompt: "Make it night" });
 */
export function createSoraClient(options: SoraClientOptions = {}): SoraClient {
  const resolved = resolveOptions(options);
  const guarded = guardedFetch(resolved);
  const api = createClient<paths, "application/json">({
    baseUrl: resolved.baseUrl,
    fetch: guarded,
    headers: { ...resolved.headers, accept: "application/json", authorization: resolved.authorization },
    redirect: "manual",
  });
  const call = createCaller(resolved, api, guarded);
  return {
    generateVideo: (request: GenerateVideoRequest, callOptions?: CallOptions) =>
      call(operationFor("POST", GENERATIONS, request.model) ?? "createVideoGeneration", request as never, callOptions),
    textToVideo: (request, callOptions) => call("createTextToVideo", request, callOptions),
    remixVideo: (request, callOptions) => call("createVideoRemix", request, callOptions),
    waitForTask: createTaskWaiter(resolved, api, guarded),
    call,
    api,
  };
}
