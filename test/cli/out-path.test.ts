import { mkdir, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { UsageError } from "../../src/cli/exit";
import { checkOutTarget, videoFileName, videoPath } from "../../src/cli/out-path";
import { useTempDir } from "./helpers/temp-dir";

describe("videoFileName", () => {
  test.each<[string, { url: string; video_id?: string }, number | undefined, string]>([
    ["the video id", { url: "https://cdn.example/x/abc.mp4?sig=1", video_id: "vid_42" }, 7, "vid_42.mp4"],
    ["an id with odd characters, made safe", { url: "https://cdn.example/x", video_id: "a/b c" }, 7, "a_b_c.mp4"],
    ["no id: the URL's file name", { url: "https://cdn.example/v/clip.mp4?sig=secret" }, 7, "clip.mp4"],
    ["no id: the URL's last segment, .mp4 added", { url: "https://cdn.example/v/abc123" }, 7, "abc123.mp4"],
    ["a WebM keeps its extension", { url: "https://cdn.example/v/clip.webm" }, 7, "clip.webm"],
    ["no id, no name: the created time", { url: "https://cdn.example/" }, 1732435200, "sora-1732435200.mp4"],
    ["a dot-file name is not hidden", { url: "https://cdn.example/.mp4" }, 7, "mp4.mp4"],
  ])("%s", (_name, video, created, want) => {
    expect(videoFileName(video, created)).toBe(want);
  });
});

describe("checkOutTarget and videoPath", () => {
  const tempDir = useTempDir("sora-out-");

  test("an existing directory, a path ending in /, or none at all is a directory (created, proved writable)", async () => {
    await mkdir(join(tempDir(), "d"));
    expect(await checkOutTarget(join(tempDir(), "d"), false)).toEqual({
      kind: "directory",
      path: join(tempDir(), "d"),
    });
    expect(await checkOutTarget(`${join(tempDir(), "new")}/`, false)).toEqual({
      kind: "directory",
      path: join(tempDir(), "new"),
    });
    expect((await checkOutTarget(undefined, false)).kind).toBe("directory");
    expect(await readdir(join(tempDir(), "new"))).toEqual([]);
  });

  test("a file: its directory is created; an existing one needs overwrite", async () => {
    const path = join(tempDir(), "a", "b.mp4");
    expect(await checkOutTarget(path, false)).toEqual({ kind: "file", path });
    await writeFile(path, "x");
    await expect(checkOutTarget(path, false)).rejects.toThrow(UsageError);
    expect(await checkOutTarget(path, true)).toEqual({ kind: "file", path });
  });

  test("a directory that cannot be made is a UsageError naming the reason", async () => {
    await writeFile(join(tempDir(), "f"), "x");
    await expect(checkOutTarget(join(tempDir(), "f", "v.mp4"), false)).rejects.toThrow(
      /Cannot save into .* \((ENOTDIR|EEXIST)\)/,
    );
  });

  test("in a directory a taken name gets a suffix, unless overwrite", async () => {
    const target = { kind: "directory", path: tempDir() } as const;
    await writeFile(join(tempDir(), "v.mp4"), "x");
    await writeFile(join(tempDir(), "v-2.mp4"), "x");
    expect(await videoPath(target, "v.mp4", false)).toBe(join(tempDir(), "v-3.mp4"));
    expect(await videoPath(target, "v.mp4", true)).toBe(join(tempDir(), "v.mp4"));
    expect(await videoPath({ kind: "file", path: "/x/y.mp4" }, "v.mp4", false)).toBe("/x/y.mp4");
  });
});
