import { formatBytes, formatElapsed } from "./format";

/** The spinner's frames; the frame shown is a function of the elapsed time, so rendering stays pure. */
export const SPINNER_FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"] as const;

/** How a line is drawn: `live` for a redrawn terminal line (spinner, bar), else a plain log line. */
export type LineStyle = "live" | "plain";

/** While the generation call is open. */
export interface RenderingState {
  elapsedMs: number;
  /** The attempt in flight, from 1. */
  attempt: number;
}

/** `⠹ Rendering video… 42s` (live) or `rendering… 42s elapsed` (plain); the attempt when above 1. */
export function renderRendering(state: RenderingState, style: LineStyle): string {
  const attempt = state.attempt > 1 ? ` (attempt ${state.attempt})` : "";
  if (style === "plain") return `rendering… ${formatElapsed(state.elapsedMs)} elapsed${attempt}`;
  const frame = SPINNER_FRAMES[Math.floor(state.elapsedMs / 100) % SPINNER_FRAMES.length];
  return `${frame} Rendering video… ${formatElapsed(state.elapsedMs)}${attempt}`;
}

/** While the video downloads. */
export interface DownloadState {
  bytes: number;
  totalBytes: number | undefined;
  /** Milliseconds since the download started. */
  elapsedMs: number;
}

// Narrow enough that the longest line ("1023 MiB / 1023 MiB  1023 MiB/s ETA 59m 59s") fits 80 columns.
const BAR_WIDTH = 14;

function speedAndEta(state: DownloadState): { speed: string; eta: string } {
  const seconds = state.elapsedMs / 1000;
  const rate = seconds > 0 ? state.bytes / seconds : 0;
  const speed = rate > 0 ? `${formatBytes(rate)}/s` : "–/s";
  if (state.totalBytes === undefined || rate <= 0) return { speed, eta: "" };
  return { speed, eta: ` ETA ${formatElapsed(((state.totalBytes - state.bytes) / rate) * 1000)}` };
}

/** `Downloading [#########---------]  45%  12.3 MiB / 27.0 MiB  3.20 MiB/s ETA 5s`, or without a bar when the size is unknown. */
export function renderDownload(state: DownloadState, style: LineStyle): string {
  const { speed, eta } = speedAndEta(state);
  const total = state.totalBytes;
  if (total === undefined || total <= 0)
    return `${style === "live" ? "Downloading" : "downloading…"} ${formatBytes(state.bytes)}  ${speed}`;
  const ratio = Math.min(1, state.bytes / total);
  const percent = `${Math.floor(ratio * 100)}%`.padStart(4);
  const amounts = `${formatBytes(state.bytes)} / ${formatBytes(total)}`;
  if (style === "plain") return `downloading… ${percent.trim()} ${amounts} ${speed}${eta}`;
  const filled = Math.round(ratio * BAR_WIDTH);
  return `Downloading [${"#".repeat(filled)}${"-".repeat(BAR_WIDTH - filled)}] ${percent}  ${amounts}  ${speed}${eta}`;
}

/** The overall state of a batch run. */
export interface BatchProgress {
  /** Jobs this run will touch (not counting ones already done before it started). */
  total: number;
  done: number;
  /** Generations in flight (the paid calls): never more than --concurrency. */
  rendering: number;
  /** Downloads in flight, counted apart (they run beside the next generations). */
  downloading: number;
  /** With --queue, instead of the two above: jobs active on the whole queue (every worker; its in-flight cap). */
  queueActive?: number;
  failed: number;
  uncertain: number;
  elapsedMs: number;
}

/** Remaining time from the rate so far; undefined until a job has finished. */
export function batchEtaMs(state: BatchProgress): number | undefined {
  const finished = state.done + state.failed + state.uncertain;
  if (finished === 0 || state.elapsedMs <= 0) return undefined;
  return ((state.total - finished) * state.elapsedMs) / finished;
}

/** `⠙ batch 45/200 done · 16 rendering · 3 downloading · 2 failed · 1 uncertain · 12s · ETA 40s`. */
export function renderBatch(state: BatchProgress, style: LineStyle): string {
  const eta = batchEtaMs(state);
  const running =
    state.queueActive === undefined
      ? [`${state.rendering} rendering`, `${state.downloading} downloading`]
      : [`${state.queueActive} active on the queue`];
  const parts = [`${state.done}/${state.total} done`, ...running, `${state.failed} failed`];
  if (state.uncertain > 0) parts.push(`${state.uncertain} uncertain`);
  parts.push(formatElapsed(state.elapsedMs));
  if (eta !== undefined) parts.push(`ETA ${formatElapsed(eta)}`);
  const frame = SPINNER_FRAMES[Math.floor(state.elapsedMs / 100) % SPINNER_FRAMES.length];
  return `${style === "live" ? `${frame} batch` : "batch:"} ${parts.join(" · ")}`;
}
