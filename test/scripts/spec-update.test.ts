import { readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { extractOpenApiFromPage, formatSpecJson, replaceEmbeddedJson } from "../../scripts/lib/extract";
import { copyOfRepo, runTs } from "./helpers/cli";
import { ROOT, operation, request, response, variant, type Mutation } from "./helpers/spec-variants";

const SCRIPT = join(ROOT, "scripts", "spec-update.ts");
const PAGE = join(ROOT, "spec", "vendor", "sora-2-pro-image-to-video.md");

let root: string;
beforeEach(async () => {
  root = await copyOfRepo();
});
afterEach(() => rm(root, { recursive: true, force: true }));

/** Every file under spec/ and generated/ of the copy, with its content. */
async function snapshot(): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const top of ["spec", "generated"]) {
    for (const entry of await readdir(join(root, top), { recursive: true, withFileTypes: true })) {
      if (entry.isFile()) files[relative(root, join(entry.parentPath, entry.name))] = await readFile(join(entry.parentPath, entry.name), "utf8");
    }
  }
  return files;
}

/** generate:check's verdict on the copy: the generated files that drifted from its spec. */
async function drift(): Promise<string[]> {
  const outcome = await runTs(join(__dirname, "helpers", "drift-under.ts"), [root]);
  if (outcome.code !== 0) throw new Error(outcome.stderr);
  return JSON.parse(outcome.stdout) as string[];
}

/** Writes a variant of the vendor spec as a vendor page (or a .json file) outside the copy. */
async function newSpec(name: string, ...mutations: Mutation[]): Promise<string> {
  const file = `${root}-${name}`;
  const json = formatSpecJson(variant(...mutations));
  await writeFile(file, name.endsWith(".json") ? json : replaceEmbeddedJson(await readFile(PAGE, "utf8"), json));
  return file;
}
afterEach(async () => {
  for (const name of ["next.md", "next.json", "bad.md"]) await rm(`${root}-${name}`, { force: true });
});

const update = (...args: string[]) => runTs(SCRIPT, [...args, "--root", root]);
const addThumbnail: Mutation = (s) => void (response(s).properties.data.items.properties.thumbnail_url = { type: "string", description: "A still of the first frame" });
const removeDuration12: Mutation = (s) => void (request(s).properties.duration.enum = ["4", "8"]);

