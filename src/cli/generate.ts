import { InvalidArgumentError, Option, type Command } from "commander";
import { OPERATIONS, REQUEST_FACTS, type GenerateVideoRequest } from "../node";
import { modelsOn, operationFor, type OperationId } from "../operations";
import type { CliContext } from "./context";
import { UsageError, type ExitCode } from "./exit";
import { addClientOptions, parseImageUrl, parsePrompt } from "./options";
import { addSaveOptions, runRender, type RenderCall } from "./render";
import { addWaitOption, finishingTasks, type TaskFlags } from "./task-flow";

/** The flags of `sora-video generate`, as commander hands them over. */
export interface GenerateFlags extends TaskFlags {
  prompt: string;
  image?: string;
  duration?: string;
  resolution?: string;
  aspect?: string;
  model?: string;
}

const { method, path } = OPERATIONS.createVideoGeneration;

/** The operations served on the generations path (one per model page), in spec order. */
const GENERATION_OPERATIONS = Object.keys(REQUEST_FACTS).filter(
  (id) => OPERATIONS[id as OperationId].path === path,
) as Array<OperationId & keyof typeof REQUEST_FACTS>;

/** The request field each value flag sets. */
const FLAG_FIELDS = { duration: "duration", resolution: "resolution", aspect: "aspect_ratio" } as const;

const enumOf = (id: keyof typeof REQUEST_FACTS, field: string): readonly string[] | undefined =>
  (REQUEST_FACTS[id].enums as Record<string, readonly string[] | undefined>)[field];

/** Every duration any model on the path allows, for the flag's own parse. */
const DURATIONS = [...new Set(GENERATION_OPERATIONS.flatMap((id) => enumOf(id, "duration") ?? []))];

/**
 * Parses `--duration`: a spec value (`8`) or the same number of seconds with a unit (`8s`);
 * anything no model allows is refused with the allowed choices listed (each model's own values
 * are checked once the model is known).
 */
export function parseVideoDuration(text: string): string {
  const seconds = /^\s*(\d+)\s*s?\s*$/.exec(text)?.[1];
  if (seconds !== undefined && DURATIONS.includes(seconds)) return seconds;
  throw new InvalidArgumentError(`Allowed choices are ${DURATIONS.join(", ")} (seconds; 8 and 8s both work).`);
}

/** The models `generate` can run, each with its allowed values and defaults, from generated/ (for --help). */
export function modelsHelp(): string {
  const lines = GENERATION_OPERATIONS.map((id) => {
    const facts = REQUEST_FACTS[id];
    const values = Object.entries(FLAG_FIELDS).map(([flag, field]) => {
      const allowed = enumOf(id, field)?.join("|") ?? "any";
      const fallback = (facts.defaults as Record<string, unknown>)[field];
      return `--${flag} ${allowed}${fallback === undefined ? "" : ` (default ${String(fallback)})`}`;
    });
    const needs = (facts.required as readonly string[]).includes("image_url") ? "needs --image" : "no --image";
    return `  ${OPERATIONS[id].defaultModel}: ${needs}; ${values.join("; ")}`;
  });
  return `\nModels (--model; without it: --image given → ${OPERATIONS.createVideoGeneration.defaultModel}, none → ${OPERATIONS.createTextToVideo.defaultModel}):\n${lines.join("\n")}\n`;
}

/** Declares `generate` on the program; `action` receives the parsed flags. */
export function declareGenerate(program: Command, action: (flags: GenerateFlags) => Promise<void>): Command {
  const command = program
    .command("generate")
    .description(
      "Generate one video from a prompt (text-to-video) or a prompt and a first-frame image URL (image-to-video), and save the MP4.",
    )
    .requiredOption("-p, --prompt <text>", "what should happen in the video", parsePrompt)
    .option(
      "-i, --image <url>",
      "http(s) URL of the first-frame image (image-to-video; without it: text-to-video)",
      parseImageUrl,
    )
    .addOption(
      new Option("-d, --duration <seconds>", `length: ${DURATIONS.join(", ")} seconds (8 or 8s)`).argParser(
        parseVideoDuration,
      ),
    )
    .option("-r, --resolution <res>", "resolution (the model's values: see Models below)")
    .option("-a, --aspect <ratio>", "aspect ratio (the model's values: see Models below)")
    .option("-m, --model <name>", `model: ${modelsOn(method, path).join(", ")}`);
  command.addHelpText("after", modelsHelp());
  return addClientOptions(addWaitOption(addSaveOptions(command))).action(action);
}

/**
 * The operation the flags select: `--model`'s, else image-to-video with `--image`, text-to-video
 * without. A model no page documents, or a value the model does not allow, is a UsageError
 * (exit 2, nothing sent) naming the model's allowed values.
 */
export function generateOperation(flags: GenerateFlags): keyof typeof REQUEST_FACTS {
  const chosen = flags.model === undefined ? undefined : operationFor(method, path, flags.model);
  if (flags.model !== undefined && chosen === undefined) {
    throw new UsageError(
      `--model ${flags.model} is not a documented model`,
      `use one of ${modelsOn(method, path).join(", ")}`,
    );
  }
  const id = (chosen ??
    (flags.image === undefined ? "createTextToVideo" : "createVideoGeneration")) as keyof typeof REQUEST_FACTS;
  const model = flags.model ?? OPERATIONS[id].defaultModel;
  for (const [flag, field] of Object.entries(FLAG_FIELDS)) {
    const value = flags[flag as keyof typeof FLAG_FIELDS];
    const allowed = enumOf(id, field);
    if (value !== undefined && allowed && !allowed.includes(value)) {
      throw new UsageError(`--${flag} ${value} is not allowed for ${model}`, `allowed: ${allowed.join(", ")}`);
    }
  }
  const fields: readonly string[] = REQUEST_FACTS[id].fields;
  if (flags.image !== undefined && !fields.includes("image_url")) {
    throw new UsageError(
      `--image is not taken by ${model} (text-to-video)`,
      "drop --image, or choose an image-to-video --model",
    );
  }
  return id;
}

/** Runs `generate`: renders with a live line, downloads with a progress bar, prints the path (or JSON). */
export async function runGenerate(flags: GenerateFlags, context: CliContext): Promise<ExitCode> {
  const id = generateOperation(flags);
  const request: Record<string, unknown> = { prompt: flags.prompt, model: flags.model ?? OPERATIONS[id].defaultModel };
  if (flags.image !== undefined) request.image_url = flags.image;
  for (const [flag, field] of Object.entries(FLAG_FIELDS)) {
    const value = flags[flag as keyof typeof FLAG_FIELDS];
    if (value !== undefined) request[field] = value;
  }
  const submit: RenderCall = (client, options) => client.generateVideo(request as GenerateVideoRequest, options);
  return runRender(flags, context, finishingTasks(submit, flags));
}
