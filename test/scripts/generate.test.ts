import { execFile } from "node:child_process";
import { cp, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { sameSource } from "../../scripts/lib/normalize-source";

const run = promisify(execFile);
const ROOT = join(__dirname, "..", "..");
const tsx = join(ROOT, "node_modules", ".bin", "tsx");
const script = join(ROOT, "scripts", "generate.ts");

type Outcome = { code: number; stderr: string };
async function generate(...args: string[]): Promise<Outcome> {
  try {
    const { stderr } = await run(tsx, [script, ...args], { cwd: ROOT });
    return { code: 0, stderr };
  } catch (error) {
    return { code: (error as { code: number }).code, stderr: (error as { stderr: string }).stderr };
  }
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "sora-generate-"));
  await cp(join(ROOT, "generated"), join(dir, "generated"), { recursive: true });
  await cp(join(ROOT, "spec"), join(dir, "spec"), { recursive: true });
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe("sameSource", () => {
  test.each([
    ["indentation and line breaks", "export const A = {\n  a: 1,\n};\n", "export const A = { a: 1 }"],
    ["quote style", 'const a = "x";', "const a = 'x'"],
    ["comments", "// hello\nconst a = 1;", "const a = 1; /* other */"],
    ["trailing commas", "f(a, b,);", "f(a, b)"],
  ])("ignores %s", (_name, a, b) => expect(sameSource(a, b)).toBe(true));

  test.each([
    ["a changed name", "const a = 1;", "const b = 1;"],
    ["a changed literal", 'type T = "4" | "8";', 'type T = "4" | "9";'],
    ["a removed member", "type T = { a: 1; b: 2 }", "type T = { a: 1 }"],
  ])("sees %s", (_name, a, b) => expect(sameSource(a, b)).toBe(false));
});

describe("npm run generate / generate:check", () => {
  test("the committed generated/ matches the spec", async () => {
    expect(await generate("--check")).toMatchObject({ code: 0 });
  }, 30_000);

  test("a hand edit in a generated file is drift: exit 1 naming the file", async () => {
    const file = join(dir, "generated", "spec-values.ts");
    await writeFile(file, (await readFile(file, "utf8")).replace('"12"', '"16"'));
    const outcome = await generate("--check", `--out=${join(dir, "generated")}`);
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toMatch(/drifted from spec\/: spec-values\.ts\n/);
  }, 30_000);

  test("a changed remix page is drift too: both operations are covered", async () => {
    const page = join(dir, "spec", "openapi", "sora-2-video-to-video.json");
    const spec = JSON.parse(await readFile(page, "utf8"));
    spec.paths["/v1/videos/edits"].post.requestBody.content[
      "application/json"
    ].schema.properties.output_format.enum.push("b64");
    await writeFile(page, JSON.stringify(spec));
    const outcome = await generate("--check", `--root=${dir}`, `--out=${join(dir, "generated")}`);
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toMatch(/drifted from spec\/: schema\.ts, spec-values\.ts, validators\.js\n/);
  }, 30_000);

  test("a page without its overlay cannot be generated: exit 2 naming the missing file", async () => {
    await rm(join(dir, "spec", "overlays", "sora-2-video-to-video.json"));
    const outcome = await generate(`--root=${dir}`, `--out=${join(dir, "generated")}`);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toMatch(/spec\/overlays\/sora-2-video-to-video\.json: cannot read file \(ENOENT\)/);
  }, 30_000);

  test("a missing or extra file is drift", async () => {
    await rm(join(dir, "generated", "validators.js"));
    await writeFile(join(dir, "generated", "stray.ts"), "export {};\n");
    const outcome = await generate("--check", `--out=${join(dir, "generated")}`);
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toMatch(/stray\.ts, validators\.js/);
  }, 30_000);

  test("reformatting a generated file is not drift", async () => {
    const file = join(dir, "generated", "schema.ts");
    const reformatted = (await readFile(file, "utf8")).replace(/ {4}/g, "\t").replace(/"/g, "'").replace(/;\n/g, "\n");
    await writeFile(file, reformatted);
    expect(await generate("--check", `--out=${join(dir, "generated")}`)).toMatchObject({ code: 0 });
  }, 30_000);

  test.each([
    [
      "a wrong schema type",
      (spec: any) =>
        (spec.paths["/v1/videos/generations"].post.responses["200"].content[
          "application/json"
        ].schema.properties.created.type = "integr"),
      /invalid JSON Schema in the spec:\n {2}at sora-2-pro-image-to-video: \/paths\/~1v1~1videos~1generations\/post\/responses\/200\/content\/application~1json\/schema\/properties\/created\/type: must be equal to one of the allowed values/,
    ],
    [
      "a missing info object",
      (spec: any) => delete spec.info,
      /invalid OpenAPI document:\n {2}at \/: must have required property 'info'/,
    ],
    [
      "a response without description",
      (spec: any) => delete spec.paths["/v1/videos/generations"].post.responses["200"].description,
      /invalid OpenAPI document:\n {2}at \/paths\/~1v1~1videos~1generations\/post\/responses\/200: must have required property 'description'/,
    ],
  ])(
    "an invalid spec (%s) prints the JSON pointer and reason, exits 2 and leaves generated/ untouched",
    async (_name, breakIt, reason) => {
      const page = join(dir, "spec", "openapi", "sora-2-pro-image-to-video.json");
      const spec = JSON.parse(await readFile(page, "utf8"));
      breakIt(spec);
      await writeFile(page, JSON.stringify(spec));
      const before = await readdir(join(dir, "generated"));
      const contents = await Promise.all(before.map((name) => readFile(join(dir, "generated", name), "utf8")));
      const outcome = await generate(`--root=${dir}`, `--out=${join(dir, "generated")}`);
      expect(outcome.code).toBe(2);
      expect(outcome.stderr).toMatch(reason);
      expect(await readdir(join(dir, "generated"))).toEqual(before);
      expect(await Promise.all(before.map((name) => readFile(join(dir, "generated", name), "utf8")))).toEqual(contents);
    },
    30_000,
  );

  test("generate writes exactly what generate:check expects, with a do-not-edit header", async () => {
    await rm(join(dir, "generated"), { recursive: true });
    expect(await generate(`--out=${join(dir, "generated")}`)).toMatchObject({ code: 0 });
    const names = (await readdir(join(dir, "generated"))).sort();
    expect(names).toEqual(["schema.ts", "spec-values.ts", "validators.d.ts", "validators.js"]);
    for (const name of names) {
      expect(await readFile(join(dir, "generated", name), "utf8")).toMatch(
        /^\/\/ Generated by `npm run generate`[^\n]*\n\/\/ Do not edit by hand/,
      );
      expect(await readFile(join(dir, "generated", name), "utf8")).toBe(
        await readFile(join(ROOT, "generated", name), "utf8"),
      );
    }
    expect(await readFile(join(dir, "generated", "validators.js"), "utf8")).not.toMatch(
      /new Function|\beval\(|require\(/,
    );
  }, 30_000);
});
