import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { extractOpenApiFromPage, formatSpecJson, replaceEmbeddedJson } from "../../scripts/lib/extract";
import { overlaySkeleton } from "../../scripts/lib/overlay-skeleton";
import { copyOfRepo, runTs, type Outcome } from "./helpers/cli";
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
  type Mutation,
  type Spec,
} from "./helpers/spec-variants";

/*
 * Each case updates its own copy of the repository. Every case runs spec:update's command (the
 * code the bin runs) in one child process (helpers/spec-batch.ts), followed by generate:check's
 * drift check where files were written; where nothing may be written, the whole of spec/ and
 * generated/ is compared instead (which proves more). One case also runs the real bin, and only
 * the case about it runs the type check.
 */

const SCRIPT = join(ROOT, "scripts", "spec-update.ts");
const PAGE = join(ROOT, "spec", "vendor", "sora-2-pro-image-to-video.md");
const roots: string[] = [];
afterAll(() => {
  for (const root of roots) for (const file of [root, `${root}-input`]) rmSync(file, { recursive: true, force: true });
});

/** A fresh copy of the repository for one case. */
function freshRoot(): string {
  const root = copyOfRepo();
  roots.push(root);
  return root;
}

/** Every file under spec/ and generated/ of a copy, with its content. */
function snapshot(root: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const top of ["spec", "generated"]) {
    for (const entry of readdirSync(join(root, top), { recursive: true, withFileTypes: true })) {
      if (entry.isFile())
        files[relative(root, join(entry.parentPath, entry.name))] = readFileSync(
          join(entry.parentPath, entry.name),
          "utf8",
        );
    }
  }
  return files;
}

/** Writes a spec as a vendor page (or a .json file) outside the copy; `name` names the file (and so a new page). */
function input(root: string, name: string, spec: Spec): string {
  rmSync(`${root}-input`, { recursive: true, force: true });
  const file = join(`${root}-input`, name);
  mkdirSync(`${root}-input`, { recursive: true });
  const json = formatSpecJson(spec);
  writeFileSync(file, name.endsWith(".json") ? json : replaceEmbeddedJson(readFileSync(PAGE, "utf8"), json));
  return file;
}

const batch = new JobBatch();
const update = (root: string, ...args: string[]) =>
  batch.add({ kind: "command", command: "spec:update", args: [...args, "--root", root] });
const drift = (root: string) => batch.add({ kind: "drift", root });

/** A case that must write nothing: a fresh copy, its snapshot before, the update's outcome. */
function refusedCase(name: string, spec: Spec, ...args: string[]) {
  const root = freshRoot();
  const before = snapshot(root);
  const file = input(root, name, spec);
  return { root, before, file, outcome: update(root, file, ...args) };
}

/** A case that writes: the same, and generate:check's drift check after the update. */
function updateCase(name: string, spec: Spec, ...args: string[]) {
  const written = refusedCase(name, spec, ...args);
  return { ...written, drifted: drift(written.root) };
}

const addThumbnail: Mutation = (s) =>
  void (response(s).properties.data.items.properties.thumbnail_url = {
    type: "string",
    description: "A still of the first frame",
  });
const removeDuration12: Mutation = (s) => void (request(s).properties.duration.enum = ["4", "8"]);
const IMAGE_FILES = ["spec/openapi/sora-2-pro-image-to-video.json", "spec/vendor/sora-2-pro-image-to-video.md"];

const endToEnd: Record<string, Promise<Outcome>> = {};
const breakingByBin = (() => {
  const root = freshRoot();
  return { root, before: snapshot(root), file: input(root, "next.md", variant(removeDuration12, addThumbnail)) };
})();
beforeAll(async () => {
  // The real bin on its own copy, alongside the batch.
  endToEnd.breaking = runTs(SCRIPT, [breakingByBin.file, "--no-typecheck", "--root", breakingByBin.root]);
  await batch.run();
}, 180_000);

