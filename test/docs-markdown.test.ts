import { readFileSync } from "node:fs";
import { join } from "node:path";
import { docFiles, fenceProblems, githubSlug, headingAnchors, linkProblems, ROOT } from "./helpers/docs";

/**
 * The docs render as written: each of README.md, CONTRIBUTING.md, CHANGELOG.md and docs/*.md is
 * parsed with a Markdown parser (marked), and every code fence must be closed, no heading may be
 * swallowed by a code block, and every relative link must point to a file (and heading) that exists.
 */
describe("the Markdown docs", () => {
  const files = docFiles();

  test("are the front door, the contributor guide, the changelog and the guides", () => {
    expect(files).toEqual(expect.arrayContaining(["README.md", "CONTRIBUTING.md", "CHANGELOG.md", "docs/client.md"]));
  });

  test.each(files)("%s: every code fence is closed and no heading is swallowed by one", (file) => {
    expect(fenceProblems(readFileSync(join(ROOT, file), "utf8"))).toEqual([]);
  });

  test.each(files)("%s: every relative link points to an existing file and heading", (file) => {
    expect(linkProblems(file)).toEqual([]);
  });

  test("README links to every guide in docs/", () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    for (const guide of files.filter((file) => file.startsWith("docs/"))) expect(readme).toContain(`(${guide})`);
  });

  test("no internal issue numbers", () => {
    for (const file of files)
      expect(`${file}: ${readFileSync(join(ROOT, file), "utf8")}`).not.toMatch(/\bissues? #?\d+|\(#\d+\)/i);
  });
});

describe("the checks themselves", () => {
  test("a fence closed too early, and one opened by mistake, are found with what they swallow", () => {
    const broken = [
      "# Title",
      "",
      "```yaml",
      "steps:",
      "  - run: npm ci",
      "```",
      "      - name: a step left outside the block",
      "```",
      "",
      "A paragraph, now code.",
      "## A heading, now code",
      "",
      "```ts",
      'console.log("the fence above closes nothing");',
      "```",
      "",
    ].join("\n");
    expect(fenceProblems(broken)).toEqual([
      'the code block at line 8 swallows the heading "## A heading, now code"',
      'the code block at line 8 holds the fence "```ts": a fence is missing',
    ]);
  });

  test("a fence never closed runs to the end of the file", () => {
    expect(fenceProblems("# Title\n\n```sh\nnpm ci\n")).toEqual(["the code block at line 3 is never closed"]);
  });

  test("shell and YAML comments are not headings; a longer fence may show a shorter one", () => {
    const fine = "```sh\n# a comment\nnpm ci\n```\n\n````md\n```ts\nconst a = 1;\n```\n````\n";
    expect(fenceProblems(fine)).toEqual([]);
  });

  test.each([
    ["The `sora-video` CLI", "the-sora-video-cli"],
    ["Try it: `npm ci && npm run demo`", "try-it-npm-ci--npm-run-demo"],
    ["`downloadVideo(url, dest, options?)` (Node)", "downloadvideourl-dest-options-node"],
    ["The repository's contract suite: `npm run contract`", "the-repositorys-contract-suite-npm-run-contract"],
  ])("GitHub's anchor of %j is #%s", (heading, anchor) => {
    expect(githubSlug(heading)).toBe(anchor);
    expect(headingAnchors(`## ${heading}\n`).has(anchor)).toBe(true);
  });

  test("a repeated heading gets -1", () => {
    expect([...headingAnchors("## Options\n\ntext\n\n## Options\n")]).toEqual(["options", "options-1"]);
  });
});
