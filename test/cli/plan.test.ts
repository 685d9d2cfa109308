import type { JobState, JobStatus } from "../../src/batch/journal-state";
import { planJob } from "../../src/batch/plan";
import { runPool } from "../../src/cli/batch/pool";

function status(state: JobState, url?: string): JobStatus {
  return { state, fingerprint: "f", url, submissions: 1, path: undefined, error: undefined };
}

describe("planJob", () => {
  test.each([
    ["never seen", undefined, "submit", "submit"],
    ["pending", status("pending"), "submit", "submit"],
    ["refused (a crash while waiting to re-send a certain refusal)", status("refused"), "submit", "submit"],
    ["submitted (crash mid-call)", status("submitted"), "skip-uncertain", "submit"],
    ["uncertain", status("uncertain"), "skip-uncertain", "submit"],
    ["generated", status("generated", "http://v/1"), "download", "download"],
    ["failed before a video existed", status("failed"), "submit", "submit"],
    ["failed while downloading", status("failed", "http://v/1"), "download", "download"],
    ["done", status("done"), "skip-done", "skip-done"],
  ] as const)("%s → %s (with --retry-uncertain: %s)", (_name, given, want, wantRetrying) => {
    expect(planJob(given, false)).toBe(want);
    expect(planJob(given, true)).toBe(wantRetrying);
  });
});

describe("runPool", () => {
  const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

  test.each([1, 3, 16])("runs every item with at most %d at once, and really in parallel", async (concurrency) => {
    let running = 0;
    let peak = 0;
    const seen: number[] = [];
    await runPool(
      Array.from({ length: 20 }, (_, index) => index),
      concurrency,
      async (item) => {
        running += 1;
        peak = Math.max(peak, running);
        await tick();
        seen.push(item);
        running -= 1;
      },
    );
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, index) => index));
    expect(peak).toBe(concurrency);
  });

  test("once shouldStop is true nothing new starts, and the running ones finish", async () => {
    const started: number[] = [];
    const finished: number[] = [];
    let stop = false;
    await runPool(
      [0, 1, 2, 3, 4, 5],
      2,
      async (item) => {
        started.push(item);
        if (item === 1) stop = true;
        await tick();
        finished.push(item);
      },
      () => stop,
    );
    expect(started).toEqual([0, 1]);
    expect(finished.sort()).toEqual([0, 1]);
  });

  test("a worker's error stops new starts and is rethrown after the others settle", async () => {
    const finished: number[] = [];
    const run = runPool([0, 1, 2, 3], 2, async (item) => {
      await tick();
      if (item === 0) throw new Error("disk full");
      await tick();
      finished.push(item);
    });
    await expect(run).rejects.toThrow("disk full");
    expect(finished).toEqual([1]);
  });

  test("rejects a concurrency below 1", async () => {
    await expect(runPool([1], 0, async () => undefined)).rejects.toThrow(RangeError);
  });
});