describe("npm run spec:update", () => {
  const page = updateCase("next.md", variant(addThumbnail));
  test("a non-breaking page: writes the page's spec/openapi/ contract, the page and generated/ after the type check; no drift", () => {
    const outcome = page.outcome();
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toMatch(
      /^NON-BREAKING {2}POST \/v1\/videos\/generations response 200 `data\[\]\.thumbnail_url`: new field in the response/m,
    );
    expect(outcome.stdout).toMatch(/^type check: passed/m);
    expect(outcome.stderr).toMatch(
      /spec:update: wrote spec\/openapi\/sora-2-pro-image-to-video\.json, spec\/vendor\/sora-2-pro-image-to-video\.md, generated\/schema\.ts, .*; generated\/ is in step with spec\//,
    );
    const after = snapshot(page.root);
    expect(after["spec/openapi/sora-2-pro-image-to-video.json"]).toBe(formatSpecJson(variant(addThumbnail)));
    expect(after["spec/vendor/sora-2-pro-image-to-video.md"]).toBe(readFileSync(page.file, "utf8"));
    expect(after["generated/schema.ts"]).toMatch(/thumbnail_url\?: string;/);
    expect(after["spec/overlay.json"]).toBe(page.before["spec/overlay.json"]);
    expect(page.drifted()).toEqual([]);
  });

  const asJson = updateCase("next.json", variant(addThumbnail), "--no-typecheck");
  test("a .json file: the vendor page keeps its text and gets the new JSON block", () => {
    expect(asJson.outcome().code).toBe(0);
    const after = snapshot(asJson.root);
    const vendorPage = after["spec/vendor/sora-2-pro-image-to-video.md"]!;
    expect(extractOpenApiFromPage(vendorPage)).toEqual(
      JSON.parse(after["spec/openapi/sora-2-pro-image-to-video.json"]!),
    );
    expect(vendorPage.split("```json")[0]).toBe(readFileSync(PAGE, "utf8").split("```json")[0]);
    expect(asJson.drifted()).toEqual([]);
  });

  const optionalVideoId = variantOf(REMIX_SPEC, (s) => void (request(s).required = ["model", "prompt"]));
  const remix = updateCase("remix.json", optionalVideoId, "--no-typecheck");
  test("a remix page: updates that page only (found by the path it documents), and generated/", () => {
    const outcome = remix.outcome();
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toMatch(
      /^NON-BREAKING {2}POST \/v1\/videos\/edits request body `video_id`: becomes optional/m,
    );
    expect(outcome.stderr).toMatch(
      /wrote spec\/openapi\/sora-2-video-to-video\.json, spec\/vendor\/sora-2-video-to-video\.md, generated\//,
    );
    const after = snapshot(remix.root);
    expect(JSON.parse(after["spec/openapi/sora-2-video-to-video.json"]!)).toEqual(optionalVideoId);
    for (const file of IMAGE_FILES) expect(after[file]).toBe(remix.before[file]);
    expect(remix.drifted()).toEqual([]);
  });

  test("end to end, the bin refuses a breaking change: exit 1 with the report, nothing written", async () => {
    const outcome = await endToEnd.breaking!;
    expect(outcome.code).toBe(1);
    expect(outcome.stdout).toMatch(
      /^BREAKING {6}POST \/v1\/videos\/generations request body `duration`: enum value "12" removed/m,
    );
    expect(outcome.stderr).toMatch(/breaking change: nothing written \(re-run with --accept-breaking to take it\)/);
    expect(snapshot(breakingByBin.root)).toEqual(breakingByBin.before);
  }, 60_000);

  const accepted = updateCase("next.md", variant(removeDuration12), "--accept-breaking", "--no-typecheck");
  test("a breaking change with --accept-breaking is written, all of it", () => {
    expect(accepted.outcome().code).toBe(0);
    const after = snapshot(accepted.root);
    expect(JSON.parse(after["spec/openapi/sora-2-pro-image-to-video.json"]!)).toEqual(variant(removeDuration12));
    expect(after["generated/spec-values.ts"]).toMatch(/"duration": \[\s*"4",\s*"8"\s*\]/);
    expect(accepted.drifted()).toEqual([]);
  });

  const noOverlay = refusedCase(
    "next.md",
    variant((s) => void (operation(s).parameters = [])),
    "--accept-breaking",
    "--no-typecheck",
  );
  test("when the overlay no longer applies, even --accept-breaking writes nothing (generated/ could not follow)", () => {
    expect(noOverlay.outcome().code).toBe(1);
    expect(noOverlay.outcome().stderr).toMatch(
      /generated\/ cannot be produced from the new spec, so nothing was written; fix the overlays \(spec\/overlay\.json, spec\/overlays\/sora-2-pro-image-to-video\.json\) first/,
    );
    expect(snapshot(noOverlay.root)).toEqual(noOverlay.before);
  });

  const extend = variantOf(REMIX_SPEC, movedTo("/v1/videos/extensions"), namedModel("openai/sora-2-extend"));
  const extendFacts = { model: "sora-2-extend", sharedRoutes: new Set<string>() };
  const newPage = refusedCase("sora-2-extend.md", extend);
  test("a page for a new path without its overlay: exit 1, nothing written, the overlay to add printed ready to paste", () => {
    const outcome = newPage.outcome();
    expect(outcome.code).toBe(1);
    expect(outcome.stdout).toMatch(
      /^page sora-2-extend \(new\): POST \/v1\/videos\/extensions\nNON-BREAKING {2}POST \/v1\/videos\/extensions: operation added/m,
    );
    expect(outcome.stderr).toContain(
      "spec:update: a new page (sora-2-extend, model sora-2-extend) needs its own overlay before it can be generated, so nothing was written.\n" +
        "Add spec/overlays/sora-2-extend.json (check the operationId and the default model, the value the page's examples send), then re-run:\n" +
        overlaySkeleton("sora-2-extend", extend, extendFacts),
    );
    expect(snapshot(newPage.root)).toEqual(newPage.before);
  });

  const withOverlay = (() => {
    const root = freshRoot();
    writeFileSync(
      join(root, "spec", "overlays", "sora-2-extend.json"),
      overlaySkeleton("sora-2-extend", extend, extendFacts),
    );
    const file = input(root, "sora-2-extend.md", extend);
    return { root, file, outcome: update(root, file, "--no-typecheck"), drifted: drift(root) };
  })();
  test("the same page once its overlay is added (the printed skeleton): written as a new page, an operation added", () => {
    const outcome = withOverlay.outcome();
    expect(outcome.code).toBe(0);
    expect(outcome.stderr).toMatch(
      /wrote spec\/openapi\/sora-2-extend\.json, spec\/vendor\/sora-2-extend\.md, generated\/schema\.ts/,
    );
    const after = snapshot(withOverlay.root);
    expect(after["spec/vendor/sora-2-extend.md"]).toBe(readFileSync(withOverlay.file, "utf8"));
    expect(after["generated/spec-values.ts"]).toMatch(
      /"createVideoExtensions": \{\n\s+"method": "POST",\n\s+"path": "\/v1\/videos\/extensions",\n\s+"page": "sora-2-extend",\n\s+"defaultModel": "sora-2-extend"/,
    );
    expect(withOverlay.drifted()).toEqual([]);
  });

  /** Sora 2 text-to-video: the text-to-video page as another model's page on the shared path (720p only). */
  const sora2Text = variantOf(TEXT_SPEC, namedModel("sora-2-text-to-video"), (s) => {
    request(s).properties.resolution.enum = ["720p"];
    request(s).properties.resolution.default = "720p";
  });
  const sora2TextSkeleton = overlaySkeleton("sora-2-text-to-video", sora2Text, {
    model: "sora-2-text-to-video",
    sharedRoutes: new Set(["POST /v1/videos/generations", "POST /v1/videos/edits"]),
  });
  /** A copy with spec/overlays/sora-2-text-to-video.json added (the printed skeleton) and the page given to spec:update. */
  function newModelCase(spec: Spec, ...args: string[]) {
    const root = freshRoot();
    const before = snapshot(root);
    writeFileSync(join(root, "spec", "overlays", "sora-2-text-to-video.json"), sora2TextSkeleton);
    const file = input(root, "sora-2-text-to-video.md", spec);
    return { root, before, file, outcome: update(root, file, ...args), drifted: drift(root) };
  }
  const untouched = (before: Record<string, string>, after: Record<string, string>) =>
    Object.keys(before)
      .filter((file) => file.startsWith("spec/"))
      .filter((file) => after[file] !== before[file]);

  const newModel = refusedCase("sora-2-text-to-video.md", sora2Text);
  test("a new model's page on a shared path without its overlay: exit 1, nothing written, a skeleton naming the model", () => {
    const outcome = newModel.outcome();
    expect(outcome.code).toBe(1);
    expect(outcome.stdout).toMatch(
      /^page sora-2-text-to-video \(new\): POST \/v1\/videos\/generations, model sora-2-text-to-video\nNON-BREAKING {2}POST \/v1\/videos\/generations: operation added/m,
    );
    expect(outcome.stderr).toContain(
      "spec:update: a new page (sora-2-text-to-video, model sora-2-text-to-video) needs its own overlay before it can be generated, so nothing was written.\n" +
        "Add spec/overlays/sora-2-text-to-video.json (check the operationId and the default model, the value the page's examples send), then re-run:\n" +
        sora2TextSkeleton,
    );
    const actions = (JSON.parse(sora2TextSkeleton) as { actions: Array<{ update: object }> }).actions;
    expect(actions.map((action) => action.update)).toEqual([
      { operationId: "createSora2TextToVideo" },
      { examples: ["sora-2-text-to-video"], enum: ["sora-2-text-to-video"] },
    ]);
    expect(snapshot(newModel.root)).toEqual(newModel.before);
  });

  const newModelAdded = newModelCase(sora2Text);
  test("the same page once the printed overlay is in place: written beside the other models, type-checked, an operation added", () => {
    const outcome = newModelAdded.outcome();
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toMatch(/^NON-BREAKING {2}POST \/v1\/videos\/generations: operation added/m);
    expect(outcome.stdout).toMatch(/^type check: passed/m);
    expect(outcome.stderr).toMatch(
      /wrote spec\/openapi\/sora-2-text-to-video\.json, spec\/vendor\/sora-2-text-to-video\.md, generated\/schema\.ts, .*; generated\/ is in step with spec\/$/m,
    );
    const after = snapshot(newModelAdded.root);
    expect(JSON.parse(after["spec/openapi/sora-2-text-to-video.json"]!)).toEqual(sora2Text);
    expect(after["generated/spec-values.ts"]).toMatch(
      /"createSora2TextToVideo": \{\n\s+"method": "POST",\n\s+"path": "\/v1\/videos\/generations",\n\s+"page": "sora-2-text-to-video",\n\s+"defaultModel": "sora-2-text-to-video",\n\s+"models": \[\n\s+"sora-2-text-to-video"\n\s+\]/,
    );
    expect(untouched(newModelAdded.before, after)).toEqual([]);
    expect(newModelAdded.drifted()).toEqual([]);
  });

  const onMedia = newModelCase(
    variantOf(sora2Text, (s) => void (s.servers = [{ url: "https://media.onerouter.pro", description: "media" }])),
    "--no-typecheck",
  );
  test("a new model's page served from another host merges: its operation keeps its own servers", () => {
    expect(onMedia.outcome().code).toBe(0);
    const values = snapshot(onMedia.root)["generated/spec-values.ts"]!;
    expect(values).toMatch(
      /"page": "sora-2-text-to-video",[^}]*"servers": \[\n\s+"https:\/\/media\.onerouter\.pro"\n\s+\]/,
    );
    expect(values).toMatch(/export const DEFAULT_BASE_URL = "https:\/\/video\.onerouter\.pro"/);
    expect(onMedia.drifted()).toEqual([]);
  });

  const TASK = "/v1/videos/tasks/{task_id}";
  const withTask = variant((s) => {
    s.paths[TASK] = {
      get: {
        summary: "task status",
        parameters: [{ name: "task_id", in: "path", required: true, schema: { type: "string" } }],
        responses: {
          "200": {
            description: "",
            content: { "application/json": { schema: { type: "object", properties: { status: { type: "string" } } } } },
          },
        },
      },
    };
  });
  const getOperation = (() => {
    const root = freshRoot();
    const overlayFile = join(root, "spec", "overlays", "sora-2-pro-image-to-video.json");
    const overlay = JSON.parse(readFileSync(overlayFile, "utf8")) as { actions: object[] };
    overlay.actions.push({ target: `$.paths['${TASK}'].get`, update: { operationId: "getVideoTask" } });
    writeFileSync(overlayFile, JSON.stringify(overlay, null, 2));
    const file = input(root, "next.md", withTask);
    // Type-checked: src/ compiles with an operation that has no body (no default model, no request validator).
    return { root, outcome: update(root, file), drifted: drift(root) };
  })();
  test("a page that adds a GET operation (its operationId in the page's overlay): generated, its route and no model; src/ still type-checks", () => {
    const outcome = getOperation.outcome();
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toMatch(/^type check: passed/m);
    expect(outcome.stdout).toMatch(/^NON-BREAKING {2}GET \/v1\/videos\/tasks\/\{task_id\}: operation added/m);
    const values = snapshot(getOperation.root)["generated/spec-values.ts"]!;
    expect(values).toMatch(
      /"getVideoTask": \{\n\s+"method": "GET",\n\s+"path": "\/v1\/videos\/tasks\/\{task_id\}",\n\s+"page": "sora-2-pro-image-to-video",\n\s+"models": \[\]/,
    );
    expect(getOperation.drifted()).toEqual([]);
  });

  const requiredSeed = variant((s) => {
    request(s).properties.seed = { type: "integer" };
    request(s).required.push("seed");
  });
  const notCompiling = refusedCase("next.md", requiredSeed, "--accept-breaking");
  test("--accept-breaking never writes a tree that does not type-check: exit 1, nothing written, the errors named", () => {
    const outcome = notCompiling.outcome();
    expect(outcome.code).toBe(1);
    expect(outcome.stdout).toMatch(
      /^BREAKING {6}POST \/v1\/videos\/generations request body `seed`: new required field/m,
    );
    expect(outcome.stdout).toMatch(/^type check: failed/m);
    expect(outcome.stderr).toMatch(
      /the regenerated tree does not type-check \(\d+ error\(s\)\), so nothing was written, even with --accept-breaking/,
    );
    expect(outcome.stderr).toMatch(/^ {2}(src|examples\/downstream\/src)\/\S+\(\d+,\d+\): TS\d+ /m);
    expect(outcome.stderr).not.toMatch(/in step/);
    expect(snapshot(notCompiling.root)).toEqual(notCompiling.before);
  });

  const invalid = [
    ["a missing file", null, /cannot read file \(ENOENT\)/],
    ["a page with no JSON block", "# Sora\n", /no ```json block found in the page/],
    ["a page with malformed JSON", '```json\n{ "openapi": \n```\n', /invalid JSON at line 2/],
    [
      "a document that is not OpenAPI 3.x",
      '```json\n{ "openapi": "2.0" }\n```\n',
      /not an OpenAPI 3\.x document \(openapi: "2\.0"\)/,
    ],
    [
      "an invalid OpenAPI document",
      `\`\`\`json\n${JSON.stringify(variant((s) => delete operation(s).responses["200"].description))}\n\`\`\`\n`,
      /invalid OpenAPI document:\n {2}at \/paths\/~1v1~1videos~1generations\/post\/responses\/200: must have required property 'description'/,
    ],
  ] as const;
  const invalidCases = invalid.map(([name, content, reason]) => {
    const root = freshRoot();
    const bad = `${root}-bad.md`;
    roots.push(bad);
    if (content !== null) writeFileSync(bad, content);
    return [
      name,
      { root, before: snapshot(root), outcome: update(root, bad, "--accept-breaking", "--no-typecheck") },
      reason,
    ] as const;
  });
  test.each(invalidCases)("%s: exit 2 with the reason, nothing written", (_name, { root, before, outcome }, reason) => {
    expect(outcome()).toMatchObject({ code: 2, stdout: "" });
    expect(outcome().stderr).toMatch(reason);
    expect(outcome().stderr).toMatch(/nothing was written/);
    expect(snapshot(root)).toEqual(before);
  });

  const inPlace = (() => {
    const root = freshRoot();
    const mtimes = () => Object.keys(snapshot(root)).map((file) => [file, statSync(join(root, file)).mtimeMs]);
    return { mtimes, before: mtimes(), outcome: update(root, PAGE, "--no-typecheck") };
  })();
  test("the spec already in place: exit 0 and no file is touched", () => {
    expect(inPlace.outcome().code).toBe(0);
    expect(inPlace.outcome().stdout).toMatch(/^no changes$/m);
    expect(inPlace.outcome().stderr).toMatch(/already up to date/);
    expect(inPlace.mtimes()).toEqual(inPlace.before);
  });

  const failing = [1, 3, 6].map((failOn) => {
    const root = freshRoot();
    const file = input(root, "next.md", variant(addThumbnail));
    return [
      failOn,
      { root, before: snapshot(root), outcome: batch.add({ kind: "failing-rename", source: file, root, failOn }) },
    ] as const;
  });
  test.each(failing)(
    "a rename failing on call %i of 6: every file is restored, no temporaries are left",
    (failOn, { root, before, outcome }) => {
      expect(outcome()).toMatchObject({
        status: "failed",
        message: expect.stringMatching(/^writing failed, every file was left as it was: EIO: injected failure/),
        renames: failOn,
      });
      expect(snapshot(root)).toEqual(before);
    },
  );
});
