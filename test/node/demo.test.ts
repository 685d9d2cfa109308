import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspectMp4File } from "../../src/node/mock/index";
import { CANARY_KEY } from "../helpers/fetch";

const ROOT = join(__dirname, "..", "..");
const TSX = join(ROOT, "node_modules", ".bin", "tsx");

/** Runs `npm run demo`'s script (tsx, from source, no build) with extra arguments. */
function demo(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env, ONEROUTER_API_KEY: CANARY_KEY, FORCE_COLOR: "0" };
  return new Promise((resolve) => {
    execFile(
      TSX,
      [join(ROOT, "scripts", "demo.ts"), ...args],
      { cwd: ROOT, env, timeout: 60_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

describe("npm run demo", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "sora-demo-"));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  test("generates through the real client against the embedded mock, downloads a valid MP4 and exits 0", async () => {
    const { code, stdout, stderr } = await demo(["--out", dir]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    expect(stdout).toMatch(/Started the embedded mock gateway at http:\/\/127\.0\.0\.1:\d+/);
    expect(stdout).toMatch(/rendering… \d\.\d s/);
    expect(stdout).toMatch(/The video is at \S*sora-demo-\w+\/demo\.mp4\n/);
    expect(stdout).toMatch(/accepted 1 generation and served 1 download/);
    expect(stdout).not.toContain(CANARY_KEY);
    const { boxes, problems } = inspectMp4File(join(dir, "demo.mp4"));
    expect(problems).toEqual([]);
    expect(boxes.map((box) => box.type)).toEqual(["ftyp", "moov", "free", "mdat"]);
  }, 60_000);

  test("a failure prints one clear line on stderr and exits 1", async () => {
    const blocker = join(dir, "a-file");
    await writeFile(blocker, "not a directory");
    const { code, stderr } = await demo(["--out", join(blocker, "sub")]);
    expect(code).toBe(1);
    const lines = stderr.split("\n").filter(Boolean);
    expect(lines).toEqual([expect.stringMatching(/^demo failed: Cannot write to .*ENOTDIR/)]);
  }, 60_000);
});
