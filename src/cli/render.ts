import type { Command } from "commander";
import {
  createSoraClient,
  isSoraError,
  ResponseValidationError,
  type CallOptions,
  type NodeSoraClient,
  type RenderResponse,
} from "../node";
import type { CliContext } from "./context";
import { downloadCommand } from "./download-command";
import { EXIT, InterruptedError, type ExitCode } from "./exit";
import { listenTwoStep } from "./interrupt";
import { cliDisplay, clientConfig, type ClientFlags } from "./options";
import { checkOutTarget, videoFileName, videoPath } from "./out-path";
import type { Display } from "./progress/display";
import { formatElapsed } from "./progress/format";
import { renderRendering } from "./progress/render";
import { errorJson } from "./report";
import { saveVideo } from "./save-video";
import { pendingTaskIdOf, taskCommand } from "./task-command";

/** The flags every command that renders one video shares (`generate`, `remix`). */
export interface SaveFlags extends ClientFlags {
  out?: string;
  download: boolean;
  overwrite?: boolean;
  json?: boolean;
  /** false with --no-wait (generate, remix): an accepted task is reported, not waited for. */
  wait?: boolean;
}

/** Adds the save options (--out, --no-download, --overwrite, --json) to a rendering command. */
export function addSaveOptions(command: Command): Command {
  return command
    .option("-o, --out <path>", "a file, or a directory (existing, or ending in /) for <video_id>.mp4 (default: .)")
    .option("--no-download", "only print the video URL; do not save the file")
    .option("--overwrite", "replace --out if it exists")
    .option("--json", "print exactly one JSON result on stdout (progress stays on stderr)");
}

/**
 * Sends the one paid call of a rendering command, with the CLI's signal and progress (and its
 * display, for notes). It answers any operation's 200 body: the rendering code reads only what
 * they all have (`data[0].url`, `video_id`, `revised_prompt`, `created`), so a page that
 * guarantees more breaks nothing here.
 */
export type RenderCall = (client: NodeSoraClient, options: CallOptions, display: Display) => Promise<RenderResponse>;

/**
 * Runs one rendering command: checks --out before anything is sent, makes the paid call with a
 * live line (the first Ctrl-C warns, the second abandons), downloads with a progress bar, and
 * prints the path (or one JSON document). After a failed save it names `sora-video download`.
 */
export async function runRender(flags: SaveFlags, context: CliContext, call: RenderCall): Promise<ExitCode> {
  const config = clientConfig(flags, context.env);
  const overwrite = flags.overwrite === true;
  // Every path problem is found here, before the (paid) request is sent.
  const target = flags.download ? await checkOutTarget(flags.out, overwrite) : undefined;
  const display: Display = cliDisplay(flags.progress, context);
  const debug = flags.debug ? (message: string) => display.log(`debug: ${message}`) : undefined;
  const warn = (message: string) => display.log(`warning: ${message}`);
  const client = createSoraClient({ ...config, logger: { warn, debug } });

  let phase: "render" | "download" = "render";
  const interrupt = listenTwoStep(context, (line) => display.log(line), {
    first:
      "Ctrl-C: the request was sent, so the render may already be billed; still waiting for it. " +
      "Press Ctrl-C again to abandon it.",
    second: () => (phase === "render" ? "Abandoning the render (it may still be billed)." : "Stopping the download."),
    immediate: () => phase === "download",
  });
  const started = Date.now();
  let videoUrl: string | undefined;
  let dest: string | undefined;
  try {
    display.log(
      `Sending the request to ${new URL(config.baseUrl).host}; rendering takes minutes and is billed once accepted.`,
    );
    const response = await call(
      client,
      {
        signal: interrupt.abort,
        progressIntervalMs: display.live ? 100 : 1_000,
        onProgress: (progress) => display.status("render", (style) => renderRendering(progress, style)),
      },
      display,
    );
    display.end();
    const video = response.data[0];
    if (!video?.url)
      throw new ResponseValidationError([{ path: "/data/0/url", message: "is missing" }], response, undefined);
    videoUrl = video.url;
    display.log(
      `Rendered in ${formatElapsed(Date.now() - started)}${video.video_id ? ` (video ${video.video_id})` : ""}.`,
    );
    let saved: { path: string; bytes: number } | undefined;
    if (target) {
      phase = "download";
      const name = videoFileName({ url: video.url, video_id: video.video_id }, response.created);
      dest = await videoPath(target, name, overwrite);
      saved = await saveVideo(video.url, dest, { display, signal: interrupt.abort, overwrite });
    }
    const result = {
      ok: true,
      url: video.url,
      video_id: video.video_id,
      revised_prompt: video.revised_prompt,
      created: response.created,
      path: saved?.path,
      bytes: saved?.bytes,
      elapsedMs: Date.now() - started,
    };
    context.stdout.write(flags.json ? `${JSON.stringify(result)}\n` : `${saved?.path ?? video.url}\n`);
    return EXIT.ok;
  } catch (caught) {
    display.end();
    // downloadVideo reports Ctrl-C as a DownloadError; the CLI reports it as an interruption (exit 130).
    const error =
      interrupt.abort.aborted && !isSoraError(caught, "APIUserAbortError")
        ? new InterruptedError("Interrupted while saving the video; nothing was written to --out.")
        : caught;
    const command = videoUrl === undefined ? undefined : downloadCommand(videoUrl, dest);
    if (command !== undefined) {
      display.log("The video was generated (and may be billed). Save it again, for free, with:");
      display.logCommand(command);
    }
    const taskId = videoUrl === undefined ? pendingTaskIdOf(error) : undefined;
    const finish = taskId === undefined ? undefined : taskCommand(taskId, flags.out);
    if (finish !== undefined) {
      display.log(`Task ${taskId} was accepted (it is billed) and is not finished. Finish it, for free, with:`);
      display.logCommand(finish);
    }
    if (flags.json) {
      const task = taskId === undefined ? {} : { task_id: taskId, task_command: finish };
      const report = { ok: false, error: errorJson(error), url: videoUrl, download_command: command, ...task };
      context.stdout.write(`${JSON.stringify(report)}\n`);
    }
    throw error;
  } finally {
    interrupt.dispose();
  }
}
