/**
 * `npm run recordings:mock`: makes the contract suite's committed recordings
 * (contract-tests/recordings/) from the embedded mock, through the client's own `recordResponses`:
 * a generation, a remix of it, a remix of an unknown video_id (404) and a 402 (insufficient
 * credits), each in the gateway's envelope. Replaces the directory's recordings. Real ones are
 * added the same way, with `--record <dir>` against the real gateway (README "Contract tests").
 */
import { readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { createSoraClient } from "../src/node/index";
import { startMockServer } from "../src/node/mock/index";
import { PATHS } from "./lib/paths";

const dir = join(PATHS.root, "contract-tests", "recordings");
const apiKey = "sk-recordings-from-the-mock";

async function main(): Promise<void> {
  for (const name of await readdir(dir).catch(() => [])) if (name.endsWith(".json")) await rm(join(dir, name));
  const mock = await startMockServer({ apiKey });
  try {
    const sora = createSoraClient({ baseUrl: mock.url, apiKey, maxRetries: 0, recordResponses: dir });
    const prompt = "A paper boat drifts across a still pond";
    const video = await sora.generateVideo({
      prompt,
      image_url: "https://example.com/boat.png?sig=s3cr3t",
      duration: "8",
    });
    await sora.remixVideo({ video_id: video.data[0]!.video_id!, prompt: "Make it night" });
    await sora.remixVideo({ video_id: "video_unknown", prompt: "Make it night" }).catch(() => undefined);
    mock.injectFault({ kind: "status", status: 402 });
    await sora.generateVideo({ prompt, image_url: "https://example.com/boat.png" }).catch(() => undefined);
  } finally {
    await mock.close();
  }
  process.stderr.write(`${(await readdir(dir)).length} recordings in ${dir}\n`);
}

void main();
