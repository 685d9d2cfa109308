import { createSoraClient, RequestValidationError, type VideoGenerationRequest } from "../../src/index";
import { CANARY_KEY, VALID_REQUEST, VALID_RESPONSE, jsonResponse, recordingFetch } from "../helpers/fetch";

const cases: Array<[string, unknown, Array<{ path: string; message: string }>]> = [
  [
    "duration 5",
    { ...VALID_REQUEST, duration: "5" },
    [{ path: "/duration", message: 'must be one of "4", "8", "12"' }],
  ],
  [
    "resolution 4k",
    { ...VALID_REQUEST, resolution: "4k" },
    [{ path: "/resolution", message: 'must be one of "720p", "1080p", "auto"' }],
  ],
  [
    "aspect_ratio 1:1",
    { ...VALID_REQUEST, aspect_ratio: "1:1" },
    [{ path: "/aspect_ratio", message: 'must be one of "16:9", "9:16", "auto"' }],
  ],
  [
    "output_format mp4",
    { ...VALID_REQUEST, output_format: "mp4" },
    [{ path: "/output_format", message: 'must be one of "url"' }],
  ],
  ["a missing prompt", { image_url: VALID_REQUEST.image_url }, [{ path: "/prompt", message: "is required" }]],
  ["a missing image_url", { prompt: VALID_REQUEST.prompt }, [{ path: "/image_url", message: "is required" }]],
  [
    "a numeric duration (wrong type)",
    { ...VALID_REQUEST, duration: 8 },
    [
      { path: "/duration", message: "must be string" },
      { path: "/duration", message: 'must be one of "4", "8", "12"' },
    ],
  ],
  ["a non-string prompt", { ...VALID_REQUEST, prompt: 42 }, [{ path: "/prompt", message: "must be string" }]],
  [
    "a non-string model",
    { ...VALID_REQUEST, model: null },
    [
      { path: "/model", message: "must be string" },
      { path: "/model", message: 'must be one of "sora-2-pro-image-to-video", "openai/sora-2-pro-image-to-video"' },
    ],
  ],
  [
    "several problems at once",
    { duration: "5", resolution: "4k" },
    [
      { path: "/prompt", message: "is required" },
      { path: "/image_url", message: "is required" },
      { path: "/resolution", message: 'must be one of "720p", "1080p", "auto"' },
      { path: "/duration", message: 'must be one of "4", "8", "12"' },
    ],
  ],
];

describe("request validation, before any traffic", () => {
  test.each(cases)("%s is rejected with every issue, and nothing is sent", async (_name, body, issues) => {
    const { fetch, requests } = recordingFetch(jsonResponse(VALID_RESPONSE));
    const sora = createSoraClient({ apiKey: CANARY_KEY, fetch });
    const error = await sora.generateVideo(body as VideoGenerationRequest).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RequestValidationError);
    expect((error as RequestValidationError).issues).toEqual(issues);
    expect((error as RequestValidationError).mayHaveBeenAccepted).toBe(false);
    expect((error as RequestValidationError).message).toContain("Nothing was sent");
    expect(requests).toHaveLength(0);
  });

  test("a body that is not an object at all is rejected", async () => {
    const { fetch, requests } = recordingFetch(jsonResponse(VALID_RESPONSE));
    const sora = createSoraClient({ apiKey: CANARY_KEY, fetch });
    await expect(sora.generateVideo([] as unknown as VideoGenerationRequest)).rejects.toBeInstanceOf(
      RequestValidationError,
    );
    expect(requests).toHaveLength(0);
  });

  test("unknown extra properties are allowed (the spec does not forbid them) and sent as given", async () => {
    const { fetch, requests } = recordingFetch(jsonResponse(VALID_RESPONSE));
    const sora = createSoraClient({ apiKey: CANARY_KEY, fetch });
    await sora.generateVideo({ ...VALID_REQUEST, seed: 7 } as VideoGenerationRequest);
    expect(requests[0]!.body).toMatchObject({ seed: 7 });
  });

  test("validateRequests: false sends an invalid body as given (the server decides)", async () => {
    const { fetch, requests } = recordingFetch(jsonResponse(VALID_RESPONSE));
    const sora = createSoraClient({ apiKey: CANARY_KEY, fetch, validateRequests: false });
    await sora.generateVideo({ ...VALID_REQUEST, duration: "5" } as unknown as VideoGenerationRequest);
    expect(requests[0]!.body).toMatchObject({ duration: "5" });
  });
});
