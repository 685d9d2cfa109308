import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findPage, withPage, type GenerationInputs } from "../../scripts/lib/pages";
import { pathsUnder } from "../../scripts/lib/paths";
import {
  OVERLAY,
  PAGE_OVERLAY,
  REMIX_OVERLAY,
  REMIX_SPEC,
  TEXT_OVERLAY,
  TEXT_SPEC,
  VENDOR_SPEC,
  movedTo,
  namedModel,
  variantOf,
  type Spec,
} from "./helpers/spec-variants";

const INPUTS: GenerationInputs = {
  overlay: OVERLAY,
  pages: [
    { name: "sora-2-pro-image-to-video", spec: VENDOR_SPEC, overlay: PAGE_OVERLAY },
    { name: "sora-2-pro-text-to-video", spec: TEXT_SPEC, overlay: TEXT_OVERLAY },
    { name: "sora-2-video-to-video", spec: REMIX_SPEC, overlay: REMIX_OVERLAY },
  ],
};
const root = mkdtempSync(join(tmpdir(), "sora-pages-"));
const paths = pathsUnder(root);
afterAll(() => rmSync(root, { recursive: true, force: true }));

const extend = variantOf(REMIX_SPEC, movedTo("/v1/videos/extensions"), namedModel("openai/sora-2-extend"));
const renamed = variantOf(REMIX_SPEC, movedTo("/v2/videos/edits"));
const sora2Text = variantOf(TEXT_SPEC, namedModel("sora-2-text-to-video"));
const noSummary = (spec: Spec) => variantOf(spec, (s) => void delete (Object.values(s.paths)[0] as Spec).post.summary);

describe("findPage: which page a new version belongs to", () => {
  test.each([
    [
      "a path a committed page documents, whatever the file's name",
      REMIX_SPEC,
      "next.md",
      "sora-2-video-to-video",
      true,
    ],
    [
      "only new paths, the file named like a page (a renamed path)",
      renamed,
      "x/sora-2-video-to-video.json",
      "sora-2-video-to-video",
      true,
    ],
    ["only new paths and a new name: a new page named by the file", extend, "sora-2-extend.md", "sora-2-extend", false],
    [
      "a shared path, the model named by the summary: the page claiming it, whatever the file's name",
      TEXT_SPEC,
      "next.md",
      "sora-2-pro-text-to-video",
      true,
    ],
    [
      "a shared path and the summary's openai/ form (a model enum value)",
      VENDOR_SPEC,
      "x.json",
      "sora-2-pro-image-to-video",
      true,
    ],
    [
      "a shared path and a model no page claims: a new page named after its model",
      sora2Text,
      "next.md",
      "sora-2-text-to-video",
      false,
    ],
    [
      "a shared path and nothing but the file's name: a new page named by the file",
      noSummary(TEXT_SPEC),
      "sora-2-text-to-video.md",
      "sora-2-text-to-video",
      false,
    ],
    [
      "only new paths, any file name: the page claiming its model (a renamed path)",
      renamed,
      "renamed.json",
      "sora-2-video-to-video",
      true,
    ],
    [
      "a path of its own and no model at all: its one page",
      noSummary(REMIX_SPEC),
      "next.json",
      "sora-2-video-to-video",
      true,
    ],
  ])("%s", async (_name, document, file, name, committed) => {
    const page = await findPage(paths, INPUTS, document, file);
    expect({ name: page.name, committed: page.committed !== undefined }).toEqual({ name, committed });
  });

  test("the model: from the page's overlay, else the summary's bare id, else the file's name", async () => {
    expect((await findPage(paths, INPUTS, TEXT_SPEC, "sora-2-pro-text-to-video.md")).model).toBe(
      "sora-2-pro-text-to-video",
    );
    expect((await findPage(paths, INPUTS, VENDOR_SPEC, "next.md")).model).toBe("sora-2-pro-image-to-video");
    expect((await findPage(paths, INPUTS, noSummary(sora2Text), "sora-2-text.md")).model).toBe("sora-2-text");
  });

  test("a new page has no overlay until spec/overlays/NAME.json exists; then that one", async () => {
    expect((await findPage(paths, INPUTS, extend, "sora-2-extend.md")).overlay).toBeUndefined();
    const overlay = { overlay: "1.0.0", info: { title: "t", version: "1" }, actions: [] };
    mkdirSync(join(root, "spec", "overlays"), { recursive: true });
    writeFileSync(paths.page("sora-2-extend").overlay, JSON.stringify(overlay));
    expect((await findPage(paths, INPUTS, extend, "sora-2-extend.md")).overlay).toEqual(overlay);
  });
});

describe("withPage", () => {
  test("replaces a committed page's contract and keeps its overlay", () => {
    const pages = withPage(INPUTS, "sora-2-video-to-video", renamed).pages;
    expect(pages.map((page) => [page.name, page.spec === renamed, page.overlay === REMIX_OVERLAY])).toEqual([
      ["sora-2-pro-image-to-video", false, false],
      ["sora-2-pro-text-to-video", false, false],
      ["sora-2-video-to-video", true, true],
    ]);
  });

  test("adds a new page in name order (as generation reads spec/vendor/), with its overlay", () => {
    const pages = withPage(INPUTS, "sora-2-extend", extend, REMIX_OVERLAY).pages;
    expect(pages.map((page) => page.name)).toEqual([
      "sora-2-extend",
      "sora-2-pro-image-to-video",
      "sora-2-pro-text-to-video",
      "sora-2-video-to-video",
    ]);
    expect(pages[0]!.overlay).toBe(REMIX_OVERLAY);
  });
});
