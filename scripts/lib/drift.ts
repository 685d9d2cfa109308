import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { sameSource } from "./normalize-source";

/** Names of the files in `dir` that differ from `expected`, or are missing, or are extra. */
export async function driftedFiles(dir: string, expected: ReadonlyMap<string, string>): Promise<string[]> {
  const present = await readdir(dir).catch(() => [] as string[]);
  const drifted: string[] = present.filter((name) => !expected.has(name) && !name.startsWith("."));
  for (const [name, content] of expected) {
    const actual = await readFile(join(dir, name), "utf8").catch(() => undefined);
    if (actual === undefined || !sameSource(actual, content)) drifted.push(name);
  }
  return drifted.sort();
}
