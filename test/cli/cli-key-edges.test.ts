import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { serveVideo, videoSource } from "../../src/node/mock/video";
import { redactText, redactValue } from "../../src/redact";
import { CANARY_KEY } from "../helpers/fetch";
import { startHttpServer, type TestServer } from "../helpers/http-server";
import { runCliHere } from "./helpers/run-cli";
import { useTempDir } from "./helpers/temp-dir";

/** Short, long and JSON-special keys (ONEROUTER_API_KEY as a user may set it). */
const KEYS = ["sk", "test", "url", '"', "\\", "{", CANARY_KEY];

/**
 * A gateway that echoes the key: in the request id (`req-<Authorization>`, as one was seen to do)
 * and in the revised prompt; its video URL holds the key's text inside a path.
 */
async function echoingGateway(key: string): Promise<TestServer & { videoUrl: string }> {
  const source = videoSource();
  const server = await startHttpServer((request, res) => {
    if (request.method !== "POST") return void serveVideo(request, res, source);
    request.resume().on("end", () => {
      const body = {
        created: 1,
        data: [
          { url: videoUrl, video_id: "v1", revised_prompt: `a cat, said ${String(request.headers.authorization)}` },
        ],
      };
      res
        .writeHead(200, {
          "content-type": "application/json",
          "x-request-id": `req-${String(request.headers.authorization)}`,
        })
        .end(JSON.stringify(body));
    });
  });
  const videoUrl = `${server.url}/videos/${encodeURIComponent(key)}/disk.mp4`;
  return { ...server, videoUrl };
}

/** No text the package's rule would still take out (for a long key: not there at all). */
function expectNoKey(text: string, key: string): void {
  expect(redactText(text, key)).toBe(text);
  if (key.length >= 8) expect(text).not.toContain(key);
}

/** A JSON document's values hold no key (its syntax may: `"` or `{` is part of any JSON text). */
function expectNoKeyInDocument(document: unknown, key: string): void {
  expect(redactValue(document, key)).toEqual(document);
}

describe("the key at the CLI's edges: data as received, no key in output or journal, whatever the key", () => {
  const tempDir = useTempDir("sora-key-edges-");
  let gateway: (TestServer & { videoUrl: string }) | undefined;
  afterEach(async () => {
    await gateway?.close();
    gateway = undefined;
  });

  test.each(KEYS)(
    "key %j: generate --json is one valid document whose url and path are the real ones",
    async (key) => {
      gateway = await echoingGateway(key);
      const out = join(tempDir(), "smalldisk", "clip.mp4");
      const env = { ONEROUTER_API_KEY: key, ONEROUTER_BASE_URL: gateway.url };
      const run = await runCliHere(["generate", "--prompt", "A cat", "--out", out, "--json"], { env });
      expect(run.code).toBe(0);
      const document = JSON.parse(run.stdout) as { url: string; path: string };
      // The URL is the server's (a long key inside it is taken out: the URL leaves as output).
      expect(document).toMatchObject({ url: redactText(gateway.videoUrl, key), path: out });
      expectNoKeyInDocument(document, key);
      expectNoKey(run.stderr, key);
    },
    30_000,
  );

  test.each(KEYS)(
    "key %j: batch prints its paths unmangled, and neither output nor journal holds the key (request id echoed)",
    async (key) => {
      gateway = await echoingGateway(key);
      const outDir = join(tempDir(), "smalldisk", "o");
      const jobs = join(tempDir(), "jobs.jsonl");
      await writeFile(jobs, `${JSON.stringify({ id: "j1", prompt: "A cat" })}\n`);
      const env = { ONEROUTER_API_KEY: key, ONEROUTER_BASE_URL: gateway.url };
      const text = await runCliHere(["batch", jobs, "--out", outDir], { env });
      expect(text.code).toBe(0);
      expect(text.stdout).toContain(join(outDir, "sora-batch.journal.jsonl"));
      expectNoKey(text.stdout + text.stderr, key);
      const json = await runCliHere(["batch", jobs, "--out", outDir, "--json"], { env });
      const document = JSON.parse(json.stdout) as { outDir: string; jobs: Array<{ path: string }> };
      expect(document.outDir).toBe(outDir);
      expect(document.jobs[0]!.path).toBe(join(outDir, "j1.mp4"));
      expectNoKeyInDocument(document, key);
      const journal = await readFile(join(outDir, "sora-batch.journal.jsonl"), "utf8");
      const records = journal
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line) as { receipt?: { requestId?: string } });
      expect(records.some((record) => record.receipt?.requestId?.startsWith("req-"))).toBe(true);
      for (const record of records) expectNoKeyInDocument(record, key);
      if (key.length >= 8) expect(journal).not.toContain(key);
    },
    30_000,
  );
});
