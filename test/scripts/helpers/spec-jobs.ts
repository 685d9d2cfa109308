import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CommandResult } from "../../../scripts/lib/diff/cli-support";
import { runTs } from "./cli";

/** One job for spec-batch.ts: a CLI run (in-process, same code as the bin), a drift check, or an update with a failing rename. */
export type Job =
  | { kind: "command"; command: "spec:diff" | "spec:update" | "generate"; args: string[] }
  | { kind: "drift"; root: string }
  | { kind: "failing-rename"; source: string; root: string; failOn: number };

/** What each kind of job returns. */
type JobOutcome<J extends Job> = J extends { kind: "command" }
  ? CommandResult
  : J extends { kind: "drift" }
    ? string[]
    : FailedWrite;

/** What an update with a failing rename reports. */
interface FailedWrite {
  status: string;
  message: string;
  renames: number;
}

/**
 * Collects jobs while a suite sets its cases up, then runs them all in one child process
 * (helpers/spec-batch.ts). `add` returns a function that gives the job's outcome once `run` is done.
 */
export class JobBatch {
  readonly #jobs: Job[] = [];
  #outcomes: unknown[] | undefined;

  add<J extends Job>(job: J): () => JobOutcome<J> {
    const index = this.#jobs.push(job) - 1;
    return () => {
      if (!this.#outcomes) throw new Error("the batch has not run");
      return this.#outcomes[index] as JobOutcome<J>;
    };
  }

  async run(): Promise<void> {
    const dir = await mkdtemp(join(tmpdir(), "sora-spec-batch-"));
    try {
      const file = join(dir, "jobs.json");
      await writeFile(file, JSON.stringify(this.#jobs));
      const { code, stdout, stderr } = await runTs(join(__dirname, "spec-batch.ts"), [file]);
      if (code !== 0) throw new Error(`spec-batch failed (${code}): ${stderr}`);
      this.#outcomes = JSON.parse(stdout) as unknown[];
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}
