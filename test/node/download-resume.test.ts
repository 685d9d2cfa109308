import { randomBytes } from "node:crypto";
import { promises as fsp } from "node:fs";
import { readFile, readdir, rm, stat, writeFile } from "node:fs/promises";
import type { ServerResponse } from "node:http";
import { join } from "node:path";
import { DownloadError, downloadVideo } from "../../src/node/index";
import { useServers, type SeenRequest } from "../helpers/server";
import { waitFor } from "../cli/helpers/run-cli";
import { useTempDir } from "../cli/helpers/temp-dir";

const VIDEO = randomBytes(1024 * 1024);
VIDEO.write("\0\0\0\x18ftypmp42\0\0\0\0", 0, "latin1");
const CUT = 300_000;
const ETAG = '"video-1"';

/** Serves VIDEO, or from a `Range: bytes=N-` on (206) unless `ignoreRange`; `If-Range` must name ETAG. */
function serveVideo(request: SeenRequest, res: ServerResponse, ignoreRange = false): void {
  const ranged = !ignoreRange && (request.headers["if-range"] === undefined || request.headers["if-range"] === ETAG);
  const start = ranged ? Number(/^bytes=(\d+)-$/.exec(request.headers.range ?? "")?.[1] ?? 0) : 0;
  const headers: Record<string, string | number> = {
    "content-type": "video/mp4",
    "accept-ranges": "bytes",
    etag: ETAG,
  };
  if (start > 0) headers["content-range"] = `bytes ${start}-${VIDEO.length - 1}/${VIDEO.length}`;
  res.writeHead(start > 0 ? 206 : 200, { ...headers, "content-length": VIDEO.length - start });
  res.end(VIDEO.subarray(start));
}

