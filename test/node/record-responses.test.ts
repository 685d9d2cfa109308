import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createSoraClient } from "../../src/node/index";
import { redactValue } from "../../src/redact";
import type { Recording } from "../../src/node/record/recording";
import { useTempDir } from "../cli/helpers/temp-dir";
import { sendJson, useServers } from "../helpers/server";

const KEY = "sk-canary-record-91c2";

async function recordings(dir: string): Promise<Array<{ text: string; recording: Recording }>> {
  const names = (await readdir(dir)).sort();
  return Promise.all(
    names.map(async (name) => {
      const text = await readFile(join(dir, name), "utf8");
      return { text, recording: JSON.parse(text) as Recording };
    }),
  );
}

describe("recordResponses: every response the client receives, saved scrubbed, one file each", () => {
  const serve = useServers();
  const temp = useTempDir("sora-record-");

  test("status, headers without secrets, body; the key and signed URLs' query strings removed", async () => {
    const server = await serve((request, response) =>
      sendJson(
        response,
        200,
        {
          created: 1,
          data: [{ url: "https://cdn.example/v.mp4?X-Amz-Signature=s3cr3t&X-Amz-Credential=c", video_id: "v1" }],
          echo: request.headers.authorization,
        },
        { "set-cookie": `session=${KEY}`, "x-api-key-echo": KEY, "x-request-id": "req_1", "x-note": `key ${KEY}` },
      ),
    );
    const dir = join(temp(), "rec");
    const sora = createSoraClient({ baseUrl: server.url, apiKey: KEY, recordResponses: dir });
    await sora.generateVideo({ prompt: "p", image_url: "https://img.example/a.png?token=t0k3n" });
    const [only, ...rest] = await recordings(dir);
    expect(rest).toEqual([]);
    expect(only!.text).not.toMatch(new RegExp(`${KEY}|s3cr3t|t0k3n|X-Amz`));
    const { recording } = only!;
    expect(recording).toMatchObject({
      format: "sora-video-recording/1",
      operation: { method: "POST", path: "/v1/videos/generations" },
      request: { body: { image_url: "https://img.example/a.png", prompt: "p" } },
      response: {
        status: 200,
        body: { created: 1, data: [{ url: "https://cdn.example/v.mp4", video_id: "v1" }], echo: "[redacted]" },
      },
    });
    expect(recording.response.headers).toMatchObject({ "x-request-id": "req_1", "x-note": "key [redacted]" });
    expect(Object.keys(recording.response.headers)).not.toEqual(expect.arrayContaining(["set-cookie"]));
    expect(Object.keys(recording.response.headers)).not.toContain("x-api-key-echo");
  });

  test.each(["sk", "test", "url", '"', "\\", "{"])(
    "a short or JSON-special key %j: the recording stays valid JSON, keeps the caller's data and holds no key",
    async (key) => {
      const server = await serve((request, response) =>
        sendJson(
          response,
          200,
          { created: 1, data: [{ url: "https://cdn.example/smalldisk/url.mp4", video_id: "v1" }], echo: `${key}` },
          { "x-request-id": `req-${String(request.headers.authorization)}`, "x-note": `key ${key}` },
        ),
      );
      const dir = join(temp(), "rec");
      const sora = createSoraClient({ baseUrl: server.url, apiKey: key, recordResponses: dir });
      const video = await sora.generateVideo({ prompt: "p", image_url: "https://img.example/a.png" });
      expect(video.data[0]!.url).toBe("https://cdn.example/smalldisk/url.mp4");
      const [only] = await recordings(dir);
      const { recording } = only!;
      expect(redactValue(recording, key)).toEqual(recording);
      expect(recording.response.body).toMatchObject({ data: [{ url: "https://cdn.example/smalldisk/url.mp4" }] });
      expect(recording.response.headers["x-note"]).toBe("key [redacted]");
    },
  );

  test("each attempt is recorded (an error answer too, as text when not JSON)", async () => {
    const server = await serve((_request, response, index) => {
      if (index === 0) {
        // a 429 was certainly not accepted, so the client re-sends it: two attempts, two recordings
        response.writeHead(429, { "content-type": "text/html", "retry-after": "0" });
        response.end(`<h1>slow down</h1> ${KEY}`);
      } else sendJson(response, 200, { created: 1, data: [] });
    });
    const dir = join(temp(), "rec");
    const sora = createSoraClient({ baseUrl: server.url, apiKey: KEY, recordResponses: dir, maxRetries: 1 });
    await sora.remixVideo({ video_id: "v1", prompt: "p" });
    const saved = await recordings(dir);
    expect(saved.map(({ recording }) => recording.response.status).sort()).toEqual([200, 429]);
    const failed = saved.find(({ recording }) => recording.response.status === 429)!.recording;
    expect(failed.response).toMatchObject({ text: "<h1>slow down</h1> [redacted]" });
    expect(failed.response.body).toBeUndefined();
  });

  test("a recording that cannot be written is a warning; the (paid) call still succeeds", async () => {
    const server = await serve((_request, response) => sendJson(response, 200, { created: 1, data: [] }));
    const blocked = join(temp(), "a-file");
    await writeFile(blocked, "");
    const warnings: string[] = [];
    const logger = { warn: (message: string) => warnings.push(message) };
    const sora = createSoraClient({ baseUrl: server.url, apiKey: KEY, recordResponses: blocked, logger });
    await expect(sora.generateVideo({ prompt: "p", image_url: "https://img.example/a.png" })).resolves.toEqual({
      created: 1,
      data: [],
    });
    expect(warnings).toEqual([expect.stringContaining(`could not record the response in ${blocked}`)]);
  });
});
