import { parseJobs } from "../../src/cli/batch/jobs";
import type { JobResult } from "../../src/cli/batch/scheduler";
import { categoryOf, countResults, renderSummary } from "../../src/cli/batch/summary";

const [a, b, c, d, e] = parseJobs(
  ["a", "b", "c", "d", "e"]
    .map((id) => JSON.stringify({ id, prompt: id, image_url: "https://img.example/x.png" }))
    .join("\n"),
).jobs;

const results: JobResult[] = [
  { job: a!, action: "submit", state: "done", path: "out/a.mp4" },
  { job: b!, action: "skip-done", state: "done" },
  { job: c!, action: "submit", state: "failed", error: { name: "BadRequestError", message: "prompt too long" } },
  { job: d!, action: "skip-uncertain", state: "uncertain", error: { name: "APITimeoutError", message: "timed out" } },
  { job: e!, action: "not-started", state: "pending" },
];

test.each([
  [0, "done"],
  [1, "done"],
  [2, "failed"],
  [3, "uncertain"],
  [4, "not run"],
] as const)("categoryOf(results[%d]) = %s", (index, want) => expect(categoryOf(results[index]!)).toBe(want));

test("countResults counts categories, malformed lines and jobs done before this run", () => {
  expect(countResults(results, [{ line: 9, message: "not valid JSON" }])).toEqual({
    done: 2,
    failed: 1,
    uncertain: 1,
    "not run": 1,
    malformed: 1,
    alreadyDone: 1,
  });
});

test("renderSummary: counts with what to do next, then one row per job that is not done, by line", () => {
  const text = renderSummary(results, [{ line: 6, message: "not valid JSON" }], {
    journal: "out/sora-batch.journal.jsonl",
    elapsedMs: 4_150,
  });
  expect(text.split("\n")).toEqual([
    "Summary (4.2 s)",
    "  done           2   1 were done before this run",
    "  failed         1   not billed; running the command again retries them",
    "  uncertain      1   may have been billed; `--retry-uncertain` sends them again (may bill twice)",
    "  not run        1   running the command again picks them up",
    "  malformed      1   fix the lines and run again",
    "",
    "  line  job  state      detail",
    "  3     c    failed     BadRequestError: prompt too long",
    "  4     d    uncertain  APITimeoutError: timed out",
    "  5     e    not run    ",
    "  6     -    malformed  not valid JSON",
    "",
    "Journal: out/sora-batch.journal.jsonl",
    "",
  ]);
});

test("renderSummary caps the rows", () => {
  const text = renderSummary(results, [], { journal: "j", elapsedMs: 0, maxRows: 1 });
  expect(text).toContain("  … and 2 more: see the journal");
});
