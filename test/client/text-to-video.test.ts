import {
  createSoraClient,
  OPERATIONS,
  REQUEST_FACTS,
  RequestValidationError,
  type TextToVideoRequest,
} from "../../src/index";
import { CANARY_KEY, VALID_REQUEST, VALID_RESPONSE, jsonResponse, recordingFetch } from "../helpers/fetch";

const TEXT_MODEL = "sora-2-pro-text-to-video";

function client() {
  const recorded = recordingFetch(jsonResponse(VALID_RESPONSE));
  return { ...recorded, sora: createSoraClient({ apiKey: CANARY_KEY, fetch: recorded.fetch }) };
}

const issuesOf = (error: unknown) => (error as RequestValidationError).issues;

describe("text-to-video: a second model on POST /v1/videos/generations", () => {
  test("the page's values come from generated/: its own enums and defaults, no image_url", () => {
    expect(OPERATIONS.createTextToVideo).toMatchObject({
      method: "POST",
      path: "/v1/videos/generations",
      page: "sora-2-pro-text-to-video",
      defaultModel: TEXT_MODEL,
      models: [TEXT_MODEL],
    });
    expect(REQUEST_FACTS.createTextToVideo.enums).toMatchObject({
      resolution: ["720p", "1080p"],
      aspect_ratio: ["16:9", "9:16"],
      duration: ["4", "8", "12"],
    });
    expect(REQUEST_FACTS.createTextToVideo.defaults).toMatchObject({ resolution: "1080p", aspect_ratio: "16:9" });
    expect(REQUEST_FACTS.createTextToVideo.required).toEqual(["model", "prompt"]);
    expect(REQUEST_FACTS.createTextToVideo.fields).not.toContain("image_url");
  });

  test("textToVideo sends the path with the page's default model and no image_url", async () => {
    const { sora, requests } = client();
    const request: TextToVideoRequest = { prompt: "A lighthouse at dusk", duration: "8" };
    const video = await sora.textToVideo(request);
    expect(video.data[0]!.url).toBe(VALID_RESPONSE.data[0]!.url);
    expect(requests).toHaveLength(1);
    expect(new URL(requests[0]!.url).pathname).toBe("/v1/videos/generations");
    expect(requests[0]!.method).toBe("POST");
    expect(requests[0]!.body).toStrictEqual({ model: TEXT_MODEL, prompt: "A lighthouse at dusk", duration: "8" });
  });

  test("generateVideo narrows by model: the text-to-video model sends a prompt alone", async () => {
    const { sora, requests } = client();
    await sora.generateVideo({ model: TEXT_MODEL, prompt: "A storm", resolution: "720p" });
    expect(requests[0]!.body).toStrictEqual({ model: TEXT_MODEL, prompt: "A storm", resolution: "720p" });
  });

  test('resolution "auto" is a RequestValidationError for text-to-video, valid for image-to-video; nothing sent', async () => {
    const { sora, requests } = client();
    const asText = await sora
      .textToVideo({ prompt: "p", resolution: "auto" as never })
      .catch((error: unknown) => error);
    expect(asText).toBeInstanceOf(RequestValidationError);
    expect(issuesOf(asText)).toEqual([{ path: "/resolution", message: 'must be one of "720p", "1080p"' }]);
    const viaGenerate = await sora
      .generateVideo({ model: TEXT_MODEL, prompt: "p", aspect_ratio: "auto" as never })
      .catch((error: unknown) => error);
    expect(issuesOf(viaGenerate)).toEqual([{ path: "/aspect_ratio", message: 'must be one of "16:9", "9:16"' }]);
    expect(requests).toHaveLength(0);
    await sora.generateVideo({ ...VALID_REQUEST, resolution: "auto" });
    expect(requests[0]!.body).toMatchObject({ model: "sora-2-pro-image-to-video", resolution: "auto" });
  });

  test("image-to-video without image_url is still refused, model given or not", async () => {
    const { sora, requests } = client();
    for (const body of [{ prompt: "p" }, { prompt: "p", model: "sora-2-pro-image-to-video" }]) {
      const error = await sora.generateVideo(body as never).catch((caught: unknown) => caught);
      expect(issuesOf(error)).toEqual([{ path: "/image_url", message: "is required" }]);
    }
    expect(requests).toHaveLength(0);
  });

  test("call reaches every operation by its id; a model that selects another operation is refused before sending", async () => {
    const { sora, requests } = client();
    await sora.call("createTextToVideo", { prompt: "p" });
    await sora.call("createVideoGeneration", { prompt: "p", image_url: "https://img.example/a.png" });
    expect(requests.map((request) => (request.body as { model: string }).model)).toEqual([
      TEXT_MODEL,
      "sora-2-pro-image-to-video",
    ]);
    const crossed = await sora
      .call("createVideoGeneration", { prompt: "p", image_url: "https://x/y.png", model: TEXT_MODEL as never })
      .catch((error: unknown) => error);
    expect(issuesOf(crossed)).toEqual([
      {
        path: "/model",
        message:
          "selects createTextToVideo on POST /v1/videos/generations, not createVideoGeneration: call createTextToVideo (or generateVideo, which routes by model)",
      },
    ]);
    const unknown = await sora
      .generateVideo({ prompt: "p", model: "sora-9" } as never)
      .catch((error: unknown) => error);
    expect(issuesOf(unknown)[0]!.message).toBe(
      'is not a model documented on POST /v1/videos/generations: must be one of "sora-2-pro-image-to-video", "openai/sora-2-pro-image-to-video", "sora-2-pro-text-to-video"',
    );
    const noSuch = await sora.call("createNothing" as never, {} as never).catch((error: unknown) => error);
    expect((noSuch as Error).name).toBe("ConfigurationError");
    expect(requests).toHaveLength(2);
  });
});
