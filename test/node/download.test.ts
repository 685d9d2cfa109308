import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { expectTypeOf } from "expect-type";
import {
  DownloadError,
  createSoraClient,
  downloadVideo,
  type DownloadOptions,
  type DownloadProgress,
  type DownloadResult,
  type NodeSoraClient,
  type SoraClient,
} from "../../src/node/index";
import { startMockServer, inspectMp4File } from "../../src/node/mock/index";
import { CANARY_KEY, VALID_REQUEST } from "../helpers/fetch";
import { startHttpServer, type TestServer } from "../helpers/http-server";

/** Random bytes behind an MP4 `ftyp` box header: downloadVideo checks that a video starts like one. */
const VIDEO = randomBytes(1024 * 1024 + 123);
VIDEO.write("\0\0\0\x18ftypmp42\0\0\0\0", 0, "latin1");
const ETAG = '"v1"';
/** How long a cut response waits, after its bytes are sent, before it closes the connection. */
const CUT_DELAY_MS = 150;

interface ServeOptions {
  /** Advertise and honour Range (Accept-Ranges + ETag). */
  ranges?: boolean;
  /** Destroy the socket after this many body bytes of this response. */
  cutAfter?: number;
  /** Answer Range requests with a 200 and the whole body anyway. */
  ignoreRange?: boolean;
  /** Answer Range requests with a 206 that starts somewhere else. */
  wrongRangeStart?: boolean;
}

/** Serves VIDEO (or a range of it), optionally cutting the connection part-way. */
function serve(request: IncomingMessage, res: ServerResponse, options: ServeOptions = {}): void {
  const match = /^bytes=(\d+)-$/.exec(request.headers.range ?? "");
  const ranged =
    options.ranges &&
    match &&
    !options.ignoreRange &&
    (request.headers["if-range"] === undefined || request.headers["if-range"] === ETAG);
  const start = ranged ? (options.wrongRangeStart ? 0 : Number(match![1])) : 0;
  const headers: Record<string, string | number> = {
    "content-type": "video/mp4",
    "content-length": VIDEO.length - start,
  };
  if (options.ranges) Object.assign(headers, { "accept-ranges": "bytes", etag: ETAG });
  if (ranged) headers["content-range"] = `bytes ${start}-${VIDEO.length - 1}/${VIDEO.length}`;
  res.writeHead(ranged ? 206 : 200, headers);
  if (options.cutAfter === undefined) {
    res.end(VIDEO.subarray(start));
    return;
  }
  // A graceful close (FIN) a moment after the bytes: the client reads what it received (an RST, or a FIN that
  // arrives before the client reads, could drop it from the fetch body's queue), then sees the cut.
  res.write(VIDEO.subarray(start, start + options.cutAfter), () => setTimeout(() => res.socket?.end(), CUT_DELAY_MS));
}

let dir: string;
const servers: TestServer[] = [];
async function server(handler: Parameters<typeof startHttpServer>[0]): Promise<TestServer> {
  const started = await startHttpServer(handler);
  servers.push(started);
  return started;
}
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "sora-download-"));
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((each) => each.close()));
  await rm(dir, { recursive: true, force: true });
});

async function failure(promise: Promise<unknown>): Promise<DownloadError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(DownloadError);
  return error as DownloadError;
}

