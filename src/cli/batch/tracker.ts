import type { Display } from "../progress/display";
import { formatBytes } from "../progress/format";
import { renderBatch, type BatchProgress } from "../progress/render";
import type { BatchEvent, JobResult } from "./scheduler";
import { categoryOf } from "./summary";

/**
 * One finished job's log line: `✓ a (line 1) → out/a.mp4 (2.0 MiB)`, `✗ b (line 2) failed: …` or
 * `? c (line 3) uncertain: …`; on a terminal cut to its width, the mark coloured.
 */
export function describeFinish(result: JobResult, display: Display): string {
  const name = `${result.job.id} (line ${result.job.line})`;
  const category = categoryOf(result);
  let mark: string;
  let line: string;
  if (result.state === "done") {
    const size = result.bytes === undefined ? "" : ` (${formatBytes(result.bytes)})`;
    mark = display.paint("ok", "✓");
    line = `✓ ${name} → ${result.path ?? result.job.out}${size}`;
  } else {
    const reason = result.error ? `: ${result.error.name}: ${result.error.message}` : "";
    mark = category === "uncertain" ? display.paint("warn", "?") : display.paint("fail", "✗");
    line = `${category === "uncertain" ? "?" : "✗"} ${name} ${category}${reason}`;
  }
  return `${mark}${display.fit(line).slice(1)}`;
}

/**
 * Progress counters fed by the scheduler's events, drawn on the display: generations in flight
 * (at most --concurrency) and downloads in flight apart, by job, so no job counts twice.
 */
export function progressTracker(display: Display, onFinish: (result: JobResult) => void) {
  const startedAt = Date.now();
  const rendering = new Set<string>();
  const downloading = new Set<string>();
  const state: BatchProgress = {
    total: 0,
    done: 0,
    rendering: 0,
    downloading: 0,
    failed: 0,
    uncertain: 0,
    elapsedMs: 0,
  };
  const draw = () => {
    state.elapsedMs = Date.now() - startedAt;
    state.rendering = rendering.size;
    state.downloading = downloading.size;
    display.status("batch", (style) => renderBatch(state, style));
  };
  const onEvent = (event: BatchEvent): void => {
    if (event.type === "planned") state.total = event.runnable;
    else if (event.type === "start" && event.action === "submit") rendering.add(event.job.id);
    else if (event.type === "generated") rendering.delete(event.job.id);
    else if (event.type === "download") downloading.add(event.job.id);
    else if (event.type === "recovered") {
      display.log(`? ${event.id}: the last run stopped while its request was open; marked uncertain`);
    } else if (event.type === "changed") {
      const job = `${event.job.id} (line ${event.job.line})`;
      const kept = 'its journaled state is kept (give it a new "id" to run it as a new job)';
      display.log(`! ${job} changed since it was journaled; ${kept}`);
    } else if (event.type === "disk-failure") {
      display.log(
        `Stopping: the disk of --out failed (${event.message}); no new job starts. ` +
          "Free space (or fix the disk), then run the same command again: videos already paid for are saved for free.",
      );
    } else if (event.type === "finish") {
      rendering.delete(event.result.job.id);
      downloading.delete(event.result.job.id);
      const category = categoryOf(event.result);
      if (category === "done" || category === "failed" || category === "uncertain") state[category] += 1;
      display.log(describeFinish(event.result, display));
      onFinish(event.result);
    }
    draw();
  };
  return { onEvent, draw, startedAt };
}
