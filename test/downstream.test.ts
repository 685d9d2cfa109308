import { cp, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, installPackedPackage, run } from "./helpers/packed-package";

const tsc = join(ROOT, "node_modules", ".bin", "tsc");

/**
 * The downstream service in examples/downstream installs this package from its `npm pack` tarball
 * (so a file missing from the published package fails here) and compiles under strict with both
 * nodenext and bundler resolution; the bundler check has no @types/node (a browser/edge consumer).
 */
describe("downstream service (examples/downstream) against the packed tarball", () => {
  let dir: string;
  /** The nodenext compile (it also emits build/, which the last test runs): undefined, or why it failed. */
  let nodenext: Error | undefined;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "sora-downstream-"));
    await cp(join(ROOT, "examples", "downstream"), join(dir, "service"), {
      recursive: true,
      filter: (source) => !/node_modules|build/.test(source),
    });
    await installPackedPackage(dir, join(dir, "service"));
    const service = { cwd: join(dir, "service") };
    nodenext = await run(tsc, ["-p", "tsconfig.nodenext.json"], service).then(
      () => undefined,
      (error: Error) => error,
    );
  }, 120_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  test("the package is installed from the tarball with dist/ and the spec", async () => {
    const installed = join(dir, "service", "node_modules", "sora-video-client");
    expect((await readdir(installed)).sort()).toEqual(expect.arrayContaining(["dist", "package.json", "spec"]));
  });

  test("compiles under strict with moduleResolution nodenext (the @ts-expect-error lines must fail)", async () => {
    expect(nodenext).toBeUndefined();
  });

  test("compiles under strict with moduleResolution bundler, browser condition, without @types/node", async () => {
    await expect(run(tsc, ["-p", "tsconfig.bundler.json"], { cwd: join(dir, "service") })).resolves.toBeDefined();
  }, 60_000);

  test("the compiled service runs against the installed package", async () => {
    expect(nodenext).toBeUndefined();
    const { stdout } = await run(process.execPath, ["build/main.js"], { cwd: join(dir, "service") });
    expect(stdout.trim().split("\n")).toEqual([
      "https://cdn.example/clip.mp4",
      "invalid: /duration",
      "v1 https://cdn.example/clip.mp4",
      "https://cdn.example/clip.mp4 true",
    ]);
  }, 60_000);
});
