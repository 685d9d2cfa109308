import { readdir, stat } from "node:fs/promises";
import { CANARY_KEY } from "../helpers/fetch";
import { sendJson, useServers } from "../helpers/server";
import { useCliServers } from "./helpers/fake-gateway";
import { runCliHere } from "./helpers/run-cli";
import { useTempDir } from "./helpers/temp-dir";
import { serveVideo, videoSource } from "../../src/node/mock/video";

const ANSWER = {
  created: 1,
  data: [{ url: "https://cdn.example/remix.mp4", video_id: "vid_night", revised_prompt: "night" }],
};

describe("sora-video remix (the CLI in this process)", () => {
  const serve = useServers();
  const servers = useCliServers();
  const tempDir = useTempDir("sora-cli-remix-");

  test("--video-id and --prompt: POST /v1/videos/edits with the page's default model, one JSON document, exit 0", async () => {
    const server = await serve((_request, response) => sendJson(response, 200, ANSWER));
    const run = await runCliHere(
      [
        "remix",
        "--video-id",
        "vid_1",
        "--prompt",
        "Make it night",
        "--no-download",
        "--json",
        "--base-url",
        server.url,
      ],
      {
        env: { ONEROUTER_API_KEY: CANARY_KEY },
      },
    );
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: true, url: ANSWER.data[0]!.url, video_id: "vid_night" });
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]).toMatchObject({ method: "POST", url: "/v1/videos/edits" });
    expect(JSON.parse(server.requests[0]!.body)).toEqual({
      model: "sora-2-video-to-video",
      video_id: "vid_1",
      prompt: "Make it night",
    });
    expect(run.stdout + run.stderr).not.toContain(CANARY_KEY);
  });

  test("saves the remixed video into --out <dir>/ as <video_id>.mp4, like generate", async () => {
    const gateway = await servers.gateway((request, res) => serveVideo(request, res, videoSource()));
    const run = await runCliHere(
      ["remix", "-v", "v0", "-p", "Rain", "--out", `${tempDir()}/`, "--base-url", gateway.url],
      {
        env: { ONEROUTER_API_KEY: "sk-test" },
      },
    );
    expect(run.code).toBe(0);
    expect(await readdir(tempDir())).toEqual(["v1.mp4"]);
    expect((await stat(`${tempDir()}/v1.mp4`)).size).toBeGreaterThan(1000);
    expect(gateway.generations()).toBe(1);
  });

  test("an unknown video_id: the 404 is reported as NotFoundError naming video_id, exit 1, nothing saved", async () => {
    const server = await serve((_request, response) =>
      sendJson(response, 404, {
        error: { code: 404, message: "video vid_x not found", type: "not_found_error", param: "video_id" },
      }),
    );
    const run = await runCliHere(
      ["remix", "-v", "vid_x", "-p", "Rain", "--out", `${tempDir()}/`, "--base-url", server.url],
      { env: { ONEROUTER_API_KEY: "sk-test" } },
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/NotFoundError: POST \/v1\/videos\/edits → 404 .*video vid_x not found/);
    expect(await readdir(tempDir())).toEqual([]);
  });

  test("without --video-id: a usage error, exit 2, nothing sent", async () => {
    const server = await serve((_request, response) => sendJson(response, 200, ANSWER));
    const run = await runCliHere(["remix", "--prompt", "Rain", "--base-url", server.url], {
      env: { ONEROUTER_API_KEY: "sk-test" },
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/required option '-v, --video-id <id>' not specified/);
    expect(server.requests).toHaveLength(0);
  });

  test("remix --help lists its options, the default model from the remix page", async () => {
    const run = await runCliHere(["remix", "--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/--video-id <id>[\s\S]*--prompt <text>[\s\S]*sora-2-video-to-video[\s\S]*--out <path>/);
  });
});
