import { join } from "node:path";
import type { Command } from "commander";
import type { CliContext } from "./context";
import { parseVideoUrl } from "../node/download/safe-url";
import { EXIT, InterruptedError, UsageError, type ExitCode } from "./exit";
import { listenTwoStep } from "./interrupt";
import { addDisplayOptions, cliDisplay, type DisplayFlags } from "./options";
import { checkOutTarget, refuseExisting, videoFileName } from "./out-path";
import { errorJson } from "./report";
import { saveVideo } from "./save-video";

/** The flags of `sora-video download`, as commander hands them over. */
export interface DownloadFlags extends DisplayFlags {
  out?: string;
  overwrite?: boolean;
  json?: boolean;
}

/** Declares `download` on the program; `action` receives the URL and the parsed flags. */
export function declareDownload(
  program: Command,
  action: (url: string, flags: DownloadFlags) => Promise<void>,
): Command {
  const command = program
    .command("download")
    .description("Save an already generated video from its URL (free: nothing is generated; no API key is used).")
    .argument("<url>", "the video URL a generation returned, whole (a signed URL needs its query string)")
    .option("-o, --out <path>", "a file, or a directory (existing, or ending in /) (default: the URL's file name in .)")
    .option("--overwrite", "replace the file if it exists")
    .option("--json", "print exactly one JSON result on stdout (progress stays on stderr)");
  return addDisplayOptions(command, false).action(action);
}

/** The URL argument, checked before anything else: one that is not an http(s) URL is a usage error (exit 2). */
function checkVideoUrl(url: string): void {
  try {
    parseVideoUrl(url);
  } catch (error) {
    throw new UsageError(
      `${(error as Error).message}.`,
      "pass the whole http(s) URL a generation returned (with its query string), in quotes.",
    );
  }
}

/**
 * Runs `download`: the same verified, atomic downloadVideo as generate and batch (what arrives must
 * be a video; an existing file is replaced only with --overwrite, and only once the new one is
 * complete). Ctrl-C stops at once (a download costs nothing to run again): exit 130.
 */
export async function runDownload(url: string, flags: DownloadFlags, context: CliContext): Promise<ExitCode> {
  checkVideoUrl(url);
  const overwrite = flags.overwrite === true;
  const target = await checkOutTarget(flags.out, overwrite);
  const dest = target.kind === "file" ? target.path : join(target.path, videoFileName({ url }));
  if (target.kind === "directory") await refuseExisting(dest, dest, overwrite);
  const display = cliDisplay(flags.progress, context);
  // A download is free to run again, so one Ctrl-C stops it.
  const stopping = { first: "", second: "Stopping the download.", immediate: () => true };
  const interrupt = listenTwoStep(context, (line) => display.log(line), stopping);
  try {
    const saved = await saveVideo(url, dest, { display, signal: interrupt.abort, overwrite });
    const json = () => `${JSON.stringify({ ok: true, path: saved.path, bytes: saved.bytes })}\n`;
    context.stdout.write(flags.json ? json() : `${saved.path}\n`);
    return EXIT.ok;
  } catch (caught) {
    display.end();
    const interrupted = () => new InterruptedError(`Interrupted; nothing was written to ${dest}.`);
    const error = interrupt.abort.aborted ? interrupted() : caught;
    // No key is involved in a download: nothing to redact.
    if (flags.json) context.stdout.write(`${JSON.stringify({ ok: false, error: errorJson(error) })}\n`);
    throw error;
  } finally {
    interrupt.dispose();
  }
}
