import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { replaceEmbeddedJson, formatSpecJson } from "../../scripts/lib/extract";
import type { DiffReport } from "../../scripts/lib/diff/types";
import { runTs, type Outcome } from "./helpers/cli";
import { JobBatch } from "./helpers/spec-jobs";
import {
  REMIX_SPEC,
  ROOT,
  TEXT_SPEC,
  movedTo,
  namedModel,
  operation,
  request,
  response,
  variant,
  variantOf,
  type Spec,
} from "./helpers/spec-variants";

/*
 * Every case runs spec:diff's command (the code the bin runs) in one child process (helpers/
 * spec-batch.ts); two cases also run the real bin, to pin exit codes and output end to end. The
 * type check (seconds each) runs only in the cases about it; the others pass --no-typecheck.
 */

const SCRIPT = join(ROOT, "scripts", "spec-diff.ts");
const PAGE = join(ROOT, "spec", "vendor", "sora-2-pro-image-to-video.md");
const SPEC = join(ROOT, "spec", "openapi", "sora-2-pro-image-to-video.json");
const REMIX = join(ROOT, "spec", "openapi", "sora-2-video-to-video.json");
/** The line of examples/downstream's @ts-expect-error that pins a remix needing video_id. */
const REMIX_EXPECT_ERROR_LINE =
  readFileSync(join(ROOT, "examples", "downstream", "src", "service.ts"), "utf8")
    .split("\n")
    .findIndex((line) => line.includes("@ts-expect-error a remix names the video_id")) + 1;
