import { InvalidArgumentError, Option, type Command } from "commander";
import { OPERATIONS, REQUEST_ENUMS, type VideoGenerationRequest } from "../node";
import type { CliContext } from "./context";
import type { ExitCode } from "./exit";
import { addClientOptions } from "./options";
import { addSaveOptions, runRender, type SaveFlags } from "./render";

/** The flags of `sora-video generate`, as commander hands them over. */
export interface GenerateFlags extends SaveFlags {
  prompt: string;
  image: string;
  duration?: VideoGenerationRequest["duration"];
  resolution?: VideoGenerationRequest["resolution"];
  aspect?: VideoGenerationRequest["aspect_ratio"];
  model?: string;
}

type Duration = NonNullable<VideoGenerationRequest["duration"]>;

/**
 * Parses `--duration`: the spec's value (`8`) or the same number of seconds with a unit (`8s`);
 * anything else is refused with the allowed choices listed.
 */
export function parseVideoDuration(text: string): Duration {
  const seconds = /^\s*(\d+)\s*s?\s*$/.exec(text)?.[1];
  const choice = REQUEST_ENUMS.duration.find((allowed) => allowed === seconds);
  if (choice !== undefined) return choice;
  const allowed = REQUEST_ENUMS.duration.join(", ");
  throw new InvalidArgumentError(`Allowed choices are ${allowed} (seconds; 8 and 8s both work).`);
}

/** Declares `generate` on the program; `action` receives the parsed flags. */
export function declareGenerate(program: Command, action: (flags: GenerateFlags) => Promise<void>): Command {
  const command = program
    .command("generate")
    .description("Generate one video from a prompt and a first-frame image URL, and save the MP4.")
    .requiredOption("-p, --prompt <text>", "what should happen in the video")
    .requiredOption("-i, --image <url>", "URL of the first-frame image")
    .addOption(
      new Option(
        "-d, --duration <seconds>",
        `length: ${REQUEST_ENUMS.duration.join(", ")} seconds (8 or 8s)`,
      ).argParser(parseVideoDuration),
    )
    .addOption(new Option("-r, --resolution <res>", "resolution").choices(REQUEST_ENUMS.resolution))
    .addOption(new Option("-a, --aspect <ratio>", "aspect ratio").choices(REQUEST_ENUMS.aspect_ratio))
    .option(
      "-m, --model <name>",
      `model (default: the page's example, ${OPERATIONS["/v1/videos/generations"].defaultModel})`,
    );
  return addClientOptions(addSaveOptions(command)).action(action);
}

/** Runs `generate`: renders with a live line, downloads with a progress bar, prints the path (or JSON). */
export function runGenerate(flags: GenerateFlags, context: CliContext): Promise<ExitCode> {
  const request: VideoGenerationRequest = { prompt: flags.prompt, image_url: flags.image };
  if (flags.duration) request.duration = flags.duration;
  if (flags.resolution) request.resolution = flags.resolution;
  if (flags.aspect) request.aspect_ratio = flags.aspect;
  if (flags.model) request.model = flags.model;
  return runRender(flags, context, (client, options) => client.generateVideo(request, options));
}
