import { CONTRACT_SETTING_NAMES, readContractConfig } from "./support/config";
import { givenValues, interleave, operationCases, planSource, sourceOperation } from "../src/verify/plan";
import { contractOperations, sourceFields } from "../src/verify/spec";

const operations = contractOperations();
const byPath = (path: string) => operations.find((operation) => operation.path === path)!;
const generation = byPath("/v1/videos/generations");
const remix = byPath("/v1/videos/edits");

describe("per-operation planning (pure functions, no traffic)", () => {
  test("one operation per verbatim page, named after it; only the remix refers to an earlier result", () => {
    expect(operations.map((operation) => operation.label)).toEqual([
      "sora-2-pro-image-to-video (POST /v1/videos/generations)",
      "sora-2-pro-text-to-video (POST /v1/videos/generations)",
      "sora-2-video-to-video (POST /v1/videos/edits)",
    ]);
    expect(sourceFields(generation, operations)).toEqual([]);
    expect(sourceFields(remix, operations)).toEqual(["video_id"]);
    expect(sourceOperation("video_id", operations)).toBe(generation);
  });

  test("given values: each page's example model unless overridden, configured text only for its own fields", () => {
    const env = { CONTRACT_REMIX_MODEL: "openai/sora-2-video-to-video", CONTRACT_VIDEO_ID: "video_earlier" };
    const config = readContractConfig(env);
    expect(givenValues(generation, config)).toEqual({
      model: "sora-2-pro-image-to-video",
      prompt: expect.any(String),
      image_url: expect.any(String),
    });
    expect(givenValues(remix, config)).toEqual({
      model: "openai/sora-2-video-to-video",
      prompt: expect.any(String),
      video_id: "video_earlier",
    });
    expect(operationCases(remix, config).find((item) => item.valid)!.body).toMatchObject({ video_id: "video_earlier" });
  });

  test.each<[string, SourceContextInput, string]>([
    ["Prism (mock mode) checks no ids: the case's own value", { mode: "mock", claims: [] }, "case"],
    [
      "CONTRACT_VIDEO_ID given: no paid call for a source",
      { mode: "provider", videoId: "video_1", claims: [] },
      "case",
    ],
    ["provider mode with a slot: one paid generation first", { mode: "provider", claims: [true] }, "generate"],
    ["provider mode without a slot: skipped, saying why", { mode: "provider", claims: [false] }, "skip"],
  ])("source of a remix's video_id: %s", (_name, input, kind) => {
    const claims = [...input.claims];
    const plan = planSource(remix, operations, {
      mode: input.mode,
      videoId: input.videoId,
      budget: 2,
      claim: () => claims.shift()!,
      names: CONTRACT_SETTING_NAMES,
    });
    expect(plan.kind).toBe(kind);
    expect(claims).toEqual([]);
    const reason = /needs the video_id of an earlier generation; CONTRACT_VIDEO_ID is unset .*CONTRACT_PAID_CALLS=2/;
    if (plan.kind === "skip") expect(plan.reason).toMatch(reason);
    expect(
      planSource(generation, operations, {
        mode: input.mode,
        videoId: undefined,
        budget: 2,
        claim: () => true,
        names: CONTRACT_SETTING_NAMES,
      }),
    ).toEqual({ kind: "case" });
  });

  test("paid slots are shared round-robin across operations", () => {
    expect(interleave([["g1", "g2", "g3"], ["r1"], []])).toEqual(["g1", "r1", "g2", "g3"]);
  });
});

interface SourceContextInput {
  mode: "mock" | "provider";
  videoId?: string;
  claims: boolean[];
}
