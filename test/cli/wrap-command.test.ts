import { shellQuote } from "../../src/cli/shell-quote";
import { wrapCommand } from "../../src/cli/wrap-command";

const command = `sora-video batch ${shellQuote("my jobs.jsonl")} --out ${shellQuote("/data/it's here")} --retry-uncertain`;

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
