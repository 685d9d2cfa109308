import { access, mkdir } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { Option, type Command } from "commander";
import { createSoraClient, downloadVideo, isSoraError, REQUEST_ENUMS, ResponseValidationError, type VideoGenerationRequest } from "../node";
import { redactText } from "../redact";
import type { CliContext } from "./context";
import { EXIT, InterruptedError, UsageError, type ExitCode } from "./exit";
import { addClientOptions, clientConfig, useLiveDisplay, type ClientFlags } from "./options";
import { createDisplay, type Display } from "./progress/display";
import { formatBytes, formatElapsed } from "./progress/format";
import { renderDownload, renderRendering } from "./progress/render";

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
    .option("-o, --out <file>", "where to save the MP4 (default: <video_id>.mp4 in the current directory)")
    .option("--no-download", "only print the video URL; do not save the file")
    .option("--overwrite", "replace --out if it exists")
    .option("--json", "print exactly one JSON result on stdout (progress stays on stderr)");
  return addClientOptions(command).action(action);
}

/** Checks --out before anything is sent (a paid render must not fail at the last step): creates its directory, refuses to replace a file without --overwrite. */
async function prepareOut(flags: GenerateFlags): Promise<void> {
  if (!flags.download || flags.out === undefined) return;
  const dest = resolve(flags.out);
  await mkdir(dirname(dest), { recursive: true });
  const taken = await access(dest).then(
    () => true,
    () => false,
  );
  if (taken && !flags.overwrite) throw new UsageError(`${flags.out} already exists.`, "pass --overwrite to replace it, or choose another --out.");
}

function defaultFileName(videoId: string | undefined, created: number): string {
  return `${(videoId || `sora-${created}`).replace(/[^\w.-]+/g, "_")}.mp4`;
}

/** Runs `generate`: renders with a live line, downloads with a progress bar, prints the path (or JSON). */
export async function runGenerate(flags: GenerateFlags, context: CliContext): Promise<ExitCode> {
  const config = clientConfig(flags, context.env);
  await prepareOut(flags);
  const display: Display = createDisplay({ live: useLiveDisplay(flags.progress, context.stderr.isTTY === true, context.env), stream: context.stderr });
  const client = createSoraClient({
    ...config,
    logger: { warn: (message) => display.log(`warning: ${message}`), debug: flags.debug ? (message) => display.log(`debug: ${message}`) : undefined },
  });
  const request: VideoGenerationRequest = { prompt: flags.prompt, image_url: flags.image };
  if (flags.duration) request.duration = flags.duration;
  if (flags.resolution) request.resolution = flags.resolution;
  if (flags.aspect) request.aspect_ratio = flags.aspect;
  if (flags.model) request.model = flags.model;

  const controller = new AbortController();
  const stopListening = context.onInterrupt(() => controller.abort(new Error("interrupted")));
  const started = Date.now();
  let videoUrl: string | undefined;
  try {
    display.log(`Sending the request to ${new URL(config.baseUrl).host}; rendering takes minutes and is billed once accepted.`);
    const response = await client.generateVideo(request, {
      signal: controller.signal,
      progressIntervalMs: display.live ? 100 : 1_000,
      onProgress: (progress) => display.status("render", (style) => renderRendering(progress, style)),
    });
    display.end();
    const video = response.data[0];
    if (!video?.url) throw new ResponseValidationError([{ path: "/data/0/url", message: "is missing" }], response, undefined);
    videoUrl = video.url;
    display.log(`Rendered in ${formatElapsed(Date.now() - started)}${video.video_id ? ` (video ${video.video_id})` : ""}.`);
    let saved: { path: string; bytes: number } | undefined;
    if (flags.download) {
      const downloadStarted = Date.now();
      const dest = resolve(flags.out ?? defaultFileName(video.video_id, response.created));
      saved = await downloadVideo(video.url, dest, {
        signal: controller.signal,
        overwrite: flags.overwrite === true,
        onProgress: (progress) => display.status("download", (style) => renderDownload({ ...progress, elapsedMs: Date.now() - downloadStarted }, style)),
      });
      display.end();
      display.log(`Saved ${saved.path} (${formatBytes(saved.bytes)}).`);
    }
    const result = { ok: true, url: video.url, video_id: video.video_id, revised_prompt: video.revised_prompt, created: response.created, path: saved?.path, bytes: saved?.bytes, elapsedMs: Date.now() - started };
    context.stdout.write(flags.json ? `${JSON.stringify(result)}\n` : `${saved?.path ?? video.url}\n`);
    return EXIT.ok;
  } catch (caught) {
    display.end();
    // downloadVideo reports Ctrl-C as a DownloadError; the CLI reports it as an interruption (exit 130).
    const error = controller.signal.aborted && !isSoraError(caught, "APIUserAbortError") ? new InterruptedError("Interrupted while saving the video; nothing was written to --out.") : caught;
    if (videoUrl !== undefined) display.log(`The video was generated; its URL: ${videoUrl}`);
    if (flags.json) {
      const detail = typeof (error as { toJSON?: unknown }).toJSON === "function" ? (error as { toJSON(): unknown }).toJSON() : { name: (error as Error).name, message: (error as Error).message };
      context.stdout.write(`${redactText(JSON.stringify({ ok: false, error: detail, url: videoUrl }), config.apiKey)}\n`);
    }
    throw error;
  } finally {
    stopListening();
  }
}
