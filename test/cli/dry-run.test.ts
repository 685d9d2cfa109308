import { parseJobs } from "../../src/cli/batch/jobs";
import { planDryRun, renderDryRun } from "../../src/cli/batch/dry-run";
import type { JobState, JobStatus } from "../../src/batch/journal-state";

const { jobs, malformed } = parseJobs(
  [
    ...["a", "b", "c", "d", "e", "f"].map((id) =>
      JSON.stringify({ id, prompt: id, image_url: "https://img.example/x.png" }),
    ),
    '{"id": "g", "prompt": "g", "resolution": "auto"}',
    "not json",
  ].join("\n"),
);
const status = (state: JobState, url?: string): JobStatus => ({
  state,
  fingerprint: undefined,
  url,
  submissions: 1,
  path: undefined,
  error: undefined,
});
const journal = new Map<string, JobStatus>([
  ["a", status("done")],
  ["b", status("uncertain")],
  ["c", status("generated", "http://v/c.mp4")],
  ["d", status("refused")],
  ["e", status("submitted")],
]);

describe("planDryRun", () => {
  test("counts what a run would do, from the journal, exactly as runBatch decides", () => {
    expect(planDryRun(jobs, malformed, journal, false)).toEqual({
      lines: 8,
      jobs: 6,
      malformed: [
        { line: 7, message: '/resolution must be one of "720p", "1080p" (as sora-2-pro-text-to-video)' },
        { line: 8, message: expect.stringMatching(/^not valid JSON/) },
      ],
      generations: 2,
      downloads: 1,
      tasks: 0,
      alreadyDone: 1,
      skippedUncertain: 2,
    });
  });

  test("with --retry-uncertain the uncertain jobs count as paid generations", () => {
    expect(planDryRun(jobs, malformed, journal, true)).toMatchObject({ generations: 4, skippedUncertain: 0 });
  });

  test("a new out dir: every valid job is a paid generation", () => {
    expect(planDryRun(jobs, [], new Map(), false)).toMatchObject({ lines: 6, generations: 6, downloads: 0 });
  });
});

test("renderDryRun: the counts, then the wrong lines up to a limit", () => {
  const text = renderDryRun(planDryRun(jobs, malformed, journal, false), "jobs.jsonl", undefined, 1);
  expect(text).toContain("Dry run of jobs.jsonl: nothing was sent.");
  expect(text).toMatch(/^ {2}paid generations {3}2 {3}\(each is billed/m);
  expect(text).toMatch(/^ {2}line 7: \/resolution must be one of "720p", "1080p" \(as sora-2-pro-text-to-video\)$/m);
  expect(text).not.toContain("line 8:");
  expect(text).toContain("… and 1 more (--json lists them all)");
});

test("renderDryRun with columns: every line cut to the width", () => {
  const text = renderDryRun(planDryRun(jobs, malformed, journal, false), "jobs.jsonl", 30);
  expect(text).toContain("…");
  for (const line of text.split("\n")) expect(Array.from(line).length).toBeLessThan(30);
});
