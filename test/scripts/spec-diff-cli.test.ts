import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { replaceEmbeddedJson, formatSpecJson } from "../../scripts/lib/extract";
import type { DiffReport } from "../../scripts/lib/diff/types";
import { runTs } from "./helpers/cli";
import { ROOT, operation, request, response, variant, type Spec } from "./helpers/spec-variants";

const SCRIPT = join(ROOT, "scripts", "spec-diff.ts");
const PAGE = join(ROOT, "spec", "vendor", "sora-2-pro-image-to-video.md");
const SPEC = join(ROOT, "spec", "openapi", "sora-2-pro-image-to-video.json");

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "sora-spec-diff-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

/** Writes a spec variant as a .json file, or as a vendor page with the JSON embedded. */
async function write(name: string, spec: Spec): Promise<string> {
  const file = join(dir, name);
  const json = formatSpecJson(spec);
  await writeFile(file, name.endsWith(".json") ? json : replaceEmbeddedJson(await readFile(PAGE, "utf8"), json));
  return file;
}

const diff = (...args: string[]) => runTs(SCRIPT, args);
const json = (stdout: string) => JSON.parse(stdout) as DiffReport;

describe("npm run spec:diff: reports and exit codes", () => {
  test("the vendor page against its spec/openapi/ contract: no changes, the type check passes, exit 0", async () => {
    const outcome = await diff(PAGE, SPEC);
    expect(outcome).toMatchObject({ code: 0, stderr: "" });
    expect(outcome.stdout).toMatch(/^no changes$/m);
    expect(outcome.stdout).toMatch(/^type check: passed \(src\/ and examples\/downstream\/src\/ compile against NEW's generated types, [\d.]+ s\)$/m);
    expect(outcome.stdout).toMatch(/^summary: 0 breaking, 0 non-breaking, 0 annotation; suggested bump: none$/m);
  }, 120_000);

  test("a breaking change: one line with verdict, where, what and JSON pointer; exit 1; bump major", async () => {
    const next = await write("next.md", variant((s) => void (request(s).properties.duration.enum = ["4", "8"])));
    const outcome = await diff(SPEC, next, "--no-typecheck");
    expect(outcome.code).toBe(1);
    expect(outcome.stdout.split("\n")).toEqual([
      `spec changes: ${SPEC} → ${next}`,
      'BREAKING      POST /v1/videos/generations request body `duration`: enum value "12" removed: requests that send it are rejected  [/paths/~1v1~1videos~1generations/post/requestBody/content/application~1json/schema/properties/duration/enum/2]',
      "type check: skipped (--no-typecheck)",
      "summary: 1 breaking, 0 non-breaking, 0 annotation; suggested bump: major",
      "",
    ]);
  }, 60_000);

  test.each([
    ["an additive change", (s: Spec) => void (response(s).properties.data.items.properties.thumbnail_url = { type: "string" }), "minor"],
    ["a description change", (s: Spec) => void (operation(s).description = "Image to video."), "patch"],
  ])("%s exits 0 and suggests a %s bump", async (_name, change, bump) => {
    const outcome = await diff(SPEC, await write("next.json", variant(change)), "--no-typecheck", "--format", "json");
    expect(outcome.code).toBe(0);
    expect(json(outcome.stdout)).toMatchObject({ breaking: false, bump });
  }, 60_000);

  test("--format json and --format markdown carry the same changes", async () => {
    const next = await write("next.json", variant((s) => void delete response(s).properties.data.items.properties.url, (s) => void (operation(s).summary = "x")));
    const [asJson, asMarkdown] = await Promise.all([diff(SPEC, next, "--no-typecheck", "--format", "json"), diff(SPEC, next, "--no-typecheck", "--format", "markdown")]);
    expect([asJson.code, asMarkdown.code]).toEqual([1, 1]);
    const report = json(asJson.stdout);
    expect(report).toMatchObject({ breaking: true, bump: "major", summary: { breaking: 1, "non-breaking": 0, annotation: 1 }, typecheck: { status: "skipped" } });
    expect(report.changes.map((change) => [change.verdict, change.rule, change.pointer])).toEqual([
      ["breaking", "field-removed", "/paths/~1v1~1videos~1generations/post/responses/200/content/application~1json/schema/properties/data/items/properties/url"],
      ["annotation", "annotation", "/paths/~1v1~1videos~1generations/post/summary"],
    ]);
    expect(asMarkdown.stdout).toMatch(/^### Vendor spec change: \*\*breaking\*\*$/m);
    expect(asMarkdown.stdout).toMatch(/^\| verdict \| where \| what changed \| pointer \|$/m);
    expect(asMarkdown.stdout).toMatch(/^\| breaking \| POST \/v1\/videos\/generations response 200 `data\[\]\.url` \| field removed from the response: this client reads it \| `\/paths\/.*\/url` \|$/m);
    expect(asMarkdown.stdout).toMatch(/Suggested version bump: \*\*major\*\*/);
  }, 60_000);

  test.each([
    ["a missing file", null, /missing\.md: cannot read file \(ENOENT\)/],
    ["a page with no JSON block", "# Sora\n\nNo spec here.\n", /bad\.md: no ```json block found in the page/],
    ["a page with malformed JSON", "# Sora\n\n```json\n{ \"openapi\": \"3.1.0\",\n  oops\n}\n```\n", /bad\.md: invalid JSON at line 5, column 3/],
    ["a document that is not OpenAPI 3.x", "```json\n{ \"swagger\": \"2.0\" }\n```\n", /bad\.md: not an OpenAPI 3\.x document \(openapi: null\)/],
    ["an invalid OpenAPI document", `\`\`\`json\n${JSON.stringify(variant((s) => delete s.info))}\n\`\`\`\n`, /bad\.md: invalid OpenAPI document:\n {2}at \/: must have required property 'info'/],
  ])("%s is invalid input: exit 2 with the reason, nothing on stdout", async (_name, content, reason) => {
    const bad = join(dir, content === null ? "missing.md" : "bad.md");
    if (content !== null) await writeFile(bad, content);
    for (const args of [[bad, SPEC], [SPEC, bad]]) {
      const outcome = await diff(...args, "--no-typecheck");
      expect(outcome).toMatchObject({ code: 2, stdout: "" });
      expect(outcome.stderr).toMatch(reason);
    }
  }, 60_000);

  test.each([
    [["--format", "xml", "a", "b"], /--format must be text, json or markdown/],
    [[SPEC], /expected OLD and NEW, got 1 file/],
    [["--frobnicate", SPEC, SPEC], /Unknown option '--frobnicate'/],
  ])("bad arguments %j: exit 2 with the usage", async (args, reason) => {
    const outcome = await diff(...args);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toMatch(reason);
    expect(outcome.stderr).toMatch(/^usage: spec:diff OLD NEW/m);
  }, 60_000);
});

describe("npm run spec:diff: the type-level check", () => {
  test("a change that breaks src/ is reported with the compiler's message", async () => {
    const next = await write("next.json", variant((s) => void delete request(s).properties.duration));
    const outcome = await diff(SPEC, next, "--format", "json");
    expect(outcome.code).toBe(1);
    const report = json(outcome.stdout);
    expect(report.typecheck).toMatchObject({ status: "failed" });
    const typeErrors = report.changes.filter((change) => change.rule === "typecheck");
    expect(typeErrors).toContainEqual(expect.objectContaining({ verdict: "breaking", where: expect.stringMatching(/^types: src\/types\.ts\(\d+,\d+\)$/), what: expect.stringMatching(/^TS2339 Property 'duration' does not exist/) }));
  }, 120_000);

  test("a widened type that only defeats an @ts-expect-error assertion is not breaking", async () => {
    const next = await write("next.json", variant((s) => void request(s).properties.duration.enum.push("5")));
    const outcome = await diff(SPEC, next, "--format", "json");
    expect(outcome.code).toBe(0);
    const report = json(outcome.stdout);
    expect(report.typecheck).toMatchObject({ status: "passed", note: "1 compiler error(s), 0 breaking" });
    expect(report.changes).toContainEqual(expect.objectContaining({ verdict: "non-breaking", rule: "typecheck", where: expect.stringMatching(/^types: examples\/downstream\/src\/service\.ts\(\d+,\d+\)$/), what: expect.stringMatching(/^TS2578 Unused '@ts-expect-error' directive/) }));
  }, 120_000);

  test("when the overlay no longer applies, that is the breaking change and the type check is skipped", async () => {
    const next = await write("next.json", variant((s) => void (operation(s).parameters = [])));
    const outcome = await diff(SPEC, next, "--format", "json");
    expect(outcome.code).toBe(1);
    const report = json(outcome.stdout);
    expect(report.typecheck).toEqual({ status: "skipped", note: "the overlay does not apply to NEW" });
    expect(report.changes).toContainEqual(expect.objectContaining({ verdict: "breaking", rule: "overlay", what: expect.stringContaining("1 overlay action(s) matched nothing in the spec") }));
  }, 60_000);
});
