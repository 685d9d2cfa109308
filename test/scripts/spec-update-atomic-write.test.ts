import { mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeFilesAtomically } from "../../scripts/lib/atomic-write";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "sora-atomic-"));
  await mkdir(join(dir, "spec"));
  await writeFile(join(dir, "spec", "openapi.json"), "old spec");
  await writeFile(join(dir, "spec", "page.md"), "old page");
});
afterEach(() => rm(dir, { recursive: true, force: true }));

/** Every file under dir (hidden ones too, so a leftover temporary or backup shows), with content. */
async function tree(): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile())
      files[join(entry.parentPath, entry.name).slice(dir.length + 1)] = await readFile(
        join(entry.parentPath, entry.name),
        "utf8",
      );
  }
  return files;
}

const batch = () =>
  new Map([
    [join(dir, "spec", "openapi.json"), "new spec"],
    [join(dir, "spec", "page.md"), "new page"],
    [join(dir, "generated", "schema.ts"), "new schema"],
  ]);

/** A rename that fails on its nth call. */
function failingOn(n: number, beforeFailing: () => Promise<void> = async () => {}) {
  let calls = 0;
  return async (from: string, to: string) => {
    if (++calls === n) {
      await beforeFailing();
      throw Object.assign(new Error("EIO: injected"), { code: "EIO" });
    }
    await rename(from, to);
  };
}

describe("writeFilesAtomically", () => {
  test("writes every file, creating folders, and leaves nothing else behind", async () => {
    await writeFilesAtomically(batch());
    expect(await tree()).toEqual({
      "spec/openapi.json": "new spec",
      "spec/page.md": "new page",
      "generated/schema.ts": "new schema",
    });
  });

  test("a failure while staging (a target's folder is a file) changes nothing", async () => {
    await writeFile(join(dir, "generated"), "a file where a folder should be");
    const before = await tree();
    await expect(writeFilesAtomically(batch())).rejects.toThrow(/EEXIST|ENOTDIR/);
    expect(await tree()).toEqual(before);
  });

  test.each([1, 2, 3])(
    "a rename failing on call %i restores the files already replaced and removes new ones",
    async (n) => {
      const before = await tree();
      await expect(writeFilesAtomically(batch(), { rename: failingOn(n) })).rejects.toThrow("EIO: injected");
      expect(await tree()).toEqual(before);
    },
  );

  test("when a file cannot be restored, the error names it and its backup is kept", async () => {
    const target = join(dir, "spec", "openapi.json");
    const squat = async () => {
      await rm(target);
      await mkdir(target);
      await writeFile(join(target, "x"), "something else took the path");
    };
    const failure = await writeFilesAtomically(batch(), { rename: failingOn(3, squat) }).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(AggregateError);
    const message = (failure as Error).message;
    expect(message).toMatch(
      /writing failed and these files could not be restored:\n {2}.*spec\/openapi\.json \(its previous content is in .*\.openapi\.json\.[0-9a-f]+\.bak\)/,
    );
    const backup = /previous content is in (.*)\)/.exec(message)![1]!;
    expect(await readFile(backup, "utf8")).toBe("old spec");
    expect(await readFile(join(dir, "spec", "page.md"), "utf8")).toBe("old page");
  });
});
