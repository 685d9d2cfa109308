import { spawn } from "node:child_process";
import { readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { startMockServer, type MockServer } from "../../src/node/mock";
import { REQUEST_ENUMS } from "../../src";
import { version } from "../../package.json";
import { CANARY_KEY } from "../helpers/fetch";
import { CLI, requireBuiltCli, runCli, runCliHere, startCli, waitFor } from "./helpers/run-cli";
import { useTempDir } from "./helpers/temp-dir";

const IMAGE = "https://img.example/cat.png";

describe("sora-video generate / help / version (against the embedded mock; in this process, the end-to-end cases as the built bin in a child process)", () => {
  let mock: MockServer | undefined;
  const tempDir = useTempDir("sora-cli-");
  const env = (extra: Record<string, string> = {}) => ({
    ONEROUTER_API_KEY: "sk-test",
    ONEROUTER_BASE_URL: mock!.url,
    ...extra,
  });
  const start = async (options: Parameters<typeof startMockServer>[0] = {}) => {
    mock = await startMockServer(options);
    return mock;
  };

  beforeAll(() => requireBuiltCli());
  afterEach(async () => {
    await mock?.close();
    mock = undefined;
  });

  test.each([[[]], [["generate"]]])("%j --help: usage, options and exit codes on stdout, exit 0", async (command) => {
    const run = await runCliHere([...command, "--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Usage: sora-video ${command.join(" ")}`.trim());
    expect(run.stdout).toMatch(/Exit codes:\n\s+0 {4}success\n\s+1 {4}API or network failure/);
    expect(run.stdout).toContain("ONEROUTER_API_KEY");
  });

  test.each([[[]], [["generate"]], [["batch"]], [["mock"]]])(
    "%j --version prints the package version, exit 0",
    async (command) => {
      const run = await runCliHere([...command, "--version"]);
      expect({ code: run.code, stdout: run.stdout }).toEqual({ code: 0, stdout: `${version}\n` });
    },
  );

  test("--json: exactly one JSON result on stdout, the MP4 saved, the request as given", async () => {
    await start();
    const out = join(tempDir(), "clips", "cat.mp4");
    const run = await runCli(
      [
        "generate",
        "--prompt",
        "A cat turns",
        "--image",
        IMAGE,
        "--duration",
        "8",
        "--aspect",
        "9:16",
        "--out",
        out,
        "--json",
      ],
      { env: env() },
    );
    expect(run.code).toBe(0);
    expect(run.stdout.trim().split("\n")).toHaveLength(1);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({
      ok: true,
      path: out,
      url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/videos\//),
      video_id: expect.any(String),
    });
    const file = await readFile(out);
    expect(file.length).toBe(result.bytes);
    expect(file.subarray(4, 8).toString("latin1")).toBe("ftyp");
    expect(mock!.stats.acceptedBodies).toEqual([
      {
        model: "sora-2-pro-image-to-video",
        prompt: "A cat turns",
        image_url: IMAGE,
        duration: "8",
        aspect_ratio: "9:16",
      },
    ]);
  });

  test("without --image it is text-to-video: the text-to-video page's model, a prompt alone", async () => {
    await start();
    const out = join(tempDir(), "lighthouse.mp4");
    const run = await runCliHere(
      ["generate", "--prompt", "A lighthouse at dusk", "--resolution", "720p", "-d", "8s", "--out", out, "--json"],
      { env: env() },
    );
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: true, path: out });
    expect(mock!.stats.acceptedBodies).toEqual([
      { model: "sora-2-pro-text-to-video", prompt: "A lighthouse at dusk", resolution: "720p", duration: "8" },
    ]);
  });

  test.each([
    [
      "--resolution auto without --image (text-to-video has no auto)",
      ["--resolution", "auto"],
      /--resolution auto is not allowed for sora-2-pro-text-to-video\nhint: allowed: 720p, 1080p/,
    ],
    [
      "--aspect auto without --image",
      ["--aspect", "auto"],
      /--aspect auto is not allowed for sora-2-pro-text-to-video\nhint: allowed: 16:9, 9:16/,
    ],
    [
      "a --model no page documents",
      ["--model", "sora-9"],
      /--model sora-9 is not a documented model\nhint: use one of sora-2-pro-image-to-video, openai\/sora-2-pro-image-to-video, sora-2-pro-text-to-video/,
    ],
    [
      "the image-to-video --model without --image",
      ["--model", "sora-2-pro-image-to-video"],
      /RequestValidationError: .*\/image_url is required/,
    ],
    [
      "--image with the text-to-video --model",
      ["--model", "sora-2-pro-text-to-video", "--image", "https://img.example/a.png"],
      /--image is not taken by sora-2-pro-text-to-video \(text-to-video\)/,
    ],
  ])("%s: exit 2, the model's allowed values named, nothing sent", async (_name, extra, message) => {
    await start();
    const run = await runCliHere(["generate", "--prompt", "A lighthouse", ...extra], { env: env() });
    expect(run.stderr).toMatch(message);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(mock!.stats.requests).toBe(0);
  });

  test("generate --help lists every model with its values and defaults, from generated/", async () => {
    const run = await runCliHere(["generate", "--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      "  sora-2-pro-image-to-video: needs --image; --duration 4|8|12 (default 4); --resolution 720p|1080p|auto (default auto); --aspect 16:9|9:16|auto (default auto)",
    );
    expect(run.stdout).toContain(
      "  sora-2-pro-text-to-video: no --image; --duration 4|8|12 (default 4); --resolution 720p|1080p (default 1080p); --aspect 16:9|9:16 (default 16:9)",
    );
  });

  test("--no-download prints the video URL and saves nothing", async () => {
    await start();
    const run = await runCli(["generate", "-p", "A cat", "-i", IMAGE, "--no-download"], { env: env(), cwd: tempDir() });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/videos\/\S+\.mp4\n$/);
    expect(mock!.stats.downloads).toBe(0);
  });

  test.each([
    [
      "a duration the spec does not allow",
      ["--duration", "5"],
      new RegExp(`Allowed choices are ${REQUEST_ENUMS.duration.join(", ")}`),
    ],
    [
      "a resolution the spec does not allow",
      ["--resolution", "4k"],
      new RegExp(
        `--resolution 4k is not allowed for sora-2-pro-image-to-video\nhint: allowed: ${REQUEST_ENUMS.resolution.join(", ")}`,
      ),
    ],
    [
      "an aspect ratio the spec does not allow",
      ["--aspect", "4:3"],
      new RegExp(
        `--aspect 4:3 is not allowed for sora-2-pro-image-to-video\nhint: allowed: ${REQUEST_ENUMS.aspect_ratio.join(", ")}`,
      ),
    ],
    ["an unknown flag", ["--colour", "red"], /unknown option '--colour'/],
    ["a bad --timeout", ["--timeout", "soon"], /Expected a duration such as 10m/],
    ["an extra argument", ["extra"], /too many arguments/],
  ])("%s is a usage error: exit 2, says why, nothing sent", async (_name, extra, message) => {
    await start();
    const run = await runCliHere(["generate", "--prompt", "A cat", "--image", IMAGE, ...extra], { env: env() });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe("");
    expect(mock!.stats.requests).toBe(0);
  });

  test.each([
    ["a missing --prompt", ["generate", "--image", IMAGE], /required option '-p, --prompt <text>' not specified/],
    ["an unknown command", ["render"], /unknown command 'render'/],
    ["no command at all", [], /Usage: sora-video/],
  ])("%s is a usage error: exit 2", async (_name, args, message) => {
    const run = await runCliHere(args, { env: { ONEROUTER_API_KEY: "sk-test" } });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });

  test("no ONEROUTER_API_KEY: one line naming it, exit 2, nothing sent", async () => {
    await start();
    const run = await runCliHere(["generate", "--prompt", "A cat", "--image", IMAGE], {
      env: { ONEROUTER_BASE_URL: mock!.url },
    });
    expect(run.code).toBe(2);
    expect(run.stderr.split("\n")[0]).toBe("sora-video: No API key: set the ONEROUTER_API_KEY environment variable.");
    expect(run.stderr).not.toMatch(/\bat .*\.m?js:\d+/);
    expect(mock!.stats.requests).toBe(0);
  });

  test("an existing --out without --overwrite is refused before anything is sent (a paid render must not fail at the end)", async () => {
    await start();
    const out = join(tempDir(), "taken.mp4");
    await writeFile(out, "mine");
    const run = await runCliHere(["generate", "--prompt", "A cat", "--image", IMAGE, "--out", out], { env: env() });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--overwrite");
    expect(mock!.stats.requests).toBe(0);
    expect(await readFile(out, "utf8")).toBe("mine");
  });

  test.each([[[]], [["--debug"]], [["--json"]]])(
    "a 401 (flags %j): exit 1, one line with the hint, and never the key",
    async (extra) => {
      await start({ apiKey: "sk-the-right-one" });
      const run = await runCliHere(
        ["generate", "--prompt", "A cat", "--image", IMAGE, "--out", join(tempDir(), "x.mp4"), ...extra],
        { env: env({ ONEROUTER_API_KEY: CANARY_KEY }) },
      );
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/^sora-video: AuthenticationError: POST \/v1\/videos\/generations → 401/m);
      expect(run.stderr).toContain("hint: check ONEROUTER_API_KEY");
      expect(`${run.stdout}${run.stderr}`).not.toContain(CANARY_KEY);
      if (extra.includes("--debug")) expect(run.stderr).toMatch(/\n\s+at /);
      else expect(run.stderr).not.toMatch(/\n\s+at /);
      if (extra.includes("--json"))
        expect(JSON.parse(run.stdout)).toMatchObject({
          ok: false,
          error: { name: "AuthenticationError", status: 401, mayHaveBeenAccepted: false },
        });
    },
  );

  test("a 500 after sending: exit 1, with the warning that it may be billed and was not re-sent", async () => {
    (await start()).injectFault({ kind: "status", status: 500 });
    const run = await runCliHere(
      ["generate", "--prompt", "A cat", "--image", IMAGE, "--out", join(tempDir(), "x.mp4")],
      {
        env: env(),
      },
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/InternalServerError.*500/);
    expect(run.stderr).toMatch(/hint: .*may have been accepted and billed/);
    expect(mock!.stats.requests).toBe(1);
  });

  test("--timeout: a render that outlasts it is exit 1 with the may-be-billed hint", async () => {
    await start({ latencyMs: 5_000 });
    const run = await runCliHere(
      ["generate", "--prompt", "A cat", "--image", IMAGE, "--timeout", "300ms", "--out", join(tempDir(), "x.mp4")],
      { env: env() },
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/APITimeoutError: Request timed out after 300 ms/);
    expect(run.stderr).toMatch(/hint: the generation may still be running and may be billed/);
  });

  test("the live display (forced with --progress tty): \\r redraws, a spinner with the elapsed time, then the download bar", async () => {
    await start({ latencyMs: 1_300 });
    const run = await runCli(
      ["generate", "--prompt", "A cat", "--image", IMAGE, "--out", join(tempDir(), "cat.mp4"), "--progress", "tty"],
      { env: env() },
    );
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("\r\x1b[K");
    expect(run.stderr).toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] Rendering video… 0s/);
    expect(run.stderr).toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] Rendering video… 1s/);
    expect(run.stderr).toMatch(/Downloading \[#+-*\] +\d+% +\S+ \S+ \/ 7\.77 KiB/);
    expect(run.stderr.match(/Rendering video/g)!.length).toBeGreaterThan(3);
    expect(run.stdout).toBe(`${join(tempDir(), "cat.mp4")}\n`);
  });

  test("FORCE_TTY=1 turns the live display on too", async () => {
    await start({ latencyMs: 300 });
    const run = await runCliHere(
      ["generate", "--prompt", "A cat", "--image", IMAGE, "--out", join(tempDir(), "cat.mp4")],
      {
        env: env({ FORCE_TTY: "1" }),
      },
    );
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/\r\x1b\[K[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] Rendering video… 0s/);
  });

  test("not a terminal: plain log lines, no escape codes, the path alone on stdout", async () => {
    await start({ latencyMs: 1_300 });
    const out = join(tempDir(), "cat.mp4");
    const run = await runCliHere(["generate", "--prompt", "A cat", "--image", IMAGE, "--out", out], { env: env() });
    expect(run.code).toBe(0);
    expect(run.stderr).not.toMatch(/[\r\x1b]/);
    expect(run.stderr).toMatch(/^rendering… 1s elapsed$/m);
    expect(run.stderr).toMatch(/^Saved .*cat\.mp4 \(7\.77 KiB\)\.$/m);
    expect(run.stdout).toBe(`${out}\n`);
    expect((await stat(out)).size).toBe(7959);
  });

  test("one Ctrl-C during the render warns that it may be billed and keeps waiting: the video is still saved (exit 0)", async () => {
    await start({ latencyMs: 2_000 });
    const out = join(tempDir(), "kept.mp4");
    const running = startCli(["generate", "--prompt", "A cat", "--image", IMAGE, "--out", out], { env: env() });
    await waitFor(() => mock!.stats.accepted === 1, 15_000, "the request to arrive");
    running.child.kill("SIGINT");
    const run = await running.done;
    expect(run.stderr).toContain(
      "Ctrl-C: the request was sent, so the render may already be billed; still waiting for it.",
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`${out}\n`);
    expect((await stat(out)).size).toBe(7959);
  });

  test("a second Ctrl-C abandons the render: exit 130 and the may-be-billed hint", async () => {
    await start({ latencyMs: 30_000 });
    const running = startCli(["generate", "--prompt", "A cat", "--image", IMAGE, "--out", join(tempDir(), "x.mp4")], {
      env: env(),
    });
    await waitFor(() => mock!.stats.accepted === 1, 15_000, "the request to arrive");
    running.child.kill("SIGINT");
    await waitFor(() => running.output().stderr.includes("still waiting for it"), 15_000, "the first Ctrl-C's warning");
    running.child.kill("SIGINT");
    const run = await running.done;
    expect(run.code).toBe(130);
    expect(run.stderr).toContain("Abandoning the render (it may still be billed).");
    expect(run.stderr).toMatch(/APIUserAbortError/);
    expect(run.stderr).toMatch(/hint: the request had been sent/);
  }, 30_000);
});

