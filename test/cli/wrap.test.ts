import { shellQuote } from "../../src/cli/shell-quote";
import { wrapCommand, wrapText } from "../../src/cli/wrap";

const out = shellQuote("/data/it's here");
const command = `sora-video batch ${shellQuote("my jobs.jsonl")} --out ${out} --retry-uncertain`;

test.each([
  [undefined, [`  ${command}`]],
  [200, [`  ${command}`]],
  [40, ["  sora-video batch 'my jobs.jsonl' \\", "    --out '/data/it'\\''s here' \\", "    --retry-uncertain"]],
])("wrapCommand(…, %s): words kept whole (quotes included), cut lines end in \\", (columns, want) => {
  expect(wrapCommand(command, columns)).toEqual(want);
});

test("a word longer than the width stays whole on its own line", () => {
  const url = `https://cdn.example/v/${"x".repeat(60)}.mp4?sig=1`;
  expect(wrapCommand(`sora-video download '${url}' --out a.mp4`, 40)).toEqual([
    "  sora-video download \\",
    `    '${url}' \\`,
    "    --out a.mp4",
  ]);
});

test("a flag stays with its value", () => {
  expect(wrapCommand("sora-video generate --prompt 'a cat' --out cat.mp4", 34)).toEqual([
    "  sora-video generate \\",
    "    --prompt 'a cat' \\",
    "    --out cat.mp4",
  ]);
});

test("wrapText: at spaces, continuation lines indented two more; nothing cut; unchanged without columns", () => {
  const text = "  warning: the response did not match the spec";
  expect(wrapText(text, 24)).toBe("  warning: the response\n    did not match the\n    spec");
  expect(wrapText(text, undefined)).toBe(text);
  expect(wrapText("short\nlines", 24)).toBe("short\nlines");
});

test("wrapText: colour codes take no columns", () => {
  const painted = "\x1b[32m✓\x1b[39m a (line 1) → /o/a.mp4";
  expect(wrapText(painted, 30)).toBe(painted);
});
