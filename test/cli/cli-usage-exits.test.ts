import { readdir } from "node:fs/promises";
import { runCliHere } from "./helpers/run-cli";
import { useTempDir } from "./helpers/temp-dir";

describe("help and download arguments: exit codes (in this process)", () => {
  const tempDir = useTempDir("sora-usage-exits-");

  test.each([[["help"]], [["help", "generate"]], [["help", "batch"]]])(
    "%j prints the help on stdout and exits 0, as --help does",
    async (args) => {
      const run = await runCliHere(args);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^Usage: sora-video/);
      expect(run.stderr).toBe("");
    },
  );

  test("help for a command that does not exist is still a usage error (exit 2)", async () => {
    expect((await runCliHere(["help", "no-such-command"])).code).toBe(2);
  });

  test.each([
    ["not a URL", "not-a-url", "The video URL is not a valid URL."],
    ["a file: URL", "file:///etc/passwd", "The video URL must be http(s), got file:."],
    ["an ftp: URL", "ftp://files.example/v.mp4", "The video URL must be http(s), got ftp:."],
  ])(
    "download with %s is a usage error: exit 2, no 'only saving failed' hint, nothing written",
    async (_name, url, message) => {
      const run = await runCliHere(["download", url, "--out", `${tempDir()}/`]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`sora-video: ${message}`);
      expect(run.stderr).not.toContain("only saving the video failed");
      expect(await readdir(tempDir())).toEqual([]);
    },
  );

  test("download --json with a bad URL: one JSON document naming a UsageError", async () => {
    const run = await runCliHere(["download", "not-a-url", "--json"]);
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: false, error: { name: "UsageError" } });
  });
});
