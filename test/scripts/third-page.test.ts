import { execFile } from "node:child_process";
import { readFile, rm, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { copyOfRepo, runTs } from "./helpers/cli";
import { ROOT } from "./helpers/spec-variants";

const exec = promisify(execFile);

/** A third vendor page: the remix page's JSON with another path and another model. */
async function addExtendPage(root: string): Promise<void> {
  const remix = JSON.parse(await readFile(join(ROOT, "spec", "openapi", "sora-2-video-to-video.json"), "utf8"));
  remix.paths = { "/v1/videos/extensions": remix.paths["/v1/videos/edits"] };
  remix.paths["/v1/videos/extensions"].post.summary = "openai/sora-2-extend";
  await writeFile(
    join(root, "spec", "vendor", "sora-2-extend.md"),
    `# Sora 2 extend\n\n\`\`\`json\n${JSON.stringify(remix)}\n\`\`\`\n`,
  );
  const overlay = {
    overlay: "1.0.0",
    info: { title: "test page", version: "1.0.0" },
    actions: [
      { target: "$.paths['/v1/videos/extensions'].post", update: { operationId: "createVideoExtension" } },
      {
        target: "$.paths['/v1/videos/extensions'].post.requestBody.content['application/json'].schema.properties.model",
        update: { examples: ["sora-2-extend"] },
      },
    ],
  };
  await writeFile(join(root, "spec", "overlays", "sora-2-extend.json"), JSON.stringify(overlay));
}

/** Calls the new operation through the client's generic path, with an injected fetch; prints what happened. */
const PROBE = `
import { createSoraClient, isSoraError } from "./src/index";

const sent: Array<{ url: string; authorization: string | null; body: unknown }> = [];
const seenByMiddleware: string[] = [];
const sora = createSoraClient({
  apiKey: "sk-third-page",
  baseUrl: "http://127.0.0.1:9",
  fetch: async (input) => {
    const request = input as Request;
    sent.push({ url: request.url, authorization: request.headers.get("authorization"), body: await request.json() });
    const body = { created: 1, data: [{ url: "https://cdn.example/x.mp4", video_id: "vid_3" }] };
    return new Response(JSON.stringify(body), { status: 200, headers: { "content-type": "application/json" } });
  },
});
sora.api.use({ onRequest: ({ request }) => void seenByMiddleware.push(request.url) });

async function main() {
  const answer = await sora.call("createVideoExtension", { video_id: "vid_1", prompt: "Ten more seconds" });
  const videoId: string | undefined = answer.data[0]?.video_id;
  // @ts-expect-error the new page requires video_id, and the generated types know it
  const invalid = sora.call("createVideoExtension", { prompt: "no id" });
  const rejected = await invalid.then(() => "sent", (error: unknown) => (isSoraError(error, "RequestValidationError") ? error.issues : error));
  process.stdout.write(JSON.stringify({ sent, videoId, rejected, seenByMiddleware }));
}
void main();
`;

describe("a third vendor page needs no new request code", () => {
  let root: string;
  beforeAll(async () => {
    root = copyOfRepo();
    await symlink(join(ROOT, "node_modules"), join(root, "node_modules"), "dir");
    await addExtendPage(root);
    await runTs(join(ROOT, "scripts", "extract.ts"), [
      join(root, "spec", "vendor", "sora-2-extend.md"),
      join(root, "spec", "openapi", "sora-2-extend.json"),
    ]);
    const generated = await runTs(join(ROOT, "scripts", "generate.ts"), [`--root=${root}`]);
    if (generated.code !== 0) throw new Error(generated.stderr);
    await writeFile(join(root, "probe.ts"), PROBE);
  }, 60_000);
  afterAll(() => rm(root, { recursive: true, force: true }));

  test("generate adds the operation under its operationId: its path, default model and validators", async () => {
    const values = await readFile(join(root, "generated", "spec-values.ts"), "utf8");
    expect(values).toMatch(
      /"createVideoExtension": \{\n\s+"method": "POST",\n\s+"path": "\/v1\/videos\/extensions",\n\s+"page": "sora-2-extend",\n\s+"defaultModel": "sora-2-extend",\n/,
    );
    expect(await readFile(join(root, "generated", "validators.js"), "utf8")).toMatch(
      /createVideoExtension: \{ request: createVideoExtensionRequest, response: createVideoExtensionResponse \}/,
    );
  });

  test("the same generic call sends it: path, default model, key, middleware; the validators reject a body without video_id", async () => {
    const outcome = await runTs(join(root, "probe.ts"), []);
    expect(outcome.stderr).toBe("");
    expect(JSON.parse(outcome.stdout)).toEqual({
      sent: [
        {
          url: "http://127.0.0.1:9/v1/videos/extensions",
          authorization: "sk-third-page",
          body: { model: "sora-2-extend", video_id: "vid_1", prompt: "Ten more seconds" },
        },
      ],
      videoId: "vid_3",
      rejected: [{ path: "/video_id", message: "is required" }],
      seenByMiddleware: ["http://127.0.0.1:9/v1/videos/extensions"],
    });
  }, 30_000);

  test("the types know the new operation: the probe compiles, and its @ts-expect-error line is needed", async () => {
    const tsconfig = JSON.parse(await readFile(join(ROOT, "tsconfig.json"), "utf8"));
    tsconfig.include = ["probe.ts"];
    tsconfig.compilerOptions.types = ["node"];
    await writeFile(join(root, "tsconfig.json"), JSON.stringify(tsconfig));
    const tsc = join(ROOT, "node_modules", ".bin", "tsc");
    await expect(exec(tsc, ["-p", join(root, "tsconfig.json")], { cwd: root })).resolves.toBeDefined();
  }, 60_000);
});
