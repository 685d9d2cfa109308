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
    task: 0,
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
    "  5     e    not run",
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

describe("renderSummary fits a width: text cut with …, commands wrapped whole", () => {
  const long = { name: "BadRequestError", message: `prompt too long: ${"very ".repeat(40)}long` };
  const wide: JobResult[] = [{ ...results[2]!, error: long }, results[3]!, results[4]!];
  const receipt = "  c: request req_1 · sent 2026-12-01T10:00:00.000Z · answered 2026-12-01T10:09:12.000Z · HTTP 5";
  const retry = "sora-video batch jobs.jsonl --out /data/videos --concurrency 8 --retry-uncertain";
  const followUp = [receipt, { command: retry, indent: "    " }];

  test.each([100, 80, 50])("at %d columns no line is longer than the width", (columns) => {
    const journal = "/data/videos/sora-batch.journal.jsonl";
    const text = renderSummary(wide, [], { journal, elapsedMs: 0, followUp, columns });
    const lines = text.split("\n");
    for (const line of lines) expect(Array.from(line).length).toBeLessThan(columns);
    expect(text).toContain("…");
    // The wrapped command still pastes as one: each cut line ends with " \\" and nothing was dropped.
    const command = text.slice(text.indexOf("    sora-video")).split("\n\nJournal")[0]!;
    expect(command.replace(/ \\\n\s+/g, " ").trim()).toBe(retry);
  });

  test("without columns (a pipe) lines are not cut", () => {
    const text = renderSummary(wide, [], { journal: "j", elapsedMs: 0, followUp });
    expect(text).toContain(receipt);
    expect(text).toContain(`    ${retry}`);
  });

  test("colour: the category names painted, nothing else", () => {
    const paint = (tone: string, text: string) => `<${tone}>${text}</>`;
    const text = renderSummary(results, [], { journal: "j", elapsedMs: 0, paint });
    expect(text).toContain("  <ok>done</>           2");
    expect(text).toContain("  <fail>failed</>         1");
    expect(text).toContain("  <warn>uncertain</>      1");
  });
});

test("renderSummary: a failed download was paid for, so the failed count never calls it 'not billed'", () => {
  const download = { name: "DownloadError", message: "Could not write the video to disk: ENOSPC" };
  const paid: JobResult = { job: d!, action: "submit", state: "failed", url: "https://v/d.mp4", error: download };
  const note = (list: JobResult[]) =>
    renderSummary(list, [], { journal: "j", elapsedMs: 0 })
      .split("\n")
      .find((line) => line.startsWith("  failed"));
  expect(note([paid])).toBe(
    "  failed         1   paid for but not saved; running the command again downloads them for free",
  );
  expect(note([results[2]!, paid])).toBe(
    "  failed         2   1 not billed, 1 paid for but not saved; running the command again retries them",
  );
});