const dir = mkdtempSync(join(tmpdir(), "sora-spec-diff-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes a spec variant as a .json file, or as a vendor page with the JSON embedded. */
function write(name: string, spec: Spec): string {
  const file = join(dir, name);
  mkdirSync(dirname(file), { recursive: true });
  const json = formatSpecJson(spec);
  writeFileSync(file, name.endsWith(".json") ? json : replaceEmbeddedJson(readFileSync(PAGE, "utf8"), json));
  return file;
}

const batch = new JobBatch();
const diff = (...args: string[]) => batch.add({ kind: "command", command: "spec:diff", args });
const json = (outcome: Outcome) => JSON.parse(outcome.stdout) as DiffReport;

const duration412 = write(
  "duration.md",
  variant((s) => void (request(s).properties.duration.enum = ["4", "8"])),
);
const endToEnd: Record<string, Promise<Outcome>> = {};
beforeAll(async () => {
  // The real bin, twice, alongside the batch: a breaking change and an unreadable file.
  endToEnd.breaking = runTs(SCRIPT, [SPEC, duration412, "--no-typecheck"]);
  endToEnd.missing = runTs(SCRIPT, [join(dir, "missing.md"), SPEC, "--no-typecheck"]);
  await batch.run();
}, 180_000);

describe("npm run spec:diff: reports and exit codes", () => {
  const unchanged = diff(PAGE, SPEC);
  test("the vendor page against its spec/openapi/ contract: no changes, the type check passes, exit 0", () => {
    const outcome = unchanged();
    expect(outcome).toMatchObject({ code: 0, stderr: "" });
    expect(outcome.stdout).toMatch(
      /^page sora-2-pro-image-to-video: POST \/v1\/videos\/generations, model sora-2-pro-image-to-video$/m,
    );
    expect(outcome.stdout).toMatch(/^no changes$/m);
    expect(outcome.stdout).toMatch(
      /^type check: passed \(src\/ and examples\/downstream\/src\/ compile against the types of every page, NEW in place, [\d.]+ s\)$/m,
    );
    expect(outcome.stdout).toMatch(/^summary: 0 breaking, 0 non-breaking, 0 annotation; suggested bump: none$/m);
  });

  const breaking = diff(SPEC, duration412, "--no-typecheck");
  test("a breaking change: one line with verdict, operation, where, what and JSON pointer; exit 1; bump major", () => {
    expect(breaking().code).toBe(1);
    expect(breaking().stdout.split("\n")).toEqual([
      `spec changes: ${SPEC} → ${duration412}`,
      "page sora-2-pro-image-to-video: POST /v1/videos/generations, model sora-2-pro-image-to-video",
      'BREAKING      POST /v1/videos/generations request body `duration`: enum value "12" removed: requests that send it are rejected  [/paths/~1v1~1videos~1generations/post/requestBody/content/application~1json/schema/properties/duration/enum/2]',
      "type check: skipped (--no-typecheck)",
      "summary: 1 breaking, 0 non-breaking, 0 annotation; suggested bump: major",
      "",
    ]);
  });

  test("end to end, the bin prints the same report and exits 1", async () => {
    expect(await endToEnd.breaking!).toEqual(breaking());
  }, 60_000);

  const bumps = [
    [
      "an additive change",
      (s: Spec) => void (response(s).properties.data.items.properties.thumbnail_url = { type: "string" }),
      "minor",
    ],
    ["a description change", (s: Spec) => void (operation(s).description = "Image to video."), "patch"],
  ] as const;
  test.each(
    bumps.map(
      ([name, change, bump], index) =>
        [
          name,
          diff(SPEC, write(`bump${index}.json`, variant(change)), "--no-typecheck", "--format", "json"),
          bump,
        ] as const,
    ),
  )("%s exits 0 and suggests a %s bump", (_name, outcome, bump) => {
    expect(outcome().code).toBe(0);
    expect(json(outcome())).toMatchObject({ breaking: false, bump });
  });

  const twoChanges = write(
    "two.json",
    variant(
      (s) => void delete response(s).properties.data.items.properties.url,
      (s) => void (operation(s).summary = "x"),
    ),
  );
  const [asJson, asMarkdown] = [
    diff(SPEC, twoChanges, "--no-typecheck", "--format", "json"),
    diff(SPEC, twoChanges, "--no-typecheck", "--format", "markdown"),
  ];
  test("--format json and --format markdown carry the same changes, each naming its operation", () => {
    expect([asJson().code, asMarkdown().code]).toEqual([1, 1]);
    const report = json(asJson());
    expect(report).toMatchObject({
      breaking: true,
      bump: "major",
      summary: { breaking: 1, "non-breaking": 0, annotation: 1 },
      typecheck: { status: "skipped" },
    });
    expect(report.changes.map((change) => [change.verdict, change.operation, change.rule, change.pointer])).toEqual([
      [
        "breaking",
        "POST /v1/videos/generations",
        "field-removed",
        "/paths/~1v1~1videos~1generations/post/responses/200/content/application~1json/schema/properties/data/items/properties/url",
      ],
      ["annotation", "POST /v1/videos/generations", "annotation", "/paths/~1v1~1videos~1generations/post/summary"],
    ]);
    const markdown = asMarkdown().stdout;
    expect(markdown).toMatch(/^### Vendor spec change: \*\*breaking\*\*$/m);
    expect(markdown).toMatch(/^\| verdict \| operation \| where \| what changed \| pointer \|$/m);
    expect(markdown).toMatch(
      /^\| breaking \| POST \/v1\/videos\/generations \(model sora-2-pro-image-to-video\) \| response 200 `data\[\]\.url` \| field removed from the response: this client reads it \| `\/paths\/.*\/url` \|$/m,
    );
    expect(markdown).toMatch(
      /^\| annotation \| POST \/v1\/videos\/generations \(model sora-2-pro-image-to-video\) \| operation \| summary changed \|/m,
    );
    expect(markdown).toMatch(/Suggested version bump: \*\*major\*\*/);
  });

  const extend = write(
    "sora-2-extend.json",
    variantOf(REMIX_SPEC, movedTo("/v1/videos/extensions"), namedModel("openai/sora-2-extend")),
  );
  const newPage = diff(REMIX, extend);
  test("a page for a new path: its operation added, not breaking; the type check waits for the page's overlay", () => {
    expect(newPage()).toMatchObject({ code: 0, stderr: "" });
    expect(newPage().stdout.split("\n").slice(1, 4)).toEqual([
      "page sora-2-extend (new): POST /v1/videos/extensions",
      "NON-BREAKING  POST /v1/videos/extensions: operation added  [/paths/~1v1~1videos~1extensions/post]",
      "type check: skipped (a new page: add spec/overlays/sora-2-extend.json (its operationId and default model) to generate its types)",
    ]);
  });

  // The issue's own reproduction: NEW's only path renamed, both files named like no page.
  const base = write("base.json", variant());
  const renamed = diff(base, write("renamed.json", variant(movedTo("/v2/videos/generations"))), "--no-typecheck");
  test("OLD against NEW: a renamed path, files named like no page, is the removal of the operation the client calls", () => {
    expect(renamed().code).toBe(1);
    expect(renamed().stdout).toMatch(
      /^page sora-2-pro-image-to-video: POST \/v2\/videos\/generations, POST \/v1\/videos\/generations/m,
    );
    expect(renamed().stdout).toMatch(
      /^BREAKING {6}POST \/v1\/videos\/generations: operation removed: this client calls it/m,
    );
  });

  // A new model's page on the image-to-video path, image-to-video given as OLD (as a user would).
  const sora2Text = write(
    "sora-2-text-to-video.md",
    variantOf(
      TEXT_SPEC,
      namedModel("sora-2-text-to-video"),
      (s) => void (request(s).properties.resolution.enum = ["720p"]),
    ),
  );
  const [newModel, newModelMarkdown] = [
    diff(SPEC, sora2Text, "--no-typecheck"),
    diff(SPEC, sora2Text, "--no-typecheck", "--format", "markdown"),
  ];
  test("a new model's page on a shared path: operation added (minor), naming the model; nothing about image-to-video", () => {
    expect(newModel().code).toBe(0);
    expect(newModel().stdout.split("\n").slice(1)).toEqual([
      "page sora-2-text-to-video (new): POST /v1/videos/generations, model sora-2-text-to-video",
      "NON-BREAKING  POST /v1/videos/generations: operation added  [/paths/~1v1~1videos~1generations/post]",
      "type check: skipped (--no-typecheck)",
      "summary: 0 breaking, 1 non-breaking, 0 annotation; suggested bump: minor",
      "",
    ]);
    expect(newModelMarkdown().stdout).toMatch(
      /^\| non-breaking \| POST \/v1\/videos\/generations \(model sora-2-text-to-video\) \| operation \| operation added \|/m,
    );
  });

  // Pages as the gateway writes them: a page that adds a GET (a status endpoint), a page on another host.
  const TASK = "/v1/videos/tasks/{task_id}";
  const withTask = write(
    "with-task.json",
    variant((s) => {
      s.paths[TASK] = {
        get: {
          summary: "task status",
          parameters: [{ name: "task_id", in: "path", required: true, schema: { type: "string" } }],
          responses: {
            "200": {
              description: "",
              content: {
                "application/json": { schema: { type: "object", properties: { status: { type: "string" } } } },
              },
            },
          },
        },
      };
    }),
  );
  const [getWire, getTyped] = [diff(SPEC, withTask, "--no-typecheck"), diff(SPEC, withTask, "--format", "json")];
  test("a page that adds a GET operation: operation added; its types wait for its operationId in the page's overlay", () => {
    expect(getWire().code).toBe(0);
    expect(getWire().stdout).toMatch(/^NON-BREAKING {2}GET \/v1\/videos\/tasks\/\{task_id\}: operation added/m);
    expect(json(getTyped()).changes).toContainEqual(
      expect.objectContaining({
        rule: "generate",
        what: expect.stringContaining(
          "GET /v1/videos/tasks/{task_id} needs an operationId that is an identifier (give it in spec/overlays/sora-2-pro-image-to-video.json)",
        ),
      }),
    );
  });

  const onMedia = diff(
    SPEC,
    write(
      "sora-2-text-to-video.json",
      variantOf(
        TEXT_SPEC,
        namedModel("sora-2-text-to-video"),
        (s) => void (s.servers = [{ url: "https://media.onerouter.pro" }]),
      ),
    ),
    "--no-typecheck",
  );
  test("a new model's page served from another host: operation added, nothing about servers", () => {
    expect(onMedia().code).toBe(0);
    expect(onMedia().stdout).toMatch(/^summary: 0 breaking, 1 non-breaking, 0 annotation; suggested bump: minor$/m);
  });

  const invalid = [
    ["a missing file", null, /missing\.md: cannot read file \(ENOENT\)/],
    ["a page with no JSON block", "# Sora\n\nNo spec here.\n", /bad\.md: no ```json block found in the page/],
    [
      "a page with malformed JSON",
      '# Sora\n\n```json\n{ "openapi": "3.1.0",\n  oops\n}\n```\n',
      /bad\.md: invalid JSON at line 5, column 3/,
    ],
    [
      "a document that is not OpenAPI 3.x",
      '```json\n{ "swagger": "2.0" }\n```\n',
      /bad\.md: not an OpenAPI 3\.x document \(openapi: null\)/,
    ],
    [
      "an invalid OpenAPI document",
      `\`\`\`json\n${JSON.stringify(variant((s) => delete s.info))}\n\`\`\`\n`,
      /bad\.md: invalid OpenAPI document:\n {2}at \/: must have required property 'info'/,
    ],
  ] as const;
  const invalidCases = invalid.map(([name, content, reason], index) => {
    const file = join(dir, content === null ? "" : `invalid${index}`, content === null ? "missing.md" : "bad.md");
    if (content !== null) {
      mkdirSync(dirname(file));
      writeFileSync(file, content);
    }
    return [name, [diff(file, SPEC, "--no-typecheck"), diff(SPEC, file, "--no-typecheck")], reason] as const;
  });
  test.each(invalidCases)(
    "%s is invalid input: exit 2 with the reason, nothing on stdout",
    (_name, outcomes, reason) => {
      for (const outcome of outcomes) {
        expect(outcome()).toMatchObject({ code: 2, stdout: "" });
        expect(outcome().stderr).toMatch(reason);
      }
    },
  );

  test("end to end, the bin exits 2 on an unreadable file with the reason and nothing on stdout", async () => {
    const outcome = await endToEnd.missing!;
    expect(outcome).toMatchObject({ code: 2, stdout: "" });
    expect(outcome.stderr).toMatch(/missing\.md: cannot read file \(ENOENT\)/);
  }, 60_000);

  const badArguments = [
    [["--format", "xml", "a", "b"], /--format must be text, json or markdown/],
    [[SPEC], /expected OLD and NEW, got 1 file/],
    [["--frobnicate", SPEC, SPEC], /Unknown option '--frobnicate'/],
  ] as const;
  test.each(badArguments.map(([args, reason]) => [args, diff(...args), reason] as const))(
    "bad arguments %j: exit 2 with the usage",
    (_args, outcome, reason) => {
      expect(outcome().code).toBe(2);
      expect(outcome().stderr).toMatch(reason);
      expect(outcome().stderr).toMatch(/^usage: spec:diff OLD NEW/m);
    },
  );
});

describe("npm run spec:diff: the type-level check (every page regenerated, NEW in place)", () => {
  const broken = diff(
    SPEC,
    write(
      "no-duration.json",
      variant((s) => void delete request(s).properties.duration),
    ),
    "--format",
    "json",
  );
  test("a change that breaks src/ is reported with the compiler's message, naming the operation", () => {
    expect(broken().code).toBe(1);
    const report = json(broken());
    expect(report.typecheck).toMatchObject({ status: "failed" });
    const typeErrors = report.changes.filter((change) => change.rule === "typecheck");
    expect(typeErrors).toContainEqual(
      expect.objectContaining({
        verdict: "breaking",
        operation: "POST /v1/videos/generations",
        where: expect.stringMatching(/^POST \/v1\/videos\/generations types: src\/types\.ts\(\d+,\d+\)$/),
        what: expect.stringMatching(/^TS2339 Property 'duration' does not exist/),
      }),
    );
  });

  // examples/downstream pins that a remix needs video_id with an @ts-expect-error line.
  const optionalVideoId = write(
    "optional-video-id.json",
    variantOf(REMIX_SPEC, (s) => void (request(s).required = ["model", "prompt"])),
  );
  const remix = diff(REMIX, optionalVideoId, "--format", "json");
  test("a remix page change is checked against the types of every page, the remix page replaced", () => {
    expect(remix().code).toBe(0);
    const report = json(remix());
    expect(report.page).toEqual({
      name: "sora-2-video-to-video",
      operations: ["POST /v1/videos/edits"],
      status: "existing",
    });
    expect(report.changes).toContainEqual(
      expect.objectContaining({
        verdict: "non-breaking",
        where: "POST /v1/videos/edits request body `video_id`",
        what: "becomes optional",
      }),
    );
    // src/ calls both operations: it compiles only when the image-to-video page is generated too.
    expect(report.typecheck).toMatchObject({ status: "passed", note: "1 compiler error(s), 0 breaking" });
    expect(report.changes).toContainEqual(
      expect.objectContaining({
        verdict: "non-breaking",
        operation: "POST /v1/videos/edits",
        where: `POST /v1/videos/edits types: examples/downstream/src/service.ts(${REMIX_EXPECT_ERROR_LINE},1)`,
        what: expect.stringMatching(/^TS2578 Unused '@ts-expect-error' directive/),
      }),
    );
  });

  const widened = diff(
    SPEC,
    write(
      "widened.json",
      variant((s) => void request(s).properties.duration.enum.push("5")),
    ),
    "--format",
    "json",
  );
  test("a widened type that only defeats an @ts-expect-error assertion is not breaking", () => {
    expect(widened().code).toBe(0);
    const report = json(widened());
    expect(report.typecheck).toMatchObject({ status: "passed", note: "1 compiler error(s), 0 breaking" });
    expect(report.changes).toContainEqual(
      expect.objectContaining({
        verdict: "non-breaking",
        rule: "typecheck",
        where: expect.stringMatching(/types: examples\/downstream\/src\/service\.ts\(\d+,\d+\)$/),
        what: expect.stringMatching(/^TS2578 Unused '@ts-expect-error' directive/),
      }),
    );
  });

  // A new guarantee: data[].url always present on image-to-video only (the other operations keep it optional).
  const guaranteed = diff(
    SPEC,
    write(
      "url-required.json",
      variant((s) => void (response(s).properties.data.items.required = ["url"])),
    ),
    "--format",
    "json",
  );
  test("a response field that becomes required on one operation: not breaking; every shared code path still compiles (it reads what every operation has)", () => {
    const report = json(guaranteed());
    expect(report.changes).toContainEqual(
      expect.objectContaining({ verdict: "non-breaking", what: "becomes always present in the response" }),
    );
    // Shared code (render, batch, queue, generateVideo) depends on what the operations have in common.
    expect(report.changes.filter((change) => change.rule === "typecheck")).toEqual([]);
    expect(report.changes.filter((change) => change.verdict === "breaking")).toEqual([]);
    expect(guaranteed().code).toBe(0);
  });

  const noOverlay = diff(
    SPEC,
    write(
      "no-auth.json",
      variant((s) => void (operation(s).parameters = [])),
    ),
    "--format",
    "json",
  );
  test("when the overlay no longer applies, that is the breaking change and the type check is skipped", () => {
    expect(noOverlay().code).toBe(1);
    const report = json(noOverlay());
    expect(report.typecheck).toEqual({ status: "skipped", note: "the overlay does not apply to NEW" });
    expect(report.changes).toContainEqual(
      expect.objectContaining({
        verdict: "breaking",
        rule: "overlay",
        operation: "POST /v1/videos/generations",
        what: expect.stringContaining("1 overlay action(s) matched nothing in the spec"),
      }),
    );
  });
});
