import { readFile, readdir, writeFile } from "node:fs/promises";
import type { ServerResponse } from "node:http";
import { inspect } from "node:util";
import { join } from "node:path";
import { DownloadError, downloadVideo, type DownloadOptions } from "../../src/node/index";
import { useServers } from "../helpers/server";
import { useTempDir } from "../cli/helpers/temp-dir";

/** The start of a real MP4: a 24-byte `ftyp` box. */
const FTYP = Buffer.from("00000018" + "66747970" + "6d703432" + "00000000" + "69736f6d" + "6d703432", "hex");
const SECRET = "X-Amz-Signature=f00dfacec0ffee";
const EXPIRED_PAGE = `<!DOCTYPE html>\n<html><head><title>Link expired</title></head>
<body><h1>This link has expired</h1><p>Requested: /v/cat.mp4?${SECRET}</p></body></html>`;

describe("downloadVideo refuses what is not a video, and leaves the file system as it was", () => {
  const serve = useServers();
  const tempDir = useTempDir("sora-not-video-");

  /** The download's outcome, with what the directory holds afterwards. */
  async function attempt(
    handler: (res: ServerResponse) => void,
    options: DownloadOptions & { existing?: string } = {},
  ) {
    const host = await serve((_request, res) => handler(res));
    const dest = join(tempDir(), "clip.mp4");
    if (options.existing !== undefined) await writeFile(dest, options.existing);
    const url = `${host.url}/v/cat.mp4?${SECRET}&X-Amz-Expires=60`;
    const error = await downloadVideo(url, dest, { overwrite: options.existing !== undefined, ...options }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(DownloadError);
    const failure = error as DownloadError;
    for (const text of [failure.message, failure.url, JSON.stringify(failure), inspect(failure, { depth: 5 })]) {
      expect(text).not.toContain("f00dfacec0ffee");
    }
    expect(failure.url).toBe(`${host.url}/v/cat.mp4`);
    expect(failure.mayHaveBeenAccepted).toBe(false);
    return { error: failure, entries: await readdir(tempDir()), dest, requests: host.requests };
  }

  const send = (res: ServerResponse, type: string, body: string | Buffer) => {
    res.writeHead(200, { "content-type": type, "content-length": Buffer.byteLength(body) });
    res.end(body);
  };

  test("a 200 HTML 'link expired' page: quotes the page's start without the query; nothing written", async () => {
    const { error, entries } = await attempt((res) => send(res, "text/html; charset=utf-8", EXPIRED_PAGE));
    expect(error.message).toMatch(
      /answered 200 with text\/html, not a video: "<!DOCTYPE html> <html><head><title>Link expired/,
    );
    expect(error.message).toContain("Requested: /v/cat.mp4?X-Amz-Signature=[redacted]");
    expect(error.status).toBe(200);
    expect(entries).toEqual([]);
  });

  test("a 200 JSON error: quoted, and an existing dest (overwrite) keeps its old content", async () => {
    const body = JSON.stringify({ error: { code: 403, message: "signature expired", type: "access_denied" } });
    const { error, entries, dest } = await attempt((res) => send(res, "application/json", body), {
      existing: "old video",
    });
    expect(error.message).toContain(`application/json, not a video: ${JSON.stringify(body)}`);
    expect(await readFile(dest, "utf8")).toBe("old video");
    expect(entries).toEqual(["clip.mp4"]);
  });

  test("a 200 text/plain answer is refused and quoted", async () => {
    const { error, entries } = await attempt((res) => send(res, "text/plain", "AccessDenied\r\n\tRequest has expired"));
    expect(error.message).toMatch(/text\/plain, not a video: "AccessDenied Request has expired"$/);
    expect(entries).toEqual([]);
  });

  test("video/mp4 on the label, HTML in the body: the bytes decide, and the quote is capped at 200 characters", async () => {
    const page = `${EXPIRED_PAGE}${"<p>padding</p>".repeat(100)}`;
    const { error, entries } = await attempt((res) => send(res, "video/mp4", page), { existing: "old video" });
    expect(error.message).toMatch(
      /the body \(HTTP 200\), not a video: "<!DOCTYPE html> <html><head><title>Link expired/,
    );
    const quoted = JSON.parse(error.message.slice(error.message.indexOf(': "') + 2)) as string;
    expect(quoted.length).toBe(201);
    expect(quoted.endsWith("…")).toBe(true);
    expect(entries).toEqual(["clip.mp4"]);
  });

  test("an empty 200 is not a video", async () => {
    const { error, entries } = await attempt((res) => send(res, "video/mp4", ""));
    expect(error.message).toMatch(/not a video: an empty body$/);
    expect(entries).toEqual([]);
  });

  test("an endless chunked body stops at maxBytes: DownloadError, no file, no temporary file", async () => {
    const chunk = Buffer.alloc(64 * 1024);
    let written = 0;
    const { error, entries, dest } = await attempt(
      (res) => {
        res.writeHead(200, { "content-type": "video/mp4" });
        const pump = () => {
          while (!res.destroyed && res.write(written === 0 ? Buffer.concat([FTYP, chunk]) : chunk)) written += 1;
          if (!res.destroyed) res.once("drain", pump);
        };
        pump();
      },
      { maxBytes: 1024 * 1024, existing: "old video" },
    );
    expect(error.message).toMatch(/stopped: the body \(\d+ bytes so far\) exceeds maxBytes \(1048576 bytes\)/);
    expect(await readFile(dest, "utf8")).toBe("old video");
    expect(entries).toEqual(["clip.mp4"]);
  });

  test("a Content-Length above maxBytes is refused before the body is read", async () => {
    const { error, entries, requests } = await attempt(
      (res) => {
        res.writeHead(200, { "content-type": "video/mp4", "content-length": 10_000_000 });
        res.write(FTYP);
      },
      { maxBytes: 5_000_000 },
    );
    expect(error.message).toMatch(/the announced size \(10000000 bytes\) exceeds maxBytes \(5000000 bytes\)/);
    expect(requests).toHaveLength(1);
    expect(entries).toEqual([]);
  });
});

describe("downloadVideo accepts what is a video", () => {
  const serve = useServers();
  const tempDir = useTempDir("sora-is-video-");

  test.each([
    ["an MP4 labelled video/mp4", "video/mp4", FTYP],
    ["an MP4 labelled application/octet-stream", "application/octet-stream", FTYP],
    ["an MP4 with no Content-Type", undefined, FTYP],
    ["a WebM (EBML header)", "video/webm", Buffer.from("1a45dfa3a3428286810142f7810142f2", "hex")],
  ])("%s", async (_name, type, head) => {
    const body = Buffer.concat([head, Buffer.alloc(5000, 7)]);
    const host = await serve((_request, res) => {
      res.writeHead(200, { ...(type ? { "content-type": type } : {}), "content-length": body.length });
      res.end(body);
    });
    const dest = join(tempDir(), "ok.video");
    await expect(downloadVideo(`${host.url}/ok`, dest)).resolves.toEqual({ path: dest, bytes: body.length });
    expect((await readFile(dest)).equals(body)).toBe(true);
  });

  test("maxBytes must be a whole number ≥ 1", async () => {
    await expect(downloadVideo("http://127.0.0.1:9/v.mp4", join(tempDir(), "x.mp4"), { maxBytes: 0 })).rejects.toThrow(
      /maxBytes/,
    );
  });
});
