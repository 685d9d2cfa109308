import { spawn } from "node:child_process";
import { mkdir, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createSoraClient } from "../../src/node";
import type { MockServer } from "../../src/node/mock";
import { serveVideo, videoSource } from "../../src/node/mock/video";
import { CANARY_KEY } from "../helpers/fetch";
import { useCliServers, type FakeGateway } from "./helpers/fake-gateway";
import { CLI, requireBuiltCli, runCliHere, startCli, waitFor } from "./helpers/run-cli";
import { useTempDir } from "./helpers/temp-dir";

const IMAGE = "https://img.example/cat.png";
const EXPIRED = "<!DOCTYPE html><html><title>Link expired</title><body>This link has expired.</body></html>";

/** Runs a printed command line in a shell, with `sora-video` meaning the built bin. */
function runPrinted(command: string, cwd: string): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const line = command.replace(/^sora-video /, `"${process.execPath}" "${CLI}" `);
    const child = spawn("sh", ["-c", line], { cwd, env: { PATH: process.env.PATH ?? "" }, stdio: "ignore" });
    child.once("error", reject);
    child.once("close", resolve);
  });
}

describe("sora-video download, and generate --out (in this process; printed commands and a Ctrl-C run the built bin)", () => {
  const tempDir = useTempDir("sora-cli-download-");
  const servers = useCliServers();
  let mock: MockServer | undefined;
  let gateway: FakeGateway | undefined;

  beforeAll(() => requireBuiltCli());

  /** A URL the mock really serves: one generation through the client, in this process. */
  async function generatedUrl(): Promise<string> {
    mock = await servers.mock();
    const video = await createSoraClient({ apiKey: "sk-test", baseUrl: mock.url }).generateVideo({
      prompt: "A cat",
      image_url: IMAGE,
    });
    return video.data[0]!.url!;
  }

  test("download --help: usage, the options and the exit codes, exit 0", async () => {
    const run = await runCliHere(["download", "--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Usage: sora-video download [options] <url>");
    expect(run.stdout).toMatch(/--out <path>[\s\S]*--overwrite[\s\S]*--json[\s\S]*Exit codes:/);
  });

  test("download <url> --out file: saves the video with no API key at all, generates nothing", async () => {
    const url = await generatedUrl();
    const out = join(tempDir(), "saved.mp4");
    const run = await runCliHere(["download", url, "--out", out]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`${out}\n`);
    expect((await stat(out)).size).toBe(7959);
    expect(mock!.stats).toMatchObject({ requests: 1, downloads: 1 });
  });

  test("download --json into a directory (trailing /): the URL's file name inside it, one JSON document", async () => {
    const url = await generatedUrl();
    const dir = join(tempDir(), "videos");
    const run = await runCliHere(["download", url, "--out", `${dir}/`, "--json"]);
    expect(run.code).toBe(0);
    const name = new URL(url).pathname.split("/").at(-1)!;
    expect(JSON.parse(run.stdout)).toEqual({ ok: true, path: join(dir, name), bytes: 7959 });
  });

  test("download: an existing --out without --overwrite is a usage error before any request", async () => {
    gateway = await servers.gateway((_request, res) => res.end());
    const out = join(tempDir(), "mine.mp4");
    await writeFile(out, "mine");
    const run = await runCliHere(["download", gateway.videoUrl, "--out", out]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--overwrite");
    expect(gateway.downloads()).toHaveLength(0);
    expect(await readFile(out, "utf8")).toBe("mine");
  });

  test("download: a 200 HTML page is exit 1, quoted without the URL's query, and nothing is written", async () => {
    gateway = await servers.gateway((_request, res) =>
      res.writeHead(200, { "content-type": "text/html" }).end(EXPIRED),
    );
    const out = join(tempDir(), "x.mp4");
    const run = await runCliHere(["download", gateway.videoUrl, "--out", out]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/DownloadError: .*text\/html, not a video: "<!DOCTYPE html><html><title>Link expired/);
    expect(run.stderr).not.toContain("s3cret");
    expect(await readdir(tempDir())).toEqual([]);
  });

  test("generate --out <existing directory> --overwrite saves <video_id>.mp4 inside it", async () => {
    mock = await servers.mock();
    const dir = join(tempDir(), "videos");
    await mkdir(dir);
    const env = { ONEROUTER_API_KEY: "sk-test", ONEROUTER_BASE_URL: mock.url };
    const run = await runCliHere(["generate", "-p", "A cat", "-i", IMAGE, "--out", dir, "--overwrite", "--json"], {
      env,
    });
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as { path: string; video_id: string };
    expect(result.path).toBe(join(dir, `${result.video_id}.mp4`));
    expect((await stat(result.path)).size).toBe(7959);
  });

  test("generate --out <new directory>/ creates it and saves <video_id>.mp4 inside", async () => {
    mock = await servers.mock();
    const dir = join(tempDir(), "new", "videos");
    const env = { ONEROUTER_API_KEY: "sk-test", ONEROUTER_BASE_URL: mock.url };
    const run = await runCliHere(["generate", "-p", "A cat", "-i", IMAGE, "--out", `${dir}/`], { env });
    expect(run.code).toBe(0);
    expect(await readdir(dir)).toEqual([run.stdout.trim().split("/").at(-1)]);
    expect(run.stdout.trim()).toMatch(/\.mp4$/);
  });

  test.each([
    ["whose parent is a file", (dir: string) => join(dir, "file.txt", "x.mp4")],
    ["naming a directory (trailing /) below a file", (dir: string) => `${join(dir, "file.txt", "videos")}/`],
  ])("generate --out %s is a usage error (exit 2) before anything is sent", async (_name, outOf) => {
    mock = await servers.mock();
    await writeFile(join(tempDir(), "file.txt"), "a file");
    const env = { ONEROUTER_API_KEY: "sk-test", ONEROUTER_BASE_URL: mock.url };
    const run = await runCliHere(["generate", "-p", "A cat", "-i", IMAGE, "--out", outOf(tempDir())], { env });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^sora-video: Cannot save into .*file\.txt\/(x\.mp4|videos\/) \((ENOTDIR|EEXIST)\)\./m);
    expect(mock.stats.requests).toBe(0);
  });

  test("generate whose download fails prints a download command with the full URL that works, never the key", async () => {
    const source = videoSource();
    gateway = await servers.gateway((request, res, n) => {
      if (n === 0) res.writeHead(200, { "content-type": "text/html" }).end(EXPIRED);
      else serveVideo(request, res, source);
    });
    const out = join(tempDir(), "cat.mp4");
    const env = { ONEROUTER_API_KEY: CANARY_KEY, ONEROUTER_BASE_URL: gateway.url };
    const run = await runCliHere(["generate", "-p", "A cat", "-i", IMAGE, "--out", out, "--json"], { env });
    expect(run.code).toBe(1);
    const command = `sora-video download '${gateway.videoUrl}' --out ${out}`;
    expect(run.stderr).toContain(
      `The video was generated (and may be billed). Save it again, for free, with:\n  ${command}\n`,
    );
    expect(JSON.parse(run.stdout)).toMatchObject({
      ok: false,
      error: { name: "DownloadError" },
      download_command: command,
    });
    expect(`${run.stdout}${run.stderr}`).not.toContain(CANARY_KEY);
    expect(gateway.generations()).toBe(1);
    expect(await runPrinted(command, tempDir())).toBe(0);
    expect((await stat(out)).size).toBe(source.size);
    expect(gateway.generations()).toBe(1);
  });

  test("Ctrl-C during generate's download stops it at once (exit 130), leaves nothing, and prints the download command", async () => {
    const source = videoSource();
    gateway = await servers.gateway((_request, res) => {
      res.writeHead(200, { "content-type": "video/mp4", "content-length": source.size });
      source.stream(0, 99).pipe(res, { end: false });
    });
    const out = join(tempDir(), "cat.mp4");
    const env = { ONEROUTER_API_KEY: "sk-test", ONEROUTER_BASE_URL: gateway.url };
    const running = startCli(["generate", "-p", "A cat", "-i", IMAGE, "--out", out], { env });
    await waitFor(() => gateway!.downloads().length === 1, 15_000, "the download to start");
    running.child.kill("SIGINT");
    const run = await running.done;
    expect(run.code).toBe(130);
    expect(run.stderr).toContain("Interrupted while saving the video; nothing was written to --out.");
    expect(run.stderr).toContain(`sora-video download '${gateway.videoUrl}' --out ${out}`);
    expect(await readdir(tempDir())).toEqual([]);
  });
});