describe("sora-video mock", () => {
  const tempDir = useTempDir("sora-cli-mock-");

  test("prints its URL and a command that works when pasted; stops on SIGINT with exit 0", async () => {
    const running = startCli(["mock", "--port", "0", "--latency", "100ms"]);
    try {
      await waitFor(() => running.output().stdout.includes("Press Ctrl-C to stop."), 15_000, "the mock to start");
      const { stdout } = running.output();
      expect(stdout).toMatch(/^Mock Sora gateway listening on http:\/\/127\.0\.0\.1:\d+ /);
      const command = stdout
        .split("\n")
        .find((line) => line.includes("sora-video generate"))!
        .trim();
      expect(command).toMatch(
        /^ONEROUTER_API_KEY=sk-mock ONEROUTER_BASE_URL=http:\/\/127\.0\.0\.1:\d+ sora-video generate --prompt '.+' --image \S+ --out cat\.mp4$/,
      );
      const pasted = await runShell(command.replace("sora-video", `"${process.execPath}" "${CLI}"`), tempDir());
      expect(pasted.code).toBe(0);
      expect((await stat(join(tempDir(), "cat.mp4"))).size).toBe(7959);
    } finally {
      running.child.kill("SIGINT");
    }
    const run = await running.done;
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("Mock stopped after 1 accepted generation(s) and 1 download(s).");
  });
});

function runShell(command: string, cwd: string): Promise<{ code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn("sh", ["-c", command], { cwd, env: { PATH: process.env.PATH ?? "" }, stdio: "ignore" });
    child.once("error", reject);
    child.once("close", (code) => resolve({ code }));
  });
}
