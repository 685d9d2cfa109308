import { describeReceipt, nextCommands, renderFollowUp, renderNextSteps } from "../../src/cli/batch/follow-up";
import { parseJobs } from "../../src/cli/batch/jobs";
import type { JobResult } from "../../src/cli/batch/scheduler";
import { CANARY_KEY } from "../helpers/fetch";

const [a, b, c] = parseJobs(
  ["a", "b", "c"].map((id) => JSON.stringify({ id, prompt: id, image_url: "https://i.example/x.png" })).join("\n"),
).jobs;
const receipt = {
  requestId: "req_7",
  sentAt: "2026-12-01T10:00:00.000Z",
  answeredAt: "2026-12-01T10:09:00.000Z",
  status: 502,
  error: "InternalServerError",
};

test.each([
  [
    receipt,
    "request req_7 · sent 2026-12-01T10:00:00.000Z · answered 2026-12-01T10:09:00.000Z · HTTP 502 · InternalServerError",
  ],
  [{ sentAt: "t0", error: "Interrupted" }, "request (no id) · sent t0 · no answer · Interrupted"],
])("describeReceipt(%j)", (given, want) => expect(describeReceipt(given)).toBe(want));

test("renderFollowUp: receipts of uncertain jobs, and a download command (full URL, quoted) per video not saved", () => {
  const url = `https://cdn.example/v/b.mp4?sig=${CANARY_KEY}&exp=1`;
  const results: JobResult[] = [
    { job: a!, action: "submit", state: "uncertain", receipts: [receipt] },
    { job: b!, action: "download", state: "failed", url, error: { name: "DownloadError", message: "404" } },
    {
      job: c!,
      action: "submit",
      state: "done",
      url: "https://cdn.example/c.mp4",
      receipts: [{ ...receipt, status: 200 }],
    },
  ];
  expect(renderFollowUp(results, "/out")).toEqual([
    "",
    "Receipts of calls that may have been billed without giving a video (for the provider's support):",
    `  a: ${describeReceipt(receipt)}`,
    "",
    "Generated (and paid for) but not saved; save each for free with:",
    { command: `sora-video download 'https://cdn.example/v/b.mp4?sig=${CANARY_KEY}&exp=1' --out /out/b.mp4` },
  ]);
});

describe("the exact next command after a batch that is not all done", () => {
  const argv = ["batch", "my jobs.jsonl", "--out", "videos", "--concurrency", "8"];
  const done: JobResult = { job: a!, action: "submit", state: "done" };
  const error = { name: "BadRequestError", message: "x" };
  const failed: JobResult = { job: b!, action: "submit", state: "failed", error };
  const same = "sora-video batch 'my jobs.jsonl' --out videos --concurrency 8";
  const uncertain: JobResult = { job: c!, action: "submit", state: "uncertain" };

  test.each([
    ["all done", [done], [], {}],
    ["a failed job: the same command", [done, failed], [], { resume: same }],
    ["a malformed line: the same command", [done], [{ line: 4, message: "bad" }], { resume: same }],
    [
      "an uncertain job: the same with --retry-uncertain",
      [uncertain],
      [],
      { retry_uncertain: `${same} --retry-uncertain` },
    ],
  ] as const)("%s", (_name, results, malformed, want) => {
    expect(nextCommands(results, malformed, argv)).toEqual(want);
  });

  test("a password in a --queue URL is not printed", () => {
    const words = ["batch", "j", "--out", "o", "--queue", "redis://:s3cret-pass@redis.internal:6379/2"];
    const next = nextCommands([failed], [], words);
    expect(next.resume).not.toContain("s3cret-pass");
    expect(next.resume).toContain("redis://:%5Bredacted%5D@redis.internal:6379/2");
  });

  test("--retry-uncertain is not added twice", () => {
    expect(nextCommands([uncertain], [], ["batch", "j", "--out", "o", "--retry-uncertain"]).retry_uncertain).toBe(
      "sora-video batch j --out o --retry-uncertain",
    );
  });

  test("after a run given --retry-uncertain, the resume command is without it (it never pays twice); the retry keeps it", () => {
    const given = ["batch", "j", "--retry-uncertain", "--out", "o"];
    const next = nextCommands([failed, uncertain], [], given);
    expect(next).toEqual({
      resume: "sora-video batch j --out o",
      retry_uncertain: "sora-video batch j --retry-uncertain --out o",
    });
    // A job file named like the flag, after `--`, is a file name and stays.
    expect(
      nextCommands([failed], [], ["batch", "--out", "o", "--retry-uncertain", "--", "--retry-uncertain"]).resume,
    ).toBe("sora-video batch --out o -- --retry-uncertain");
  });

  test("the lines say what each command does and that retrying uncertain jobs may bill twice", () => {
    const next = nextCommands([failed, uncertain], [{ line: 4, message: "bad" }], argv);
    expect(renderNextSteps(next, [{ line: 4, message: "bad" }])).toEqual([
      "",
      "Next:",
      { advice: "  fix line(s) 4 of the jobs file, then:" },
      { advice: "  resume (failed and not-run jobs, accepted tasks, unsaved videos; nothing is paid twice):" },
      { command: next.resume, indent: "    " },
      { advice: "  send the uncertain jobs again (they may have been billed: MAY BILL TWICE):" },
      { command: next.retry_uncertain, indent: "    " },
    ]);
    expect(renderNextSteps({}, [])).toEqual([]);
  });
});
