/**
 * `tsx spec-batch.ts JOBS.json`: runs many spec-tool jobs in ONE process and prints their outcomes
 * as a JSON array, in order. The tests batch their cases through it because the generator's
 * dependencies cannot load inside CommonJS jest, and a process per case (tsx startup, loading the
 * generator) is what made these suites slow. Jobs run one after another (each on its own root).
 */
import { readFileSync } from "node:fs";
import { rename } from "node:fs/promises";
import { runCommand } from "../../../scripts/lib/diff/cli-support";
import { DIFF_COMMAND } from "../../../scripts/lib/diff/diff-command";
import { UPDATE_COMMAND } from "../../../scripts/lib/diff/update-command";
import { GENERATE_COMMAND } from "../../../scripts/lib/generate-command";
import { updateSpec } from "../../../scripts/lib/diff/update-spec";
import { driftedFiles } from "../../../scripts/lib/drift";
import { generateFiles, readGenerationInputs } from "../../../scripts/lib/generate";
import { pathsUnder } from "../../../scripts/lib/paths";
import type { Job } from "./spec-jobs";

const COMMANDS = { "spec:diff": DIFF_COMMAND, "spec:update": UPDATE_COMMAND, generate: GENERATE_COMMAND };

/** updateSpec on `root` with a rename that fails on its nth call (as a full disk or a lost mount would). */
async function withFailingRename(source: string, root: string, failOn: number) {
  let calls = 0;
  const failing = async (from: string, to: string) => {
    if (++calls === failOn)
      throw Object.assign(new Error(`EIO: injected failure renaming into ${to}`), { code: "EIO" });
    await rename(from, to);
  };
  const outcome = await updateSpec({
    source,
    root,
    acceptBreaking: false,
    typecheck: false,
    write: { rename: failing },
  });
  return { status: outcome.status, message: outcome.message, renames: calls };
}

/** generate:check's verdict on a root: the generated files that drifted from its spec. */
async function drift(root: string): Promise<string[]> {
  const paths = pathsUnder(root);
  return driftedFiles(paths.generated, await generateFiles(await readGenerationInputs(paths)));
}

async function run(job: Job): Promise<unknown> {
  if (job.kind === "command") return runCommand(COMMANDS[job.command], job.args);
  if (job.kind === "drift") return drift(job.root);
  return withFailingRename(job.source, job.root, job.failOn);
}

async function main(file: string): Promise<void> {
  const jobs = JSON.parse(readFileSync(file, "utf8")) as Job[];
  const outcomes: unknown[] = [];
  for (const job of jobs) outcomes.push(await run(job));
  process.stdout.write(JSON.stringify(outcomes));
}

void main(process.argv[2]!);
