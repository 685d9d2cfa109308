/**
 * `tsx update-with-failing-rename.ts NEW ROOT N`: runs spec:update's updateSpec on ROOT with a
 * rename that fails on its Nth call (as a full disk or a lost mount would), and prints the outcome
 * as JSON. Run in a child process: the generator's dependencies cannot load inside CommonJS jest.
 */
import { rename } from "node:fs/promises";
import { updateSpec } from "../../../scripts/lib/diff/update-spec";

async function main(source: string, root: string, failOn: number): Promise<void> {
  let calls = 0;
  const failing = async (from: string, to: string) => {
    if (++calls === failOn) throw Object.assign(new Error(`EIO: injected failure renaming into ${to}`), { code: "EIO" });
    await rename(from, to);
  };
  const outcome = await updateSpec({ source, root, acceptBreaking: false, typecheck: false, write: { rename: failing } });
  process.stdout.write(JSON.stringify({ status: outcome.status, message: outcome.message, renames: calls }));
}

void main(process.argv[2]!, process.argv[3]!, Number(process.argv[4]));
