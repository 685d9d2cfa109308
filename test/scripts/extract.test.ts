import { execFile } from "node:child_process";
import { mkdtemp, readFile, writeFile, rm, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { extractOpenApiFromPage, loadSpecSource } from "../../scripts/lib/extract";
import { SpecInputError } from "../../scripts/lib/spec-input-error";

const run = promisify(execFile);
const ROOT = join(__dirname, "..", "..");
const PAGE = join(ROOT, "spec", "vendor", "sora-2-pro-image-to-video.md");

function embeddedBlock(page: string): string {
  const match = /```json\n([\s\S]*?)\n```/.exec(page);
  if (!match) throw new Error("test fixture: no json block");
  return match[1]!;
}

describe("extractOpenApiFromPage", () => {
  test.each(["sora-2-pro-image-to-video", "sora-2-video-to-video"])(
    "spec/openapi/%s.json is parsed-equal to the block embedded in its vendor page, keys in the same order",
    async (name) => {
      const page = await readFile(join(ROOT, "spec", "vendor", `${name}.md`), "utf8");
      const committed = await readFile(join(ROOT, "spec", "openapi", `${name}.json`), "utf8");
      expect(JSON.stringify(JSON.parse(committed))).toBe(JSON.stringify(JSON.parse(embeddedBlock(page))));
      expect(extractOpenApiFromPage(page)).toEqual(JSON.parse(committed));
    },
  );

  test.each([
    ["no json block", "# Title\n\nsome text\n```\nnot json\n```\n", /no ```json block/],
    ["two json blocks", "```json\n{}\n```\ntext\n```json\n{}\n```\n", /2 ```json blocks found \(at lines 1, 5\)/],
    [
      "invalid JSON, with the line and column",
      '# T\n\n```json\n{\n  "a": 1,\n  oops\n}\n```\n',
      /invalid JSON at line 6, column 3/,
    ],
  ])("%s is a SpecInputError", (_name, page, message) => {
    expect(() => extractOpenApiFromPage(page, "page.md")).toThrow(SpecInputError);
    expect(() => extractOpenApiFromPage(page, "page.md")).toThrow(message);
  });

  test("loadSpecSource accepts a page or a .json file and rejects a non-OpenAPI document", async () => {
    const dir = await mkdtemp(join(tmpdir(), "sora-extract-"));
    try {
      await writeFile(join(dir, "a.json"), '{"openapi":"3.1.0","info":{"title":"x","version":"1"},"paths":{}}');
      await writeFile(join(dir, "b.json"), '{"swagger":"2.0"}');
      await expect(loadSpecSource(join(dir, "a.json"))).resolves.toMatchObject({ openapi: "3.1.0" });
      await expect(loadSpecSource(PAGE)).resolves.toMatchObject({ openapi: "3.1.0" });
      await expect(loadSpecSource(join(dir, "b.json"))).rejects.toThrow(/not an OpenAPI 3.x document/);
      await expect(loadSpecSource(join(dir, "missing.md"))).rejects.toThrow(/cannot read file \(ENOENT\)/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("npm run extract", () => {
  const tsx = join(ROOT, "node_modules", ".bin", "tsx");
  const script = join(ROOT, "scripts", "extract.ts");

  test("writes the spec from a page, and on bad input exits 2 without writing anything", async () => {
    const dir = await mkdtemp(join(tmpdir(), "sora-extract-cli-"));
    try {
      await run(tsx, [script, PAGE, join(dir, "openapi.json")]);
      expect(JSON.parse(await readFile(join(dir, "openapi.json"), "utf8"))).toEqual(
        JSON.parse(embeddedBlock(await readFile(PAGE, "utf8"))),
      );

      await writeFile(join(dir, "broken.md"), '```json\n{ "openapi": \n```\n');
      const failure = await run(tsx, [script, join(dir, "broken.md"), join(dir, "out.json")]).catch(
        (error: { code: number; stderr: string }) => error,
      );
      expect(failure).toMatchObject({ code: 2 });
      expect((failure as { stderr: string }).stderr).toMatch(/broken\.md: invalid JSON at line 2/);
      expect(await readdir(dir)).toEqual(["broken.md", "openapi.json"]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
