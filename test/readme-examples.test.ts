import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const ROOT = join(__dirname, "..");

/**
 * Every ```ts block in README.md is type-checked against the package's source, with
 * "sora-video-client" and its "/mock" and "/queue" subpaths mapped to the Node entries, so the docs cannot
 * drift from the API (an example naming a wrong option or field fails here).
 */
test("README's TypeScript examples compile against the current API", async () => {
  const readme = await readFile(join(ROOT, "README.md"), "utf8");
  const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]!);
  expect(blocks.length).toBeGreaterThanOrEqual(3);
  const dir = await mkdtemp(join(tmpdir(), "sora-readme-"));
  try {
    const files = await Promise.all(
      blocks.map(async (code, index) => {
        const file = join(dir, `example-${index}.ts`);
        await writeFile(file, `${code}\nexport {};\n`);
        return file;
      }),
    );
    const tsconfig = {
      compilerOptions: {
        target: "ES2022",
        module: "preserve",
        moduleResolution: "bundler",
        lib: ["ES2022", "DOM", "DOM.Iterable"],
        types: ["node"],
        typeRoots: [join(ROOT, "node_modules", "@types")],
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        baseUrl: ROOT,
        paths: {
          "sora-video-client": ["src/node/index.ts"],
          "sora-video-client/mock": ["src/node/mock/index.ts"],
          "sora-video-client/queue": ["src/queue/index.ts"],
        },
      },
      files,
    };
    await writeFile(join(dir, "tsconfig.json"), JSON.stringify(tsconfig));
    const outcome = await run(process.execPath, [
      join(ROOT, "node_modules", "typescript", "bin", "tsc"),
      "-p",
      join(dir, "tsconfig.json"),
    ]).then(
      () => "",
      (error: { stdout?: string }) => error.stdout ?? String(error),
    );
    expect(outcome).toBe("");
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}, 60_000);
