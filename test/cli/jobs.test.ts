import { isRemixRequest, operationOf } from "../../src/batch/job-request";
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
      ["r1", "/v1/videos/edits", true],
      ["g1", "/v1/videos/generations", false],
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
