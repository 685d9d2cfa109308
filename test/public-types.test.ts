import { expectTypeOf } from "expect-type";
import {
  createSoraClient,
  REQUEST_ENUMS,
  type AspectRatio,
  type Duration,
  type Resolution,
  type SoraClient,
  type VideoGenerationRequest,
  type VideoGenerationResponse,
  type paths,
} from "../src/index";
import { CANARY_KEY, VALID_RESPONSE, jsonResponse, recordingFetch } from "./helpers/fetch";

describe("public types (checked by `tsc` in npm test; these assertions also run)", () => {
  test("enums come from the spec, at the type level and at run time", () => {
    expectTypeOf<Duration>().toEqualTypeOf<"4" | "8" | "12">();
    expectTypeOf<Resolution>().toEqualTypeOf<"720p" | "1080p" | "auto">();
    expectTypeOf<AspectRatio>().toEqualTypeOf<"16:9" | "9:16" | "auto">();
    expect(REQUEST_ENUMS.duration).toEqual(["4", "8", "12"]);
    expectTypeOf(REQUEST_ENUMS.duration).toEqualTypeOf<readonly ["4", "8", "12"]>();
  });

  test("a request needs prompt and image_url; model is optional for callers", () => {
    expectTypeOf<VideoGenerationRequest>().toHaveProperty("prompt").toEqualTypeOf<string>();
    expectTypeOf<VideoGenerationRequest["model"]>().toEqualTypeOf<
      "sora-2-pro-image-to-video" | "openai/sora-2-pro-image-to-video" | undefined
    >();
    // The path's body is the union of its models' bodies, told apart by `model`.
    expectTypeOf<
      paths["/v1/videos/generations"]["post"]["requestBody"]["content"]["application/json"]["model"]
    >().toEqualTypeOf<"sora-2-pro-image-to-video" | "openai/sora-2-pro-image-to-video" | "sora-2-pro-text-to-video">();

    // @ts-expect-error a missing prompt does not compile
    const missingPrompt: VideoGenerationRequest = { image_url: "https://x/y.png" };
    // @ts-expect-error "5" is not a duration the spec allows
    const wrongDuration: VideoGenerationRequest = { prompt: "p", image_url: "https://x/y.png", duration: "5" };
    expect([missingPrompt, wrongDuration]).toHaveLength(2);
  });

  test("generateVideo resolves to the spec's response type", async () => {
    const { fetch } = recordingFetch(jsonResponse(VALID_RESPONSE));
    const sora: SoraClient = createSoraClient({ apiKey: CANARY_KEY, fetch });
    const video = await sora.generateVideo({
      prompt: "p",
      image_url: "https://x/y.png",
      duration: "8",
      resolution: "1080p",
      aspect_ratio: "16:9",
    });
    expectTypeOf(video).toEqualTypeOf<VideoGenerationResponse>();
    expectTypeOf(video.data[0]!.url).toEqualTypeOf<string | undefined>();
    expectTypeOf(video.created).toEqualTypeOf<number>();
    expect(video.data[0]?.url).toBe(VALID_RESPONSE.data[0]!.url);
  });
});
