import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { modelsTable } from "../scripts/lib/models-table";
import { REQUEST_FACTS } from "../generated/spec-values";

describe("docs/models.md: the per-model values table comes from generated/", () => {
  test("the doc holds exactly the table rendered from OPERATIONS and REQUEST_FACTS (paste `npx tsx scripts/models-table.ts`)", async () => {
    const doc = await readFile(join(__dirname, "..", "docs", "models.md"), "utf8");
    expect(doc).toContain(`${modelsTable()}\n`);
  });

  test("the table has one row per operation with a body, and shows each model's own values", () => {
    const rows = modelsTable().split("\n").slice(2);
    expect(rows).toHaveLength(Object.keys(REQUEST_FACTS).length);
    const text = rows.find((row) => row.startsWith("| `createTextToVideo` "))!;
    expect(text).toContain("`720p` `1080p` (default `1080p`)");
    expect(text).not.toContain("auto");
    expect(rows.find((row) => row.startsWith("| `createVideoGeneration` "))).toContain(
      "`720p` `1080p` `auto` (default `auto`)",
    );
  });
});
