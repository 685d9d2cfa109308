import { readdir } from "node:fs/promises";
import { useCliServers } from "./helpers/fake-gateway";
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

describe("nothing billable is sent for input that cannot work (in this process, against the embedded mock)", () => {
  const servers = useCliServers();

  test.each([
    ["--image not-a-url", ["generate", "--prompt", "A cat", "--image", "not-a-url"], /this is not a URL/],
    ["--image ftp://…", ["generate", "--prompt", "A cat", "--image", "ftp://files.example/cat.png"], /scheme is ftp:/],
    ["--image a path", ["generate", "--prompt", "A cat", "--image", "/home/me/cat.png"], /this is not a URL/],
    ["an empty prompt", ["generate", "--prompt", ""], /the text is empty/],
    ["a blank prompt", ["generate", "--prompt", "   ", "--image", "https://img.example/cat.png"], /the text is empty/],
    ["remix with an empty prompt", ["remix", "--video-id", "v1", "--prompt", ""], /the text is empty/],
  ])("%s is a usage error (exit 2) and no request is sent", async (_name, args, why) => {
    const mock = await servers.mock();
    const run = await runCliHere([...args, "--no-download"], {
      env: { ONEROUTER_API_KEY: "sk-test", ONEROUTER_BASE_URL: mock.url },
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(why);
    expect(mock.stats.requests).toBe(0);
  });

  test("an https --image and a data:image URL are taken as given", async () => {
    const mock = await servers.mock();
    const env = { ONEROUTER_API_KEY: "sk-test", ONEROUTER_BASE_URL: mock.url };
    for (const image of ["https://img.example/cat.png", "data:image/png;base64,iVBORw0KGgo="]) {
      const run = await runCliHere(["generate", "--prompt", "A cat", "--image", image, "--no-download"], { env });
      expect(run.code).toBe(0);
    }
    expect(mock.stats.acceptedBodies.map((body) => body.image_url)).toEqual([
      "https://img.example/cat.png",
      "data:image/png;base64,iVBORw0KGgo=",
    ]);
  });
});
