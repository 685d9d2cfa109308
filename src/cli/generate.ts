import { Option, type Command } from "commander";
import {
  createSoraClient,
  isSoraError,
  REQUEST_ENUMS,
  ResponseValidationError,
  type VideoGenerationRequest,
} from "../node";
import { redactText } from "../redact";
import type { CliContext } from "./context";
import { downloadCommand } from "./download-command";
import { EXIT, InterruptedError, type ExitCode } from "./exit";
import { listenTwoStep } from "./interrupt";
import { addClientOptions, clientConfig, useLiveDisplay, type ClientFlags } from "./options";
import { checkOutTarget, videoFileName, videoPath } from "./out-path";
import { createDisplay, type Display } from "./progress/display";
import { formatElapsed } from "./progress/format";
import { renderRendering } from "./progress/render";
import { errorJson } from "./report";
import { saveVideo } from "./save-video";

/** The flags of `sora-video generate`, as commander hands them over. */
export interface GenerateFlags extends ClientFlags {
  prompt: string;
  image: string;
  duration?: VideoGenerationRequest["duration"];
  resolution?: VideoGenerationRequest["resolution"];
  aspect?: VideoGenerationRequest["aspect_ratio"];
  model?: string;
  out?: string;
  download: boolean;
  overwrite?: boolean;
  json?: boolean;
}

/** Declares `generate` on the program; `action` receives the parsed flags. */
export function declareGenerate(program: Command, action: (flags: GenerateFlags) => Promise<void>): Command {
  const command = program
    .command("generate")
    .description("Generate one video from a prompt and a first-frame image URL, and save the MP4.")
    .requiredOption("-p, --prompt <text>", "what should happen in the video")
    .requiredOption("-i, --image <url>", "URL of the first-frame image")
    .addOption(new Option("-d, --duration <seconds>", "length in seconds").choices(REQUEST_ENUMS.duration))
    .addOption(new Option("-r, --resolution <res>", "resolution").choices(REQUEST_ENUMS.resolution))
    .addOption(new Option("-a, --aspect <ratio>", "aspect ratio").choices(REQUEST_ENUMS.aspect_ratio))
    .option("-m, --model <name>", "model (default: the vendor's documented sora-2-pro-image-to-video)")
    .option("-o, --out <path>", "a file, or a directory (existing, or ending in /) for <video_id>.mp4 (default: .)")
    .option("--no-download", "only print the video URL; do not save the file")
    .option("--overwrite", "replace --out if it exists")
    .option("--json", "print exactly one JSON result on stdout (progress stays on stderr)");
  return addClientOptions(command).action(action);
}

/** Runs `generate`: renders with a live line, downloads with a progress bar, prints the path (or JSON). */
export async function runGenerate(flags: GenerateFlags, context: CliContext): Promise<ExitCode> {
  const config = clientConfig(flags, context.env);
  const overwrite = flags.overwrite === true;
  // Every path problem is found here, before the (paid) request is sent.
  const target = flags.download ? await checkOutTarget(flags.out, overwrite) : undefined;
  const live = useLiveDisplay(flags.progress, context.stderr.isTTY === true, context.env);
  const display: Display = createDisplay({ live, stream: context.stderr });
  const debug = flags.debug ? (message: string) => display.log(`debug: ${message}`) : undefined;
  const warn = (message: string) => display.log(`warning: ${message}`);
  const client = createSoraClient({ ...config, logger: { warn, debug } });
  const request: VideoGenerationRequest = { prompt: flags.prompt, image_url: flags.image };
  if (flags.duration) request.duration = flags.duration;
  if (flags.resolution) request.resolution = flags.resolution;
  if (flags.aspect) request.aspect_ratio = flags.aspect;
  if (flags.model) request.model = flags.model;

  let phase: "render" | "download" = "render";
  const interrupt = listenTwoStep(context, (line) => display.log(line), {
    first: "Ctrl-C: the request was sent, so the render may already be billed; still waiting for it. "
      + "Press Ctrl-C again to abandon it.",
    second: () => (phase === "render" ? "Abandoning the render (it may still be billed)." : "Stopping the download."),
    immediate: () => phase === "download",
  });
  const started = Date.now();
  let videoUrl: string | undefined;
  let dest: string | undefined;
  try {
    display.log(`Sending the request to ${new URL(config.baseUrl).host}; rendering takes minutes and is billed once accepted.`);
    const response = await client.generateVideo(request, {
      signal: interrupt.abort,
      progressIntervalMs: display.live ? 100 : 1_000,
      onProgress: (progress) => display.status("render", (style) => renderRendering(progress, style)),
    });
    display.end();
    const video = response.data[0];
    if (!video?.url) throw new ResponseValidationError([{ path: "/data/0/url", message: "is missing" }], response, undefined);
    videoUrl = video.url;
    display.log(`Rendered in ${formatElapsed(Date.now() - started)}${video.video_id ? ` (video ${video.video_id})` : ""}.`);
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
    const error = interrupt.abort.aborted && !isSoraError(caught, "APIUserAbortError")
      ? new InterruptedError("Interrupted while saving the video; nothing was written to --out.")
      : caught;
    const command = videoUrl === undefined ? undefined : downloadCommand(videoUrl, dest, config.apiKey);
    if (command !== undefined) {
      display.log(`The video was generated (and may be billed). Save it again, for free, with:\n  ${command}`);
    }
    if (flags.json) {
      const report = { ok: false, error: errorJson(error), url: videoUrl, download_command: command };
      context.stdout.write(`${redactText(JSON.stringify(report), config.apiKey)}\n`);
    }
    throw error;
  } finally {
    interrupt.dispose();
  }
}