describe("downloadVideo", () => {
  test("streams the video to dest and reports progress up to the total", async () => {
    const host = await server((request, res) => serve(request, res));
    const progress: DownloadProgress[] = [];
    const dest = join(dir, "clip.mp4");
    const result = await downloadVideo(`${host.url}/clip.mp4`, dest, { onProgress: (each) => progress.push(each) });
    expect(result).toEqual({ path: dest, bytes: VIDEO.length });
    expect((await readFile(dest)).equals(VIDEO)).toBe(true);
    expect(await readdir(dir)).toEqual(["clip.mp4"]);
    expect(progress.at(-1)).toEqual({ bytes: VIDEO.length, totalBytes: VIDEO.length });
    expect(progress.every((each, index) => index === 0 || each.bytes >= progress[index - 1]!.bytes)).toBe(true);
    expect(host.requests[0]!.headers["accept-encoding"]).toBe("identity");
  });

  test("creates the parent directory, resolves a relative dest to an absolute path", async () => {
    const host = await server((request, res) => serve(request, res));
    const result = await downloadVideo(`${host.url}/v.mp4`, join(dir, "nested", "deeper", "v.mp4"));
    expect(result.path).toBe(join(dir, "nested", "deeper", "v.mp4"));
    expect(result.bytes).toBe(VIDEO.length);
  });

  test("follows redirects to another host", async () => {
    const cdn = await server((request, res) => serve(request, res));
    const api = await server((_request, res) => {
      res.writeHead(302, { location: `${cdn.url}/real.mp4?sig=abc` });
      res.end();
    });
    const dest = join(dir, "r.mp4");
    await downloadVideo(`${api.url}/v.mp4`, dest);
    expect((await readFile(dest)).equals(VIDEO)).toBe(true);
    expect(cdn.requests.map((request) => request.url)).toEqual(["/real.mp4?sig=abc"]);
  });

  test("never sends Authorization or the key to the video host, from the Node client either (redirects included)", async () => {
    const cdn = await server((request, res) => serve(request, res));
    const first = await server((_request, res) => {
      res.writeHead(307, { location: `${cdn.url}/v.mp4` });
      res.end();
    });
    const sora: NodeSoraClient = createSoraClient({
      apiKey: CANARY_KEY,
      authScheme: "bearer",
      headers: { "x-team": "video" },
    });
    expect(sora.downloadVideo).toBe(downloadVideo);
    await sora.downloadVideo(`${first.url}/v.mp4`, join(dir, "k.mp4"));
    const seen = [...first.requests, ...cdn.requests];
    expect(seen).toHaveLength(2);
    for (const request of seen) {
      expect(request.headers.authorization).toBeUndefined();
      expect(JSON.stringify(request)).not.toContain(CANARY_KEY);
      expect(request.headers["x-team"]).toBeUndefined();
    }
  });

  test.each([
    [403, /expire/],
    [404, /gone or the link expired/],
    [410, /expire/],
    [500, /HTTP 500/],
  ])("HTTP %i → DownloadError with the status and the URL without its query; nothing written", async (status, hint) => {
    const host = await server((_request, res) => {
      res.writeHead(status, { "content-type": "text/plain" });
      res.end("denied");
    });
    const secret = "X-Amz-Signature=deadbeefcafe";
    const dest = join(dir, "gone.mp4");
    const error = await failure(downloadVideo(`${host.url}/v/gone.mp4?${secret}&X-Amz-Expires=60`, dest));
    expect(error.status).toBe(status);
    expect(error.url).toBe(`${host.url}/v/gone.mp4`);
    expect(error.message).toMatch(hint);
    expect(error.mayHaveBeenAccepted).toBe(false);
    for (const text of [error.message, error.url, JSON.stringify(error), inspect(error, { depth: 5 })])
      expect(text).not.toContain("deadbeef");
    expect(await readdir(dir)).toEqual([]);
  });

  test("a connection cut mid-body without resume support fails, leaves the old dest untouched and no temporary file", async () => {
    const host = await server((request, res) => serve(request, res, { cutAfter: 300_000 }));
    const dest = join(dir, "keep.mp4");
    await writeFile(dest, "the old video");
    const error = await failure(downloadVideo(`${host.url}/v.mp4?token=secret`, dest, { overwrite: true }));
    expect(error.message).toMatch(/does not support resuming/);
    expect(error.status).toBeUndefined();
    expect(inspect(error, { depth: 5 })).not.toContain("token=secret");
    expect(await readFile(dest, "utf8")).toBe("the old video");
    expect(await readdir(dir)).toEqual(["keep.mp4"]);
    expect(host.requests).toHaveLength(1);
  });

  test("a cut connection is resumed with Range and If-Range from the first byte not received; the file is byte-exact", async () => {
    const host = await server((request, res, index) =>
      serve(request, res, { ranges: true, cutAfter: index === 0 ? 400_000 : undefined }),
    );
    const dest = join(dir, "resumed.mp4");
    const result = await downloadVideo(`${host.url}/v.mp4`, dest);
    expect(result.bytes).toBe(VIDEO.length);
    expect((await readFile(dest)).equals(VIDEO)).toBe(true);
    expect(host.requests).toHaveLength(2);
    expect(host.requests[0]!.headers.range).toBeUndefined();
    const resumedAt = Number(/^bytes=(\d+)-$/.exec(host.requests[1]!.headers.range ?? "")?.[1]);
    expect(resumedAt).toBe(400_000);
    expect(host.requests[1]!.headers["if-range"]).toBe(ETAG);
    expect(await readdir(dir)).toEqual(["resumed.mp4"]);
  });

  test.each<[string, ServeOptions]>([
    ["ignores Range (200 with the whole body)", { ignoreRange: true }],
    ["answers a 206 that starts at the wrong byte", { wrongRangeStart: true }],
  ])("a server that %s gets a full restart, and the file is still exact", async (_name, quirk) => {
    const host = await server((request, res, index) =>
      serve(request, res, { ranges: true, cutAfter: index === 0 ? 300_000 : undefined, ...quirk }),
    );
    const dest = join(dir, "restarted.mp4");
    await downloadVideo(`${host.url}/v.mp4`, dest);
    expect((await readFile(dest)).equals(VIDEO)).toBe(true);
    expect(host.requests.length).toBeGreaterThanOrEqual(2);
  });

  test("every chunk read before a cut reaches the file, however many the body had buffered: the resume starts after them", async () => {
    const chunks = 64;
    const chunkBytes = 4096;
    const ranges: (string | null)[] = [];
    const fetch: typeof globalThis.fetch = async (_url, init) => {
      const range = new Headers(init?.headers).get("range");
      ranges.push(range);
      const headers = { "content-type": "video/mp4", "accept-ranges": "bytes", etag: ETAG };
      if (range !== null) {
        const start = Number(/\d+/.exec(range)![0]);
        const rest = { ...headers, "content-range": `bytes ${start}-${VIDEO.length - 1}/${VIDEO.length}` };
        return new Response(VIDEO.subarray(start), { status: 206, headers: rest });
      }
      let pulls = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          pulls += 1;
          if (pulls > 1) return controller.error(new TypeError("terminated"));
          for (let index = 0; index < chunks; index += 1)
            controller.enqueue(VIDEO.subarray(index * chunkBytes, (index + 1) * chunkBytes));
        },
      });
      return new Response(body, { status: 200, headers: { ...headers, "content-length": String(VIDEO.length) } });
    };
    const dest = join(dir, "buffered.mp4");
    await downloadVideo("http://127.0.0.1:9/v.mp4", dest, { fetch });
    expect((await readFile(dest)).equals(VIDEO)).toBe(true);
    expect(ranges).toEqual([null, `bytes=${chunks * chunkBytes}-`]);
  });

  test("a resumed 206 for a video of another size is not spliced on: the download restarts", async () => {
    const host = await server((request, res, index) => {
      if (index !== 1) return serve(request, res, { ranges: true, cutAfter: index === 0 ? 200_000 : undefined });
      res.writeHead(206, {
        "content-range": `bytes ${/\d+/.exec(request.headers.range ?? "bytes=0-")![0]}-9/10`,
        "content-length": 1,
        "accept-ranges": "bytes",
      });
      res.end("x");
    });
    const dest = join(dir, "changed.mp4");
    await downloadVideo(`${host.url}/v.mp4`, dest);
    expect((await readFile(dest)).equals(VIDEO)).toBe(true);
    expect(host.requests.map((request) => request.headers.range === undefined)).toEqual([true, false, true]);
  });

  test("gives up after maxResumes, with no temporary file left", async () => {
    const host = await server((request, res) => serve(request, res, { ranges: true, cutAfter: 100_000 }));
    const error = await failure(downloadVideo(`${host.url}/v.mp4`, join(dir, "never.mp4"), { maxResumes: 2 }));
    expect(error.message).toMatch(/gave up after 2 resume\(s\)/);
    expect(host.requests).toHaveLength(3);
    expect(await readdir(dir)).toEqual([]);
  });

  test("a stalled body counts as cut after idleTimeoutMs, and is resumed", async () => {
    const host = await server((request, res, index) => {
      if (index > 0) return serve(request, res, { ranges: true });
      res.writeHead(200, { "content-length": VIDEO.length, "accept-ranges": "bytes", etag: ETAG });
      res.write(VIDEO.subarray(0, 1000));
    });
    const dest = join(dir, "stall.mp4");
    await downloadVideo(`${host.url}/v.mp4`, dest, { idleTimeoutMs: 1000 });
    expect((await readFile(dest)).equals(VIDEO)).toBe(true);
    expect(host.requests[1]!.headers.range).toBe("bytes=1000-");
  });

  test("aborting via signal fails with DownloadError, keeps the old dest and removes the temporary file", async () => {
    const host = await server((_request, res) => {
      res.writeHead(200, { "content-length": VIDEO.length });
      res.write(VIDEO.subarray(0, 5000));
    });
    const dest = join(dir, "abort.mp4");
    await writeFile(dest, "old");
    const controller = new AbortController();
    const pending = downloadVideo(`${host.url}/v.mp4`, dest, {
      overwrite: true,
      signal: controller.signal,
      onProgress: () => controller.abort(new Error("user cancelled")),
    });
    const error = await failure(pending);
    expect(error.message).toMatch(/aborted/);
    expect(await readFile(dest, "utf8")).toBe("old");
    expect(await readdir(dir)).toEqual(["abort.mp4"]);
  });

  test("an already-aborted signal sends nothing", async () => {
    const host = await server((request, res) => serve(request, res));
    await failure(downloadVideo(`${host.url}/v.mp4`, join(dir, "x.mp4"), { signal: AbortSignal.abort() }));
    expect(host.requests).toHaveLength(0);
  });

  test("an existing dest is a DownloadError before any traffic unless overwrite is true", async () => {
    const host = await server((request, res) => serve(request, res));
    const dest = join(dir, "exists.mp4");
    await writeFile(dest, "mine");
    const error = await failure(downloadVideo(`${host.url}/v.mp4`, dest));
    expect(error.message).toMatch(/already exists; pass overwrite: true/);
    expect(host.requests).toHaveLength(0);
    expect(await readFile(dest, "utf8")).toBe("mine");
    await downloadVideo(`${host.url}/v.mp4`, dest, { overwrite: true });
    expect((await readFile(dest)).equals(VIDEO)).toBe(true);
    expect(await readdir(dir)).toEqual(["exists.mp4"]);
  });

  test("a dest that appears during the download is not replaced (without overwrite)", async () => {
    const dest = join(dir, "race.mp4");
    const host = await server((request, res) => {
      void writeFile(dest, "written by someone else").then(() => serve(request, res));
    });
    const error = await failure(downloadVideo(`${host.url}/v.mp4`, dest));
    expect(error.message).toMatch(/appeared during the download/);
    expect(await readFile(dest, "utf8")).toBe("written by someone else");
    expect(await readdir(dir)).toEqual(["race.mp4"]);
  });

  test.each([
    ["not a URL", "::nope::?secret=1", "(invalid URL)"],
    ["not http(s)", "ftp://files.example/v.mp4?secret=1", "ftp://files.example/v.mp4"],
  ])("a URL that is %s is a DownloadError that does not quote the query", async (_name, url, shown) => {
    const error = await failure(downloadVideo(url, join(dir, "x.mp4")));
    expect(error.url).toBe(shown);
    expect(inspect(error)).not.toContain("secret=1");
  });

  test("a refused connection is a DownloadError (no response, nothing to resume)", async () => {
    const host = await server((request, res) => serve(request, res));
    await host.close();
    const error = await failure(downloadVideo(`${host.url}/v.mp4`, join(dir, "x.mp4")));
    expect(error.message).toMatch(/ECONNREFUSED.*no response/);
    expect(await readdir(dir)).toEqual([]);
  });

  test("an error thrown by onProgress fails the download as is, leaving no temporary file", async () => {
    const host = await server((request, res) => serve(request, res, { ranges: true }));
    const bug = new Error("bug in the progress callback");
    await expect(
      downloadVideo(`${host.url}/v.mp4`, join(dir, "x.mp4"), {
        onProgress: () => {
          throw bug;
        },
      }),
    ).rejects.toBe(bug);
    expect(host.requests).toHaveLength(1);
    expect(await readdir(dir)).toEqual([]);
  });

  test("options are checked", async () => {
    await expect(downloadVideo("http://127.0.0.1:9/v.mp4", join(dir, "x.mp4"), { maxResumes: -1 })).rejects.toThrow(
      /maxResumes/,
    );
    await expect(downloadVideo("http://127.0.0.1:9/v.mp4", join(dir, "x.mp4"), { idleTimeoutMs: 0 })).rejects.toThrow(
      /idleTimeoutMs/,
    );
  });

  test("public types: the Node client has downloadVideo with the documented signature", () => {
    expectTypeOf<NodeSoraClient>().toMatchTypeOf<SoraClient>();
    expectTypeOf<NodeSoraClient["downloadVideo"]>().toEqualTypeOf<typeof downloadVideo>();
    expectTypeOf(downloadVideo).parameters.toEqualTypeOf<[url: string, dest: string, options?: DownloadOptions]>();
    expectTypeOf(downloadVideo).returns.resolves.toEqualTypeOf<DownloadResult>();
    expectTypeOf<DownloadResult>().toEqualTypeOf<{ path: string; bytes: number }>();
    expectTypeOf<Parameters<NonNullable<DownloadOptions["onProgress"]>>[0]>().toEqualTypeOf<{
      bytes: number;
      totalBytes: number | undefined;
    }>();
    expectTypeOf(createSoraClient).returns.toEqualTypeOf<NodeSoraClient>();
  });

  test("end to end against the embedded mock: generate, then download a valid MP4", async () => {
    const mock = await startMockServer();
    try {
      const sora = createSoraClient({ apiKey: CANARY_KEY, baseUrl: mock.url });
      const video = await sora.generateVideo(VALID_REQUEST);
      const dest = join(dir, "mock.mp4");
      const result = await sora.downloadVideo(video.data[0]!.url!, dest);
      expect(result.bytes).toBe(7959);
      expect(inspectMp4File(dest).problems).toEqual([]);
      expect(mock.stats).toMatchObject({ accepted: 1, downloads: 1 });
    } finally {
      await mock.close();
    }
  });
});
