/**
 * `npm run bench`: every figure of README's "Performance" table, measured side by side in one run
 * on this machine (loopback only), printed as a Markdown table with the date and the machine.
 * Builds first (npm run bench runs `npm run build`). Timings are medians of interleaved rounds;
 * compare ratios, not absolute times. `--quick` shortens every measurement (for a smoke run).
 */
import { cpus, totalmem } from "node:os";
import { measureBatch } from "./batch-schedule";
import { measureBundles } from "./bundle-size";
import { measureColdStart } from "./cold-start";
import { measureContract } from "./contract-time";
import { measureDownloads } from "./download-compare";
import { measurePerCall } from "./per-call";
import { measureQueue } from "./queue";
import { measurePoll, measureTaskBatch } from "./task-poll";
import { OPERATIONS } from "../generated/spec-values";
import { fmt, median } from "./lib/stats";

const quick = process.argv.includes("--quick");
const rows: string[][] = [];
const row = (...cells: string[]) => rows.push(cells);
const step = (label: string) => process.stderr.write(`bench: ${label}…\n`);

async function main(): Promise<void> {
  const started = Date.now();
  step("per-call overhead");
  for (const figure of await measurePerCall(quick ? 3 : 15, quick ? 50 : 200)) {
    const peer =
      figure.vsOpenapiFetch === undefined
        ? ""
        : `; ${fmt(figure.vsOpenapiFetch, 2)}× openapi-fetch on the same transport`;
    const condition = figure.mode === "fresh" ? "server closes each connection" : "connections reused";
    row(
      `per call, ${figure.mode} (${condition})`,
      figure.name,
      `${fmt(figure.medianUs)} µs`,
      `${fmt(figure.ratio, 2)}× bare fetch${peer}`,
      `${figure.addedUs >= 0 ? "+" : ""}${fmt(figure.addedUs)} µs`,
    );
  }
  step("browser bundle size");
  for (const figure of await measureBundles())
    row(
      "browser bundle, one call (min+gz)",
      figure.name,
      `${fmt(figure.gzipBytes)} B`,
      `${fmt(figure.minifiedBytes)} B min`,
      "",
    );
  step("cold start");
  for (const figure of measureColdStart(quick ? 5 : 30))
    row(
      "cold start (import)",
      figure.name,
      `${fmt(figure.medianMs, 1)} ms`,
      figure.name === "node -e 0"
        ? "baseline"
        : `${figure.overBareMs >= 0 ? "+" : ""}${fmt(figure.overBareMs, 1)} ms over node -e 0`,
      "",
    );
  step("1 GiB download");
  const downloads = await measureDownloads(quick ? 64 * 1024 * 1024 : 1024 * 1024 * 1024, quick ? 1 : 3);
  const bare = downloads.find((figure) => figure.name === "bare fetch + stream.pipeline")!;
  for (const figure of downloads)
    row(
      `download ${quick ? "64 MiB" : "1 GiB"} to disk`,
      figure.name,
      `${fmt(figure.mibPerSecond)} MiB/s`,
      `${fmt(figure.mibPerSecond / bare.mibPerSecond, 2)}× bare pipeline`,
      `peak RSS ${fmt(figure.peakRssMiB)} MiB`,
    );
  step("batch scheduling");
  for (const figure of await measureBatch(quick ? 32 : 200, 16, 300))
    row(
      "batch 200 jobs, concurrency 16, 300 ms render",
      `sora-video ${figure.mode}`,
      `${fmt(figure.wallMs / 1000, 2)} s`,
      `${fmt(figure.ratio, 2)}× ideal (${fmt(figure.idealMs / 1000, 2)} s)`,
      "",
    );
  step("batch across processes (queue)");
  const queueJobs = quick ? 200 : 1000;
  for (const figure of await measureQueue(queueJobs, 300, quick ? 1 : 3)) {
    const wallMs = median(figure.wallMs);
    const rss = figure.peakRssMiB === undefined ? "" : `worker peak RSS ${fmt(figure.peakRssMiB)} MiB`;
    const ratio = `${fmt(wallMs / figure.idealMs, 2)}× ideal (${fmt(figure.idealMs / 1000, 1)} s)`;
    row(
      `batch ${fmt(queueJobs)} jobs, 30 in flight, 300 ms render`,
      figure.name,
      `${fmt(wallMs / 1000, 2)} s`,
      ratio,
      rss,
    );
  }
  step("task poll overhead");
  for (const figure of await measurePoll(quick ? 3 : 15, quick ? 50 : 200))
    row(
      "one task poll (waitForTask answered `succeeded` at once; keep-alive)",
      figure.name,
      `${fmt(figure.medianUs)} µs`,
      `${fmt(figure.ratio, 2)}× bare fetch GET`,
      `${figure.addedUs >= 0 ? "+" : ""}${fmt(figure.addedUs)} µs`,
    );
  step("batch through the async mock");
  const taskJobs = quick ? 200 : 1000;
  const pollIntervalMs = 50;
  for (const figure of await measureTaskBatch(taskJobs, 30, 300, pollIntervalMs, quick ? 1 : 3)) {
    const wallMs = median(figure.wallMs);
    const runs = figure.wallMs.map((ms) => fmt(ms / 1000, 2)).join(" / ");
    const split =
      figure.submitMs === undefined
        ? `lane ${fmt(figure.laneMs)} ms/job`
        : `lane ${fmt(figure.laneMs)} ms/job (submit ${fmt(figure.submitMs)} + polling ${fmt(figure.pollingMs!)}), ${fmt(figure.pollsPerJob!, 1)} polls/job`;
    row(
      `batch ${fmt(taskJobs)} jobs in-process, 30 in flight, 300 ms render, poll every ${pollIntervalMs} ms`,
      figure.mode === "async" ? "runBatch, async mock (submit, then poll)" : "runBatch, sync mock (same run)",
      `${fmt(wallMs / 1000, 2)} s`,
      `${fmt(wallMs / figure.idealMs, 2)}× ideal (${fmt(figure.idealMs / 1000, 1)} s)`,
      `${split}; rounds ${runs} s`,
    );
  }
  step("contract suite");
  const contract = measureContract();
  row(
    "contract suite (npm run contract)",
    `${contract.tests} tests, ${Object.keys(OPERATIONS).length} operations, 250-body fuzzing each`,
    `${fmt(contract.wallMs / 1000, 1)} s wall`,
    `Prism start ${contract.prismStartMs} ms`,
    "",
  );

  const cpu = cpus()[0]?.model ?? "unknown CPU";
  console.log(
    `Measured ${new Date().toISOString().slice(0, 10)} on ${cpus().length} × ${cpu}, ${fmt(totalmem() / 2 ** 30)} GiB, Node ${process.version}, by \`npm run bench\` (${fmt((Date.now() - started) / 1000)} s).\n`,
  );
  console.log("| measure | contender | figure | ratio | note |\n|---|---|---|---|---|");
  for (const cells of rows) console.log(`| ${cells.join(" | ")} |`);
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