describe("downloadVideo({ resume: true }): a partial download is kept across calls and continued", () => {
  const serve = useServers();
  const tempDir = useTempDir("sora-resume-");
  const dest = () => join(tempDir(), "clip.mp4");
  const parts = async () => (await readdir(tempDir())).filter((name) => name.endsWith(".part"));
  const versionRecord = async (part: string) => JSON.parse(await readFile(join(tempDir(), `${part}.json`), "utf8"));

  /** A first call that the caller aborts after CUT bytes: it leaves the resumable part behind. */
  async function abortedFirstCall(url: string): Promise<string> {
    const controller = new AbortController();
    const call = downloadVideo(url, dest(), { resume: true, signal: controller.signal });
    const written = async () =>
      Promise.all((await parts()).map(async (name) => (await stat(join(tempDir(), name))).size));
    await waitFor(async () => (await written())[0] === CUT, 10_000, "the first bytes on disk");
    controller.abort(new Error("Ctrl-C"));
    await expect(call).rejects.toBeInstanceOf(DownloadError);
    const [part] = await parts();
    expect(part).toMatch(/^\.clip\.mp4\.resume-[0-9a-f]{12}\.part$/);
    expect((await stat(join(tempDir(), part!))).size).toBe(CUT);
    return part!;
  }

  /** A server whose first answer sends CUT bytes and then stalls; later ones go through `later`. */
  const stallingServer = (later: (request: SeenRequest, res: ServerResponse) => void, withEtag = true) =>
    serve((request, res, index) => {
      if (index > 0) return later(request, res);
      res.writeHead(200, {
        "content-type": "video/mp4",
        "content-length": VIDEO.length,
        "accept-ranges": "bytes",
        ...(withEtag && { etag: ETAG }),
      });
      res.write(VIDEO.subarray(0, CUT));
    });

  test("an aborted call keeps its part and the version it holds; the next call asks for the rest with Range and If-Range, byte-exact", async () => {
    const host = await stallingServer((request, res) => serveVideo(request, res));
    const url = `${host.url}/v.mp4?sig=secret`;
    const part = await abortedFirstCall(url);
    expect(await versionRecord(part)).toEqual({ etag: ETAG, total: VIDEO.length });
    const result = await downloadVideo(url, dest(), { resume: true });
    expect(result.bytes).toBe(VIDEO.length);
    expect((await readFile(dest())).equals(VIDEO)).toBe(true);
    expect(host.requests[1]!.headers).toMatchObject({ range: `bytes=${CUT}-`, "if-range": ETAG });
    expect(await readdir(tempDir())).toEqual(["clip.mp4"]);
  });

  test("the video changed between the calls (another ETag): the server sends it whole, nothing of the old one is kept", async () => {
    const changed = Buffer.from(VIDEO);
    changed.fill(7, 16);
    // Like most video hosts, it honours a plain Range, and an If-Range only when the ETag still matches.
    const host = await stallingServer((request, res) => {
      const ifRange = request.headers["if-range"];
      const start =
        ifRange === undefined || ifRange === '"video-2"' ? Number(/\d+/.exec(request.headers.range ?? "0")) : 0;
      res.writeHead(start > 0 ? 206 : 200, {
        "content-type": "video/mp4",
        "content-length": changed.length - start,
        "accept-ranges": "bytes",
        etag: '"video-2"',
        ...(start > 0 && { "content-range": `bytes ${start}-${changed.length - 1}/${changed.length}` }),
      });
      res.end(changed.subarray(start));
    });
    const url = `${host.url}/v.mp4`;
    await abortedFirstCall(url);
    await downloadVideo(url, dest(), { resume: true });
    expect(host.requests[1]!.headers["if-range"]).toBe(ETAG);
    expect((await readFile(dest())).equals(changed)).toBe(true);
    expect(await readdir(tempDir())).toEqual(["clip.mp4"]);
  });

  test("without an ETag, a resumed answer for a video of another size is not spliced on: the download restarts", async () => {
    const host = await stallingServer((request, res) => {
      if (request.headers.range === undefined) return serveVideo(request, res);
      res.writeHead(206, { "content-type": "video/mp4", "content-range": `bytes ${CUT}-${CUT}/${CUT + 1}` });
      res.end("x");
    }, false);
    const url = `${host.url}/v.mp4`;
    const part = await abortedFirstCall(url);
    expect(await versionRecord(part)).toEqual({ total: VIDEO.length });
    await downloadVideo(url, dest(), { resume: true });
    expect(host.requests.map((request) => request.headers.range)).toEqual([undefined, `bytes=${CUT}-`, undefined]);
    expect((await readFile(dest())).equals(VIDEO)).toBe(true);
  });

  test("a part without its version record (as an older release left it) is not continued: the download starts from byte 0", async () => {
    const host = await stallingServer((request, res) => serveVideo(request, res));
    const url = `${host.url}/v.mp4`;
    const part = await abortedFirstCall(url);
    await rm(join(tempDir(), `${part}.json`));
    await downloadVideo(url, dest(), { resume: true });
    expect(host.requests[1]!.headers.range).toBeUndefined();
    expect((await readFile(dest())).equals(VIDEO)).toBe(true);
    expect(await readdir(tempDir())).toEqual(["clip.mp4"]);
  });

  test("a server that ignores the Range gets the whole video again, still exact", async () => {
    const host = await stallingServer((request, res) => serveVideo(request, res, true));
    const url = `${host.url}/v.mp4`;
    await abortedFirstCall(url);
    await downloadVideo(url, dest(), { resume: true });
    expect((await readFile(dest())).equals(VIDEO)).toBe(true);
    expect(await parts()).toEqual([]);
  });

  test("a part for another URL is not spliced on: it has another name, and the download starts from byte 0", async () => {
    const host = await stallingServer((request, res) => serveVideo(request, res));
    await abortedFirstCall(`${host.url}/v.mp4?sig=one`);
    await downloadVideo(`${host.url}/v.mp4?sig=two`, dest(), { resume: true });
    expect(host.requests[1]!.headers.range).toBeUndefined();
    expect((await readFile(dest())).equals(VIDEO)).toBe(true);
  });

  test("a part that does not start like a video is discarded: no Range, the file is exact", async () => {
    const host = await stallingServer((request, res) => serveVideo(request, res));
    const url = `${host.url}/v.mp4`;
    const part = await abortedFirstCall(url);
    await writeFile(join(tempDir(), part), "<html>not a video</html>");
    await downloadVideo(url, dest(), { resume: true });
    expect(host.requests[1]!.headers.range).toBeUndefined();
    expect((await readFile(dest())).equals(VIDEO)).toBe(true);
    expect(await parts()).toEqual([]);
  });

  test("any failure other than an abort removes the part (here: the link now answers an HTML page)", async () => {
    const host = await stallingServer((_request, res) => {
      res.writeHead(200, { "content-type": "text/html" });
      res.end("<h1>Link expired</h1>");
    });
    const url = `${host.url}/v.mp4`;
    await abortedFirstCall(url);
    await expect(downloadVideo(url, dest(), { resume: true })).rejects.toThrow(/text\/html, not a video/);
    expect(await readdir(tempDir())).toEqual([]);
  });

  test("a full disk while writing the part's version record is a DownloadError naming the path (ENOSPC in its cause)", async () => {
    const host = await serve((request, res) => serveVideo(request, res));
    const realWriteFile = fsp.writeFile.bind(fsp);
    const spy = jest.spyOn(fsp, "writeFile").mockImplementation(async (file, ...rest) => {
      if (String(file).endsWith(".part.json"))
        throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
      return realWriteFile(file, ...rest);
    });
    try {
      const error = await downloadVideo(`${host.url}/v.mp4`, dest(), { resume: true }).catch(
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(DownloadError);
      expect((error as Error).message).toBe(`Cannot write beside ${dest()}: ENOSPC: no space left on device, write`);
      expect(((error as Error).cause as NodeJS.ErrnoException).code).toBe("ENOSPC");
      expect(await readdir(tempDir())).toEqual([]);
    } finally {
      spy.mockRestore();
    }
  });
});
