/**
 * `npm run bench:download`: peak memory and throughput of downloadVideo on a 1 GiB video.
 * Starts the embedded mock with `videoBytes` = 1 GiB (a valid MP4 padded with zeros, streamed),
 * generates once through the real client, downloads the video to a temporary file while sampling
 * RSS every 20 ms, checks size and MP4 boxes, deletes the file and prints one JSON line.
 * `--separate` runs the mock in a child process, so the figure is the downloader's alone.
 * `--bytes N` changes the size.
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSoraClient, downloadVideo } from "../src/node/index";
import { inspectMp4File, startMockServer } from "../src/node/mock/index";

const MIB = 1024 * 1024;
const argument = (name: string) => {
  const index = process.argv.indexOf(name);
  return index === -1 ? undefined : process.argv[index + 1];
};
const videoBytes = Number(argument("--bytes") ?? 1024 * MIB);

async function serveOnly(): Promise<void> {
  const mock = await startMockServer({ videoBytes });
  process.stdout.write(`${mock.url}\n`);
  process.once("SIGTERM", () => void mock.close().then(() => process.exit(0)));
}

async function mockUrl(separate: boolean): Promise<{ url: string; stop: () => Promise<void> }> {
  if (!separate) {
    const mock = await startMockServer({ videoBytes });
    return { url: mock.url, stop: () => mock.close() };
  }
  const child = spawn(process.execPath, [...process.execArgv, __filename, "--serve", "--bytes", String(videoBytes)], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.once("data", (chunk: Buffer) => resolve(chunk.toString().trim()));
    child.once("exit", (code) => reject(new Error(`mock child exited with ${code}`)));
  });
  return { url, stop: async () => void child.kill("SIGTERM") };
}

async function main(): Promise<void> {
  const separate = process.argv.includes("--separate");
  const mock = await mockUrl(separate);
  const dir = await mkdtemp(join(tmpdir(), "sora-bench-"));
  try {
    const sora = createSoraClient({ apiKey: "bench", baseUrl: mock.url });
    const video = await sora.generateVideo({ prompt: "bench", image_url: "https://example.com/i.png" });
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    const started = process.hrtime.bigint();
    const result = await downloadVideo(video.data[0]!.url!, join(dir, "big.mp4"));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    const { problems } = inspectMp4File(result.path);
    if (result.bytes !== videoBytes || problems.length > 0)
      throw new Error(`bad download: ${result.bytes} bytes, ${problems.join("; ")}`);
    process.stdout.write(
      `${JSON.stringify({
        mock: separate ? "child process" : "same process",
        bytes: result.bytes,
        seconds: Number(seconds.toFixed(2)),
        mibPerSecond: Number((result.bytes / MIB / seconds).toFixed(1)),
        rssBeforeMiB: Number((baseline / MIB).toFixed(1)),
        peakRssMiB: Number((peak / MIB).toFixed(1)),
        maxRssMiB: Number((process.resourceUsage().maxRSS / 1024).toFixed(1)),
      })}\n`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
    await mock.stop();
  }
}

(process.argv.includes("--serve") ? serveOnly() : main()).catch((error: unknown) => {
  process.stderr.write(`bench failed: ${(error as Error).message}\n`);
  process.exitCode = 1;
});
