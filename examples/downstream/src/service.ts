import {
  createSoraClient,
  APIError,
  RequestValidationError,
  type SoraClientOptions,
  type VideoGenerationRequest,
  type VideoGenerationResponse,
  type VideoRemixRequest,
  type VideoRemixResponse,
  type TextToVideoRequest,
  type Duration,
  type paths,
} from "sora-video-client";

/** The part of the service that turns a user's order into a video URL. */
export async function renderClip(
  prompt: string,
  imageUrl: string,
  duration: Duration,
  options: SoraClientOptions,
): Promise<string> {
  const sora = createSoraClient(options);
  const request: VideoGenerationRequest = {
    prompt,
    image_url: imageUrl,
    duration,
    resolution: "1080p",
    aspect_ratio: "16:9",
  };
  try {
    const video: VideoGenerationResponse = await sora.generateVideo(request, { timeoutMs: 900_000 });
    return video.data[0]?.url ?? "";
  } catch (error) {
    if (error instanceof RequestValidationError) return `invalid: ${error.issues.map((issue) => issue.path).join(",")}`;
    if (error instanceof APIError) return `api error ${error.status}, billed? ${error.mayHaveBeenAccepted}`;
    throw error;
  }
}

/** Turns a finished clip into its night-time remix: the video_id comes from the earlier generation. */
export async function remixAtNight(videoId: string, options: SoraClientOptions): Promise<string> {
  const sora = createSoraClient(options);
  const request: VideoRemixRequest = { video_id: videoId, prompt: "Make it night" };
  const video: VideoRemixResponse = await sora.remixVideo(request, { timeoutMs: 900_000 });
  return `${video.data[0]?.video_id ?? "?"} ${video.data[0]?.url ?? ""}`;
}

/** A clip from a prompt alone (Sora 2 Pro text-to-video): the page's model, no first frame. */
export async function renderFromText(prompt: string, options: SoraClientOptions): Promise<string> {
  const sora = createSoraClient(options);
  const request: TextToVideoRequest = { prompt, resolution: "720p", duration: "4" };
  const video = await sora.textToVideo(request, { timeoutMs: 900_000 });
  const same = await sora.generateVideo({ model: "sora-2-pro-text-to-video", prompt, aspect_ratio: "9:16" });
  return `${video.data[0]?.url ?? ""} ${same.data[0]?.url === video.data[0]?.url}`;
}

type GenerationBody = paths["/v1/videos/generations"]["post"]["requestBody"]["content"]["application/json"];
export const wireBody: GenerationBody = {
  model: "sora-2-pro-image-to-video",
  prompt: "p",
  image_url: "https://x/y.png",
};

// @ts-expect-error "5" is not a duration the spec allows
export const wrongEnum: VideoGenerationRequest = { prompt: "p", image_url: "https://x/y.png", duration: "5" };

// @ts-expect-error prompt is required
export const missingPrompt: VideoGenerationRequest = { image_url: "https://x/y.png" };

// @ts-expect-error a remix names the video_id of an earlier generation
export const remixWithoutVideo: VideoRemixRequest = { prompt: "Make it night" };

// @ts-expect-error "auto" is image-to-video's resolution, not text-to-video's
export const autoText: TextToVideoRequest = { prompt: "p", resolution: "auto" };

// @ts-expect-error prompt is required for text-to-video too
export const textWithoutPrompt: TextToVideoRequest = { resolution: "720p" };

export async function narrowed(options: SoraClientOptions): Promise<void> {
  const sora = createSoraClient(options);
  // @ts-expect-error with the text-to-video model, "auto" is not a resolution
  await sora.generateVideo({ model: "sora-2-pro-text-to-video", prompt: "p", resolution: "auto" });
  // @ts-expect-error without a model, generateVideo is image-to-video: image_url is required
  await sora.generateVideo({ prompt: "p" });
}
