import { cp, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sameSource } from "../../scripts/lib/normalize-source";
import { runTs } from "./helpers/cli";
import { JobBatch } from "./helpers/spec-jobs";

const ROOT = join(__dirname, "..", "..");

/** A copy of spec/ and generated/ for one case. */
async function copyOfSpecTree(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "sora-generate-"));
  await cp(join(ROOT, "generated"), join(dir, "generated"), { recursive: true });
  await cp(join(ROOT, "spec"), join(dir, "spec"), { recursive: true });
  return dir;
}

const readGenerated = async (dir: string) => {
  const names = (await readdir(join(dir, "generated"))).sort();
  return Object.fromEntries(
    await Promise.all(names.map(async (name) => [name, await readFile(join(dir, "generated", name), "utf8")])),
  );
};

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
  // Every case runs `generate` in one child process (helpers/spec-batch.ts), each on its own copy of
  // spec/ and generated/; the first case runs the real script as npm does.
  const batch = new JobBatch();
  const dirs: string[] = [];
  const prepared: Array<() => Promise<void>> = [];
  /** Registers a case: `setup` prepares its copy, then `generate` runs with `args(dir)`. */
  function generateCase(setup: (dir: string) => Promise<void>, args: (dir: string) => string[]) {
    let dir = "";
    let outcome: (() => { code: number; stderr: string }) | undefined;
    prepared.push(async () => {
      dir = await copyOfSpecTree();
      dirs.push(dir);
      await setup(dir);
      outcome = batch.add({ kind: "command", command: "generate", args: args(dir) });
    });
    return { dir: () => dir, outcome: () => outcome!() };
  }
  const checkOut = (dir: string) => ["--check", `--out=${join(dir, "generated")}`];
  const rootAndOut = (dir: string) => [`--root=${dir}`, `--out=${join(dir, "generated")}`];

  const handEdit = generateCase(async (dir) => {
    const file = join(dir, "generated", "spec-values.ts");
    await writeFile(file, (await readFile(file, "utf8")).replace('"12"', '"16"'));
  }, checkOut);
  const remixChanged = generateCase(
    async (dir) => {
      const page = join(dir, "spec", "openapi", "sora-2-video-to-video.json");
      const spec = JSON.parse(await readFile(page, "utf8"));
      spec.paths["/v1/videos/edits"].post.requestBody.content[
        "application/json"
      ].schema.properties.output_format.enum.push("b64");
      await writeFile(page, JSON.stringify(spec));
    },
    (dir) => ["--check", ...rootAndOut(dir)],
  );
  const noOverlay = generateCase((dir) => rm(join(dir, "spec", "overlays", "sora-2-video-to-video.json")), rootAndOut);
  const missingAndExtra = generateCase(async (dir) => {
    await rm(join(dir, "generated", "validators.js"));
    await writeFile(join(dir, "generated", "stray.ts"), "export {};\n");
  }, checkOut);
  const reformatted = generateCase(async (dir) => {
    const file = join(dir, "generated", "schema.ts");
    const text = (await readFile(file, "utf8")).replace(/ {4}/g, "\t").replace(/"/g, "'").replace(/;\n/g, "\n");
    await writeFile(file, text);
  }, checkOut);
  const INVALID = [
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
  ] as const;
  const invalid = INVALID.map(([name, breakIt, reason]) => {
    let before: Record<string, string> = {};
    const run = generateCase(async (dir) => {
      const page = join(dir, "spec", "openapi", "sora-2-pro-image-to-video.json");
      const spec = JSON.parse(await readFile(page, "utf8"));
      breakIt(spec);
      await writeFile(page, JSON.stringify(spec));
      before = await readGenerated(dir);
    }, rootAndOut);
    return { name, reason, run, before: () => before };
  });
  const fresh = generateCase(
    (dir) => rm(join(dir, "generated"), { recursive: true }),
    (dir) => [`--out=${join(dir, "generated")}`],
  );

  beforeAll(async () => {
    for (const prepare of prepared) await prepare();
    await batch.run();
  }, 60_000);
  afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

  test("the committed generated/ matches the spec (the script itself, as npm runs it)", async () => {
    const outcome = await runTs(join(ROOT, "scripts", "generate.ts"), ["--check"]);
    expect(outcome).toMatchObject({ code: 0, stderr: "generate:check: generated/ is up to date with spec/\n" });
  }, 30_000);

  test("a hand edit in a generated file is drift: exit 1 naming the file", () => {
    expect(handEdit.outcome().code).toBe(1);
    expect(handEdit.outcome().stderr).toMatch(/drifted from spec\/: spec-values\.ts\n/);
  });

  test("a changed remix page is drift too: both operations are covered", () => {
    expect(remixChanged.outcome().code).toBe(1);
    expect(remixChanged.outcome().stderr).toMatch(/drifted from spec\/: schema\.ts, spec-values\.ts, validators\.js\n/);
  });

  test("a page without its overlay cannot be generated: exit 2 naming the missing file", () => {
    expect(noOverlay.outcome().code).toBe(2);
    expect(noOverlay.outcome().stderr).toMatch(
      /spec\/overlays\/sora-2-video-to-video\.json: cannot read file \(ENOENT\)/,
    );
  });

  test("a missing or extra file is drift", () => {
    expect(missingAndExtra.outcome().code).toBe(1);
    expect(missingAndExtra.outcome().stderr).toMatch(/stray\.ts, validators\.js/);
  });

  test("reformatting a generated file is not drift", () => {
    expect(reformatted.outcome()).toMatchObject({ code: 0 });
  });

  test.each(invalid)(
    "an invalid spec ($name) prints the JSON pointer and reason, exits 2 and leaves generated/ untouched",
    async ({ reason, run, before }) => {
      expect(run.outcome().code).toBe(2);
      expect(run.outcome().stderr).toMatch(reason);
      expect(await readGenerated(run.dir())).toEqual(before());
    },
  );

  test("generate writes exactly what generate:check expects, with a do-not-edit header", async () => {
    expect(fresh.outcome()).toMatchObject({ code: 0 });
    const written = await readGenerated(fresh.dir());
    expect(Object.keys(written)).toEqual(["schema.ts", "spec-values.ts", "validators.d.ts", "validators.js"]);
    for (const [name, text] of Object.entries(written)) {
      expect(text).toMatch(/^\/\/ Generated by `npm run generate`[^\n]*\n\/\/ Do not edit by hand/);
      expect(text).toBe(await readFile(join(ROOT, "generated", name), "utf8"));
    }
    expect(written["validators.js"]).not.toMatch(/new Function|\beval\(|require\(/);
  });
});
