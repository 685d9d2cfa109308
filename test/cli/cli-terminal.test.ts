import { writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { stripVTControlCharacters } from "node:util";
import type { MockServer } from "../../src/node/mock";
import { useCliServers } from "./helpers/fake-gateway";
import { requireBuiltCli, runCli, runCliHere, runCliInPty, startCli, waitFor } from "./helpers/run-cli";
import { useTempDir } from "./helpers/temp-dir";

const IMAGE = "https://img.example/cat.png";
const ESC = "\x1b[";

/** Every line as the terminal shows it: split at \r (live redraws) and \n, escape codes removed. */
const screenLines = (text: string) => text.split(/\r\n|\r|\n/).map((line) => stripVTControlCharacters(line));
/** A line that is one word (a signed URL in a command) cannot be cut; only such a line may exceed the width. */
const unbreakable = (line: string) => !/\s/.test(line.trim().replace(/ \\$/, ""));
const tooWide = (text: string, columns: number) =>
  screenLines(text).filter((line) => Array.from(line).length >= columns && !unbreakable(line));

describe("sora-video follows terminal conventions (in this process; terminals, colour and the mock as the built bin)", () => {
  const servers = useCliServers();
  const tempDir = useTempDir("sora-terminal-");
  let mock: MockServer;
  const env = (extra: Record<string, string> = {}) => ({
    ONEROUTER_API_KEY: "sk-test",
    ONEROUTER_BASE_URL: mock.url,
    ...extra,
  });
  const htmlVideo = () =>
    servers.gateway((_request, res) => res.writeHead(200, { "content-type": "text/html" }).end("<html>"));
  /** A printed command with its ` \` continuations joined back into one line. */
  const unwrap = (text: string) => text.replace(/ \\\n\s+/g, " ").trim();
  const jobsFile = () => join(tempDir(), "jobs.jsonl");
  const outDir = () => join(tempDir(), "a-rather-long-output-directory-name-for-the-videos");
  const longId = "a-job-with-a-rather-long-identifier-that-goes-on";
  /** Three jobs, one at a time: the first gets a 502 (uncertain), the second a 422 (failed), the third is done. */
  async function mixedBatch(): Promise<string[]> {
    mock = await servers.mock({ latencyMs: 50 });
    mock.injectFault({ kind: "status", status: 502 });
    mock.injectFault({ kind: "status", status: 422 });
    const prompt = "A cat turns and walks away, slowly, through a long corridor of mirrors";
    const lines = [longId, "j2", "j3"].map((id) => JSON.stringify({ id, prompt, image_url: IMAGE }));
    await writeFile(jobsFile(), `${lines.join("\n")}\n`);
    return ["batch", jobsFile(), "--out", outDir(), "--concurrency", "1"];
  }

  beforeAll(() => requireBuiltCli());

  describe("widths", () => {
    test.each([100, 80, 50])("batch at %d columns (FORCE_TTY, COLUMNS): nothing wraps", async (columns) => {
      const args = await mixedBatch();
      const run = await runCliHere(args, { env: env({ FORCE_TTY: "1", COLUMNS: String(columns) }) });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`${ESC}K`);
      expect(run.stdout).toContain("…");
      // Advice wraps, never cut: the warning that a retry may bill twice stays whole.
      expect(run.stdout.replace(/\n\s+/g, " ")).toContain("(they may have been billed: MAY BILL TWICE):");
      expect(tooWide(run.stderr, columns)).toEqual([]);
      expect(tooWide(run.stdout, columns)).toEqual([]);
    });

    test("the full text stays in --json", async () => {
      const args = await mixedBatch();
      const run = await runCliHere([...args, "--json"], { env: env({ FORCE_TTY: "1", COLUMNS: "50" }) });
      const document = JSON.parse(run.stdout) as { jobs: Array<{ id: string; error?: { message: string } }> };
      expect(document.jobs.map((job) => job.id)).toContain(longId);
      expect(document.jobs.find((job) => job.id === "j2")!.error!.message.length).toBeGreaterThan(50);
    });

    test("on a real 50-column terminal (a pty), without COLUMNS: every line fits, in colour", async () => {
      const args = await mixedBatch();
      const run = await runCliInPty(args, { env: env(), columns: 50 });
      expect(run.code).toBe(1);
      expect(run.output).toContain(`${ESC}31m`);
      expect(run.output).toMatch(/batch .*done/);
      expect(tooWide(run.output, 50)).toEqual([]);
      // The finished job's line is cut once (its colour codes take no room), not wrapped.
      expect(screenLines(run.output).some((line) => /^✓ j3 \(line 3\) → .*…$/.test(line))).toBe(true);
    });

    test("a video generated but not saved: its download command is wrapped to the width, never cut", async () => {
      const gateway = await htmlVideo();
      await writeFile(jobsFile(), `${JSON.stringify({ id: "v1", prompt: "a cat", image_url: IMAGE })}\n`);
      const run = await runCliHere(["batch", jobsFile(), "--out", outDir()], {
        env: { ONEROUTER_API_KEY: "sk-test", ONEROUTER_BASE_URL: gateway.url, COLUMNS: "50" },
      });
      expect(run.code).toBe(1);
      expect(tooWide(run.stdout, 50)).toEqual([]);
      const command = run.stdout.slice(run.stdout.indexOf("  sora-video download")).split("\n\n")[0]!;
      expect(unwrap(command)).toBe(`sora-video download '${gateway.videoUrl}' --out ${join(outDir(), "v1.mp4")}`);
    });
  });

  describe("widths of the other commands at 50 columns (FORCE_TTY, COLUMNS)", () => {
    const narrow = { FORCE_TTY: "1", COLUMNS: "50" };

    test("generate: the live lines and every message fit", async () => {
      mock = await servers.mock({ latencyMs: 300 });
      const out = join(tempDir(), "a-rather-long-file-name-for-the-cat-video.mp4");
      const run = await runCliHere(["generate", "--prompt", "a cat", "--image", IMAGE, "--out", out], {
        env: env(narrow),
      });
      expect(run.code).toBe(0);
      expect(run.stderr).toContain("Rendering video…");
      expect(tooWide(run.stderr, 50)).toEqual([]);
    });

    test("generate whose save fails: the error, hint and download command fit; the command pastes whole", async () => {
      const gateway = await htmlVideo();
      const out = join(tempDir(), "cat.mp4");
      const run = await runCliHere(["generate", "--prompt", "a cat", "--image", IMAGE, "--out", out], {
        env: { ONEROUTER_API_KEY: "sk-test", ONEROUTER_BASE_URL: gateway.url, ...narrow },
      });
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/^hint: /m);
      expect(tooWide(run.stderr, 50)).toEqual([]);
      const lines = screenLines(run.stderr);
      const from = lines.findIndex((line) => line.startsWith("  sora-video download"));
      const command = lines.slice(from, lines.findIndex((line, index) => index > from && !line.endsWith("\\")) + 1);
      expect(unwrap(command.join("\n"))).toBe(`sora-video download '${gateway.videoUrl}' --out ${out}`);
    });

    test("mock: its URL and the command to paste fit", async () => {
      const running = startCli(["mock", "--port", "0"], { env: { COLUMNS: "50" } });
      try {
        await waitFor(() => running.output().stdout.includes("Press Ctrl-C to stop."), 15_000, "the mock to start");
      } finally {
        running.child.kill("SIGINT");
      }
      const { stdout } = await running.done;
      expect(stdout).toContain("ONEROUTER_API_KEY=sk-mock \\\n");
      expect(tooWide(stdout, 50)).toEqual([]);
    });
  });

  test("a batch not all done: the exact next commands (resume; --retry-uncertain, may bill twice)", async () => {
    const args = await mixedBatch();
    const run = await runCliHere(args, { env: env() });
    expect(run.code).toBe(1);
    const same = `sora-video batch ${jobsFile()} --out ${outDir()} --concurrency 1`;
    const resume = "resume (failed and not-run jobs, accepted tasks, unsaved videos; nothing is paid twice):";
    expect(run.stdout).toContain(`${resume}\n    ${same}\n`);
    expect(run.stdout).toContain(`(they may have been billed: MAY BILL TWICE):\n    ${same} --retry-uncertain\n`);
    // The second run sent the failed job again (it is done now); the uncertain one stays, and --json says so.
    const json = JSON.parse((await runCliHere([...args, "--json"], { env: env() })).stdout) as {
      next_commands: unknown;
    };
    expect(json.next_commands).toEqual({ retry_uncertain: `${same} --json --retry-uncertain` });
  });

  test("plain mode (a pipe) ends with the final counts", async () => {
    const args = await mixedBatch();
    const run = await runCliHere([...args, "--progress", "plain"], { env: env() });
    const counts = run.stderr.split("\n").filter((line) => line.startsWith("batch: "));
    const final = /^batch: 1\/3 done · 0 rendering · 0 downloading · 1 failed · 1 uncertain · \d+s · ETA 0s$/;
    expect(counts.at(-1)).toMatch(final);
    expect(run.stderr).not.toContain(ESC);
  });

  describe("--json: exactly one JSON document on stdout for usage errors too (exit 2)", () => {
    const existing = () => join(tempDir(), "exists.mp4");
    const noServer = { ONEROUTER_API_KEY: "sk-test", ONEROUTER_BASE_URL: "http://127.0.0.1:9" };
    const generate = (...extra: string[]) => ["generate", "--prompt", "a", "--image", IMAGE, ...extra, "--json"];
    const usage = "UsageError";
    test.each([
      ["no key", () => generate(), {}, usage, /ONEROUTER_API_KEY/],
      ["the file exists", () => generate("--out", existing()), noServer, usage, /exists/],
      ["a bad flag value", () => generate("--duration", "5s"), noServer, usage, /Allowed choices are 4, 8, 12/],
      ["an unknown option", () => generate("--colour"), {}, usage, /unknown option '--colour'/],
      ["a missing argument", () => ["download", "--json"], {}, usage, /missing required argument 'url'/],
      [
        "download onto an existing file",
        () => ["download", "http://127.0.0.1:9/v.mp4", "--out", existing(), "--json"],
        {},
        usage,
        /exists/,
      ],
      [
        "an unreadable jobs file",
        () => ["batch", join(tempDir(), "none.jsonl"), "--out", tempDir(), "--json"],
        noServer,
        usage,
        /Cannot read/,
      ],
      ["a bad --queue", () => ["queue", "status", "--queue", "http://x", "--json"], {}, usage, /redis:\/\//],
      [
        "plain http to a remote host",
        () => generate("--base-url", "http://example.com"),
        { ONEROUTER_API_KEY: "sk-test" },
        "ConfigurationError",
        /^Refusing plain http/,
      ],
    ] as const)("%s", async (_name, args, extraEnv, name, message) => {
      await writeFile(existing(), "x");
      const run = await runCliHere(args(), { env: { ...extraEnv } });
      expect(run.code).toBe(2);
      const lines = run.stdout.split("\n").filter(Boolean);
      expect(lines).toHaveLength(1);
      const document = JSON.parse(lines[0]!) as { ok: boolean; error: { name: string; message: string } };
      expect(document).toMatchObject({ ok: false, error: { name, message: expect.stringMatching(message) } });
      expect(run.stdout).not.toMatch(/allowInsecureHttp|"option":"baseUrl"/);
    });
  });

  describe("mock", () => {
    let busy: Server | undefined;
    afterEach(() => new Promise<void>((resolve) => (busy ? busy.close(() => resolve()) : resolve())));

    test("on a busy port: a usage error naming the port (exit 2), not an internal error", async () => {
      busy = createServer();
      await new Promise<void>((resolve) => busy!.listen(0, "127.0.0.1", resolve));
      const port = (busy.address() as { port: number }).port;
      const run = await runCli(["mock", "--port", String(port)]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`sora-video: Port ${port} is in use on 127.0.0.1: pick another --port`);
      expect(run.stderr).not.toMatch(/unexpected error|report it/);
    });
  });

  describe("colour: on a terminal, honouring NO_COLOR and FORCE_COLOR, none when piped", () => {
    const noKey = ["generate", "--prompt", "a", "--image", IMAGE];
    test("piped: none", async () => {
      const run = await runCli(noKey);
      expect(run.stderr).toMatch(/^sora-video: No API key/);
      expect(run.stderr).not.toContain(ESC);
    });
    test("piped with FORCE_COLOR=1: the error in red, the hint dim", async () => {
      const run = await runCli(noKey, { env: { FORCE_COLOR: "1" } });
      expect(run.stderr).toContain(`${ESC}31msora-video: No API key`);
      expect(run.stderr).toContain(`${ESC}2mhint: `);
    });
    test("on a terminal: red; with NO_COLOR=1: none", async () => {
      expect((await runCliInPty(noKey, { columns: 80 })).output).toContain(`${ESC}31msora-video: No API key`);
      const plain = await runCliInPty(noKey, { columns: 80, env: { NO_COLOR: "1" } });
      expect(plain.output).toContain("sora-video: No API key");
      expect(plain.output).not.toContain(ESC);
    });
  });

  describe("help: only what applies to each command, with units", () => {
    test.each([
      [["mock"], ["(default: 2s)", "port is in use"], ["(default: 2000)", "ONEROUTER_API_KEY", "FORCE_TTY", "130"]],
      [
        ["download"],
        ["FORCE_TTY", "COLUMNS", "130  interrupted"],
        ["ONEROUTER_API_KEY", "ONEROUTER_BASE_URL", "per attempt"],
      ],
      [["queue", "status"], ["Redis unreachable"], ["ONEROUTER_API_KEY", "FORCE_TTY", "130"]],
      [["batch"], ["0    every job done", "except with --dry-run", "(default: 10m)"], []],
      [["generate"], ["4, 8, 12 seconds (8 or 8s)", "ONEROUTER_API_KEY", "130  interrupted"], ["every job done"]],
      [["worker"], ["(default: 60s)", "130  running jobs were aborted"], []],
    ])("%j --help", async (command, present, absent) => {
      const run = await runCliHere([...command, "--help"]);
      expect(run.code).toBe(0);
      for (const text of present) expect(run.stdout).toContain(text);
      for (const text of absent) expect(run.stdout).not.toContain(text);
    });
  });

  test('generate --duration 8s sends the spec\'s "8"; --duration 8 still works', async () => {
    mock = await servers.mock({ latencyMs: 0 });
    for (const duration of ["8s", "8"]) {
      const args = ["generate", "--prompt", "a", "--image", IMAGE, "--duration", duration, "--no-download"];
      const run = await runCliHere(args, { env: env() });
      expect(run.code).toBe(0);
    }
    expect(mock.stats.acceptedBodies.map((body) => body.duration)).toEqual(["8", "8"]);
  });
});
