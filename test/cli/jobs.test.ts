import { isRemixRequest, operationOf, withJobModel } from "../../src/batch/job-request";
import type { TextToVideoRequest } from "../../src/types";
import { parseJobs } from "../../src/cli/batch/jobs";

const job = (fields: object) =>
  JSON.stringify({ prompt: "a cat", image_url: "https://img.example/cat.png", ...fields });

describe("parseJobs", () => {
  test("valid jobs: id from the line or a content hash, file name from out or the id, duration numbers as strings", () => {
    const text = [
      job({ id: "cat", duration: 8 }),
      "",
      job({ prompt: "a dog", out: "dog.mp4", resolution: "720p" }),
      job({ prompt: "a cow", id: 7 }),
    ].join("\n");
    const { jobs, malformed } = parseJobs(text);
    expect(malformed).toEqual([]);
    expect(jobs.map(({ id, line, out }) => ({ id, line, out }))).toEqual([
      { id: "cat", line: 1, out: "cat.mp4" },
      { id: expect.stringMatching(/^job-[0-9a-f]{12}$/), line: 3, out: "dog.mp4" },
      { id: "7", line: 4, out: "7.mp4" },
    ]);
    expect(jobs[0]!.request).toEqual({ prompt: "a cat", image_url: "https://img.example/cat.png", duration: "8" });
  });

  test("the hashed id depends on the content, not the line: inserting lines keeps ids stable", () => {
    const before = parseJobs(job({ prompt: "a dog" })).jobs[0]!;
    const after = parseJobs(`${job({ prompt: "a cat" })}\n${job({ prompt: "a dog" })}`).jobs[1]!;
    expect(after.id).toBe(before.id);
    expect(after.fingerprint).toBe(before.fingerprint);
    expect(parseJobs(job({ prompt: "a dog", duration: "12" })).jobs[0]!.id).not.toBe(before.id);
  });

  test.each([
    ["not JSON", "{prompt: cat}", /not valid JSON/],
    ["not an object", "[1, 2]", /must be a JSON object/],
    ["an unknown field", job({ imageUrl: "x" }), /unknown field "imageUrl" \(allowed: id, out, prompt, image_url/],
    ["a missing prompt", JSON.stringify({ image_url: "https://img.example/a.png" }), /\/prompt is required/],
    ["a duration the spec rejects", job({ duration: "5" }), /\/duration must be one of "4", "8", "12"/],
    ["a path as out", job({ out: "../escape.mp4" }), /"out" must be a plain file name/],
    ["the journal's name as out", job({ out: "sora-batch.journal.jsonl" }), /"out" must be a plain file name/],
    ["an empty id", job({ id: "" }), /"id" must be a non-empty string/],
  ])("%s is reported with its line number and the other jobs still parse", (_name, bad, message) => {
    const { jobs, malformed } = parseJobs([job({ id: "ok-1" }), bad, job({ id: "ok-2" })].join("\n"));
    expect(jobs.map((entry) => entry.id)).toEqual(["ok-1", "ok-2"]);
    expect(malformed).toEqual([{ line: 2, message: expect.stringMatching(message) }]);
  });

  test("a duplicate id or file name is malformed, naming the first line", () => {
    const { jobs, malformed } = parseJobs(
      [
        job({ id: "a" }),
        job({ id: "a", prompt: "b" }),
        job({ id: "b", out: "A.mp4" }),
        job({ id: "c" }),
        job({ prompt: "z", id: "d", out: "c.mp4" }),
      ].join("\n"),
    );
    expect(jobs.map((entry) => entry.id)).toEqual(["a", "c"]);
    expect(malformed).toEqual([
      { line: 2, message: 'duplicate job id "a" (first on line 1); give each job its own "id"' },
      { line: 3, message: 'file name "A.mp4" is already used by line 1' },
      { line: 5, message: 'file name "c.mp4" is already used by line 4' },
    ]);
  });
});

describe("remix lines (video_id)", () => {
  test("a line with video_id is a remix job, validated against the remix spec", () => {
    const { jobs, malformed } = parseJobs(
      '{"id":"r1","video_id":"vid_1","prompt":"Make it night"}\n{"id":"g1","prompt":"A cat","image_url":"https://img.example/cat.png"}',
    );
    expect(malformed).toEqual([]);
    expect(jobs.map((job) => [job.id, operationOf(job.request), isRemixRequest(job.request)])).toEqual([
      ["r1", "createVideoRemix", true],
      ["g1", "createVideoGeneration", false],
    ]);
  });

  test.each([
    [
      "image-to-video fields on a remix",
      '{"video_id":"v","prompt":"p","image_url":"https://img.example/a.png"}',
      /a remix \(video_id\) takes no image_url/,
    ],
    ["a duration on a remix", '{"video_id":"v","prompt":"p","duration":"8"}', /takes no duration/],
    ["a remix without a prompt", '{"video_id":"v"}', /\/prompt is required/],
    ["a video_id that is not a string", '{"video_id":7,"prompt":"p"}', /\/video_id must be string/],
  ])("%s is a malformed line", (_name, line, message) => {
    const { jobs, malformed } = parseJobs(line);
    expect(jobs).toEqual([]);
    expect(malformed[0]!.message).toMatch(message);
  });
});

describe("text-to-video lines (neither image_url nor video_id)", () => {
  test("a line with a prompt alone is a text-to-video job; its model routes it; the other jobs stay valid", () => {
    const { jobs, malformed } = parseJobs(
      [
        '{"id":"t1","prompt":"A lighthouse at dusk"}',
        '{"id":"t2","prompt":"A storm","model":"sora-2-pro-text-to-video","resolution":"720p","duration":"8"}',
        '{"id":"i1","prompt":"A cat","image_url":"https://img.example/cat.png","resolution":"auto"}',
      ].join("\n"),
    );
    expect(malformed).toEqual([]);
    expect(jobs.map((job) => [job.id, operationOf(job.request)])).toEqual([
      ["t1", "createTextToVideo"],
      ["t2", "createTextToVideo"],
      ["i1", "createVideoGeneration"],
    ]);
    expect(withJobModel(jobs[0]!.request as TextToVideoRequest)).toEqual({
      model: "sora-2-pro-text-to-video",
      prompt: "A lighthouse at dusk",
    });
  });

  test.each([
    [
      "\"auto\" is image-to-video's resolution, not text-to-video's",
      '{"prompt":"p","resolution":"auto"}',
      '/resolution must be one of "720p", "1080p" (as sora-2-pro-text-to-video)',
    ],
    [
      "an aspect ratio text-to-video does not document",
      '{"prompt":"p","aspect_ratio":"auto"}',
      '/aspect_ratio must be one of "16:9", "9:16" (as sora-2-pro-text-to-video)',
    ],
    [
      "image_url with the text-to-video model",
      '{"prompt":"p","model":"sora-2-pro-text-to-video","image_url":"https://img.example/a.png"}',
      "sora-2-pro-text-to-video takes no image_url (its page documents model, prompt, resolution, aspect_ratio, duration, output_format)",
    ],
    [
      "the image-to-video model without image_url",
      '{"prompt":"p","model":"sora-2-pro-image-to-video"}',
      "/image_url is required (as sora-2-pro-image-to-video)",
    ],
    [
      "a model no page on the path documents",
      '{"prompt":"p","model":"sora-3"}',
      '/model is not a model documented on POST /v1/videos/generations: must be one of "sora-2-pro-image-to-video", "openai/sora-2-pro-image-to-video", "sora-2-pro-text-to-video" (as sora-3)',
    ],
  ])(
    "%s: the line is malformed with its number and the model's own rule; the next line still runs",
    (_title, line, message) => {
      const { jobs, malformed } = parseJobs(`${line}\n{"id":"ok","prompt":"fine"}`);
      expect(malformed).toEqual([{ line: 1, message }]);
      expect(jobs.map((job) => job.id)).toEqual(["ok"]);
    },
  );
});

describe("the spec's own values on a line", () => {
  test('output_format "url" (the spec\'s only value) is taken; duration "8s" is "8", as generate --duration takes it', () => {
    const { jobs, malformed } = parseJobs(
      [
        '{"id":"a","prompt":"p","image_url":"https://img.example/a.png","output_format":"url"}',
        '{"id":"b","prompt":"p","duration":"8s"}',
        '{"id":"c","prompt":"p","duration":8}',
      ].join("\n"),
    );
    expect(malformed).toEqual([]);
    expect(jobs.map((job) => job.request)).toEqual([
      { prompt: "p", image_url: "https://img.example/a.png", output_format: "url" },
      { prompt: "p", duration: "8" },
      { prompt: "p", duration: "8" },
    ]);
  });
});
