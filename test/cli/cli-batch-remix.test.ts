import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { writeFile } from "node:fs/promises";
import { createSoraClient } from "../../src/node";
import { useCliServers } from "./helpers/fake-gateway";
import { runCliHere } from "./helpers/run-cli";
import { useTempDir } from "./helpers/temp-dir";

describe("sora-video batch with remix lines (the CLI in this process, against the embedded mock)", () => {
  const servers = useCliServers();
  const tempDir = useTempDir("sora-batch-remix-");

  test("a line with video_id is sent to POST /v1/videos/edits with the remix model; both kinds end done", async () => {
    const mock = await servers.mock();
    const earlier = await createSoraClient({ apiKey: "sk-test", baseUrl: mock.url }).generateVideo({
      prompt: "A cat",
      image_url: "https://img.example/cat.png",
    });
    const videoId = earlier.data[0]!.video_id!;
    const jobs = join(tempDir(), "jobs.jsonl");
    const lines = [
      { id: "night", video_id: videoId, prompt: "Make it night" },
      { id: "dog", prompt: "A dog", image_url: "https://img.example/dog.png", duration: "8" },
    ];
    await writeFile(jobs, `${lines.map((line) => JSON.stringify(line)).join("\n")}\n`);
    const out = join(tempDir(), "out");
    const run = await runCliHere(["batch", jobs, "--out", out, "--json"], {
      env: { ONEROUTER_API_KEY: "sk-test", ONEROUTER_BASE_URL: mock.url },
    });
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as { jobs: Array<{ id: string; state: string }> };
    expect(report.jobs.map((job) => [job.id, job.state])).toEqual([
      ["night", "done"],
      ["dog", "done"],
    ]);
    expect((await readdir(out)).filter((name) => name.endsWith(".mp4")).sort()).toEqual(["dog.mp4", "night.mp4"]);
    const [, ...sent] = mock.stats.acceptedBodies;
    const remix = sent.find((body) => body.video_id === videoId);
    expect(remix).toEqual({ model: "sora-2-video-to-video", video_id: videoId, prompt: "Make it night" });
    expect(sent.find((body) => body.prompt === "A dog")).toMatchObject({
      model: "sora-2-pro-image-to-video",
      image_url: "https://img.example/dog.png",
    });
  });

  test("a remix line with image-to-video fields is a malformed line, reported with its number; nothing sent for it", async () => {
    const mock = await servers.mock();
    const jobs = join(tempDir(), "jobs.jsonl");
    await writeFile(jobs, `${JSON.stringify({ id: "bad", video_id: "v", prompt: "p", duration: "8" })}\n`);
    const run = await runCliHere(["batch", jobs, "--out", join(tempDir(), "out"), "--json"], {
      env: { ONEROUTER_API_KEY: "sk-test", ONEROUTER_BASE_URL: mock.url },
    });
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).malformed).toEqual([
      { line: 1, message: expect.stringMatching(/a remix \(video_id\) takes no duration/) },
    ]);
    expect(mock.stats.requests).toBe(0);
  });
});
