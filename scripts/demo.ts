/**
 * `npm run demo`: the main job end to end, right after `npm ci`, with no API key and no network.
 * Starts the embedded mock gateway on a free loopback port (1.5 s of simulated render time),
 * generates a video through the real client, downloads it into out/ with progress, checks it is an
 * MP4 by walking its boxes, stops the mock and exits 0. On failure: one line on stderr, exit 1.
 * `--out <dir>` writes somewhere other than out/.
 */
import { join, relative } from "node:path";
import { createSoraClient, type VideoGenerationRequest } from "../src/node/index";
import { inspectMp4File, startMockServer } from "../src/node/mock/index";

const LATENCY_MS = 1500;
const REQUEST: VideoGenerationRequest = {
  prompt: "The cat turns and walks away",
  image_url: "https://example.com/cat.png",
  duration: "4",
  resolution: "720p",
  aspect_ratio: "16:9",
};

const tty = Boolean(process.stdout.isTTY);
const say = (line: string) => process.stdout.write(`${line}\n`);
let lastStatus = "";
/** A progress line: rewritten in place on a terminal, one line per change otherwise. */
const status = (line: string) => {
  if (line !== lastStatus) process.stdout.write(tty ? `\r\x1b[2K  ${line}` : `  ${line}\n`);
  lastStatus = line;
};
const endStatus = () => tty && process.stdout.write("\n");

function outputDirectory(): string {
  const index = process.argv.indexOf("--out");
  const value = index === -1 ? undefined : process.argv[index + 1];
  if (index !== -1 && !value) throw new Error("--out needs a directory");
  return value ?? join(__dirname, "..", "out");
}

async function main(): Promise<void> {
  const started = Date.now();
  const dest = join(outputDirectory(), "demo.mp4");
  const mock = await startMockServer({ latencyMs: LATENCY_MS });
  try {
    say(
      `1/4  Started the embedded mock gateway at ${mock.url} (no API key needed; renders take ${LATENCY_MS / 1000} s).`,
    );
    const sora = createSoraClient({
      apiKey: "demo-key-for-the-local-mock",
      baseUrl: mock.url,
      validateResponses: "throw",
    });
    say(
      `2/4  POST /v1/videos/generations through createSoraClient: "${REQUEST.prompt}" (${REQUEST.duration} s, ${REQUEST.resolution}, ${REQUEST.aspect_ratio})`,
    );
    const video = await sora.generateVideo(REQUEST, {
      progressIntervalMs: tty ? 100 : 500,
      onProgress: ({ elapsedMs }) => status(`rendering… ${(elapsedMs / 1000).toFixed(1)} s`),
    });
    endStatus();
    const generated = video.data[0];
    if (!generated?.url) throw new Error("the response carried no video URL");
    say(`     Generated ${generated.video_id ?? "a video"}; revised prompt: "${generated.revised_prompt ?? ""}"`);
    say(`3/4  Downloading ${generated.url}`);
    const result = await sora.downloadVideo(generated.url, dest, {
      overwrite: true,
      onProgress: ({ bytes, totalBytes }) => status(`${bytes} / ${totalBytes ?? "?"} bytes`),
    });
    endStatus();
    const { boxes, problems } = inspectMp4File(result.path);
    if (problems.length > 0) throw new Error(`the downloaded file is not a valid MP4: ${problems.join("; ")}`);
    say(`4/4  Checked: a valid MP4 of ${result.bytes} bytes (boxes: ${boxes.map((box) => box.type).join(", ")}).`);
    say("");
    say(
      `Done in ${((Date.now() - started) / 1000).toFixed(1)} s. The video is at ${relative(process.cwd(), result.path) || result.path}`,
    );
    say(
      `The mock accepted ${mock.stats.accepted} generation and served ${mock.stats.downloads} download; it is stopped now.`,
    );
    say("Against the real gateway: set ONEROUTER_API_KEY and drop baseUrl (see README).");
  } finally {
    await mock.close();
  }
}

main().catch((error: unknown) => {
  endStatus();
  process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
