import type { Command } from "commander";
import { OPERATIONS, type VideoRemixRequest } from "../node";
import type { CliContext } from "./context";
import type { ExitCode } from "./exit";
import { addClientOptions, parsePrompt } from "./options";
import { addSaveOptions, runRender, type RenderCall } from "./render";
import { addWaitOption, finishingTasks, type TaskFlags } from "./task-flow";

/** The flags of `sora-video remix`, as commander hands them over. */
export interface RemixFlags extends TaskFlags {
  videoId: string;
  prompt: string;
  model?: string;
}

/** Declares `remix` on the program; `action` receives the parsed flags. */
export function declareRemix(program: Command, action: (flags: RemixFlags) => Promise<void>): Command {
  const command = program
    .command("remix")
    .description("Remix a video from an earlier Sora generation with a new prompt, and save the MP4.")
    .requiredOption("-v, --video-id <id>", "the video_id of an earlier generation (generate --json prints it)")
    .requiredOption("-p, --prompt <text>", "how the remix should change the video", parsePrompt)
    .option("-m, --model <name>", `model (default: the page's example, ${OPERATIONS.createVideoRemix.defaultModel})`);
  return addClientOptions(addWaitOption(addSaveOptions(command))).action(action);
}

/** Runs `remix`: the same live line, Ctrl-C rules, download and output as `generate`. */
export function runRemix(flags: RemixFlags, context: CliContext): Promise<ExitCode> {
  const request: VideoRemixRequest = { video_id: flags.videoId, prompt: flags.prompt };
  if (flags.model) request.model = flags.model;
  const submit: RenderCall = (client, options) => client.remixVideo(request, options);
  return runRender(flags, context, finishingTasks(submit, flags));
}
