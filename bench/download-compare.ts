/**
 * Download throughput and peak RSS, side by side: this package's downloadVideo, a bare
 * `stream.pipeline(fetch body → file)`, the same followed by an fsync (the floor of a download that
 * is durable once it reports success, as downloadVideo's is), and `curl -o`, each fetching the same 1 GiB video from the
 * embedded mock (in its own process) to disk, in a fresh child process per run, in interleaved
 * rounds. Reports the median throughput and peak RSS of each, and ours against the bare pipeline.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { median } from "./lib/stats";

const ROOT = join(__dirname, "..");
const MIB = 1024 * 1024;

const CHILD: Record<string, string> = {
  "sora-video-client downloadVideo": `
    const { downloadVideo } = require(${JSON.stringify(join(ROOT, "dist", "node.cjs"))});
    downloadVideo(process.env.URL, process.env.DEST).then(() => console.log(process.resourceUsage().maxRSS));`,
  "bare fetch + stream.pipeline": `
    const { pipeline } = require("node:stream/promises"); const { Readable } = require("node:stream"); const { createWriteStream } = require("node:fs");
    fetch(process.env.URL).then((r) => pipeline(Readable.fromWeb(r.body), createWriteStream(process.env.DEST))).then(() => console.log(process.resourceUsage().maxRSS));`,
  "bare pipeline + fsync (durable)": `
    const { pipeline } = require("node:stream/promises"); const { Readable } = require("node:stream"); const { createWriteStream } = require("node:fs"); const { open } = require("node:fs/promises");
    fetch(process.env.URL).then((r) => pipeline(Readable.fromWeb(r.body), createWriteStream(process.env.DEST)))
      .then(() => open(process.env.DEST, "r+")).then((h) => h.sync().then(() => h.close())).then(() => console.log(process.resourceUsage().maxRSS));`,
};

/** One contender's download figures (medians over the rounds). */
export interface DownloadFigure {
  name: string;
  mibPerSecond: number;
  peakRssMiB: number;
}

function runOnce(name: string, url: string, dest: string): { seconds: number; rssMiB: number } {
  const started = process.hrtime.bigint();
  let rssKiB: number;
  if (name === "curl -o") {
    const result = spawnSync("/usr/bin/time", ["-f", "%M", "curl", "-s", "-o", dest, url], { encoding: "utf8" });
    if (result.status !== 0) throw new Error(`curl failed: ${result.stderr}`);
    rssKiB = Number(result.stderr.trim().split("\n").pop());
  } else {
    const result = spawnSync(process.execPath, ["-e", CHILD[name]!], {
      encoding: "utf8",
      env: { ...process.env, URL: url, DEST: dest },
    });
    if (result.status !== 0) throw new Error(`${name} failed: ${result.stderr}`);
    rssKiB = Number(result.stdout.trim());
  }
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, rssMiB: rssKiB / 1024 };
}

/** Starts the mock (1 GiB video) in a child process and returns a video URL it serves. */
async function startMock(bytes: number): Promise<{ videoUrl: string; stop: () => void }> {
  const script = `
    const { startMockServer } = require(${JSON.stringify(join(ROOT, "dist", "mock.cjs"))});
    const { createSoraClient } = require(${JSON.stringify(join(ROOT, "dist", "node.cjs"))});
    startMockServer({ videoBytes: ${bytes} }).then(async (mock) => {
      const video = await createSoraClient({ apiKey: "bench", baseUrl: mock.url }).generateVideo({ prompt: "bench", image_url: "https://example.com/i.png" });
      console.log(video.data[0].url);
    });`;
  const child = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "inherit"] });
  const videoUrl = await new Promise<string>((resolve, reject) => {
    child.stdout.once("data", (chunk: Buffer) => resolve(chunk.toString().trim()));
    child.once("exit", (code) => reject(new Error(`mock exited with ${code}`)));
  });
  return { videoUrl, stop: () => void child.kill("SIGTERM") };
}

/** Runs `rounds` interleaved rounds of every contender on a `bytes`-long video. */
export async function measureDownloads(bytes = 1024 * MIB, rounds = 3): Promise<DownloadFigure[]> {
  const names = [
    ...Object.keys(CHILD),
    ...(spawnSync("curl", ["--version"]).status === 0 && spawnSync("/usr/bin/time", ["true"]).status === 0
      ? ["curl -o"]
      : []),
  ];
  const mock = await startMock(bytes);
  const dir = await mkdtemp(join(tmpdir(), "sora-bench-download-"));
  const samples = new Map(names.map((name) => [name, { rate: [] as number[], rss: [] as number[] }]));
  try {
    for (let round = 0; round < rounds; round++) {
      for (let index = 0; index < names.length; index++) {
        const name = names[(index + round) % names.length]!;
        const dest = join(dir, `video-${index}.mp4`);
        const { seconds, rssMiB } = runOnce(name, mock.videoUrl, dest);
        samples.get(name)!.rate.push(bytes / MIB / seconds);
        samples.get(name)!.rss.push(rssMiB);
        await rm(dest, { force: true });
      }
    }
  } finally {
    mock.stop();
    await rm(dir, { recursive: true, force: true });
  }
  return names.map((name) => ({
    name,
    mibPerSecond: median(samples.get(name)!.rate),
    peakRssMiB: median(samples.get(name)!.rss),
  }));
}

if (require.main === module) {
  void measureDownloads(Number(process.env.BYTES ?? 1024 * MIB), Number(process.env.ROUNDS ?? 3)).then((figures) => {
    if (process.argv.includes("--json")) return console.log(JSON.stringify(figures, null, 2));
    for (const figure of figures)
      console.log(
        `${figure.name.padEnd(34)} ${figure.mibPerSecond.toFixed(0).padStart(6)} MiB/s   peak RSS ${figure.peakRssMiB.toFixed(0)} MiB`,
      );
  });
}