describe("npm run spec:update", () => {
  test("a non-breaking page: writes the page's spec/openapi/ contract, the page and generated/ after the type check; no drift", async () => {
    const before = await snapshot();
    const page = await newSpec("next.md", addThumbnail);
    const outcome = await update(page);
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toMatch(/^NON-BREAKING {2}POST \/v1\/videos\/generations response 200 `data\[\]\.thumbnail_url`: new field in the response/m);
    expect(outcome.stdout).toMatch(/^type check: passed/m);
    expect(outcome.stderr).toMatch(/spec:update: wrote spec\/openapi\/sora-2-pro-image-to-video\.json, spec\/vendor\/sora-2-pro-image-to-video\.md, generated\/schema\.ts, .*; generated\/ is in step with spec\//);
    const after = await snapshot();
    expect(after["spec/openapi/sora-2-pro-image-to-video.json"]).toBe(formatSpecJson(variant(addThumbnail)));
    expect(after["spec/vendor/sora-2-pro-image-to-video.md"]).toBe(await readFile(page, "utf8"));
    expect(after["generated/schema.ts"]).toMatch(/thumbnail_url\?: string;/);
    expect(after["spec/overlay.json"]).toBe(before["spec/overlay.json"]);
    expect(await drift()).toEqual([]);
  }, 120_000);

  test("a .json file: the vendor page keeps its text and gets the new JSON block", async () => {
    const outcome = await update(await newSpec("next.json", addThumbnail), "--no-typecheck");
    expect(outcome.code).toBe(0);
    const after = await snapshot();
    const page = after["spec/vendor/sora-2-pro-image-to-video.md"]!;
    expect(extractOpenApiFromPage(page)).toEqual(JSON.parse(after["spec/openapi/sora-2-pro-image-to-video.json"]!));
    expect(page.split("```json")[0]).toBe((await readFile(PAGE, "utf8")).split("```json")[0]);
    expect(await drift()).toEqual([]);
  }, 60_000);

  test("a breaking change: exit 1 with the report, nothing written, no drift", async () => {
    const before = await snapshot();
    const outcome = await update(await newSpec("next.md", removeDuration12, addThumbnail), "--no-typecheck");
    expect(outcome.code).toBe(1);
    expect(outcome.stdout).toMatch(/^BREAKING {6}POST \/v1\/videos\/generations request body `duration`: enum value "12" removed/m);
    expect(outcome.stderr).toMatch(/breaking change: nothing written \(re-run with --accept-breaking to take it\)/);
    expect(await snapshot()).toEqual(before);
    expect(await drift()).toEqual([]);
  }, 60_000);

  test("a breaking change with --accept-breaking is written, all of it", async () => {
    const outcome = await update(await newSpec("next.md", removeDuration12), "--accept-breaking", "--no-typecheck");
    expect(outcome.code).toBe(0);
    const after = await snapshot();
    expect(JSON.parse(after["spec/openapi/sora-2-pro-image-to-video.json"]!)).toEqual(variant(removeDuration12));
    expect(after["generated/spec-values.ts"]).toMatch(/"duration": \[\s*"4",\s*"8"\s*\]/);
    expect(await drift()).toEqual([]);
  }, 60_000);

  test("when the overlay no longer applies, even --accept-breaking writes nothing (generated/ could not follow)", async () => {
    const before = await snapshot();
    const outcome = await update(await newSpec("next.md", (s) => void (operation(s).parameters = [])), "--accept-breaking", "--no-typecheck");
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toMatch(/generated\/ cannot be produced from the new spec, so nothing was written; fix the overlays \(spec\/overlay\.json, spec\/overlays\/\) first/);
    expect(await snapshot()).toEqual(before);
    expect(await drift()).toEqual([]);
  }, 60_000);

  test.each([
    ["a missing file", null, /cannot read file \(ENOENT\)/],
    ["a page with no JSON block", "# Sora\n", /no ```json block found in the page/],
    ["a page with malformed JSON", "```json\n{ \"openapi\": \n```\n", /invalid JSON at line 2/],
    ["a document that is not OpenAPI 3.x", "```json\n{ \"openapi\": \"2.0\" }\n```\n", /not an OpenAPI 3\.x document \(openapi: "2\.0"\)/],
    ["an invalid OpenAPI document", `\`\`\`json\n${JSON.stringify(variant((s) => delete operation(s).responses["200"].description))}\n\`\`\`\n`, /invalid OpenAPI document:\n {2}at \/paths\/~1v1~1videos~1generations\/post\/responses\/200: must have required property 'description'/],
  ])("%s: exit 2 with the reason, nothing written, no drift", async (_name, content, reason) => {
    const before = await snapshot();
    const bad = `${root}-bad.md`;
    if (content !== null) await writeFile(bad, content);
    const outcome = await update(bad, "--accept-breaking", "--no-typecheck");
    expect(outcome).toMatchObject({ code: 2, stdout: "" });
    expect(outcome.stderr).toMatch(reason);
    expect(outcome.stderr).toMatch(/nothing was written/);
    expect(await snapshot()).toEqual(before);
    expect(await drift()).toEqual([]);
  }, 60_000);

  test("the spec already in place: exit 0 and no file is touched", async () => {
    const mtimes = async () => Promise.all(Object.keys(await snapshot()).map(async (file) => [file, (await stat(join(root, file))).mtimeMs]));
    const before = await mtimes();
    const outcome = await update(PAGE, "--no-typecheck");
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toMatch(/^no changes$/m);
    expect(outcome.stderr).toMatch(/already up to date/);
    expect(await mtimes()).toEqual(before);
  }, 60_000);

  test.each([1, 3, 6])("a rename failing on call %i of 6: every file is restored, no temporaries are left, no drift", async (failOn) => {
    const before = await snapshot();
    const outcome = await runTs(join(__dirname, "helpers", "update-with-failing-rename.ts"), [await newSpec("next.md", addThumbnail), root, String(failOn)]);
    expect(JSON.parse(outcome.stdout)).toMatchObject({ status: "failed", message: expect.stringMatching(/^writing failed, every file was left as it was: EIO: injected failure/), renames: failOn });
    expect(await snapshot()).toEqual(before);
    expect(await drift()).toEqual([]);
  }, 60_000);
});
