import { appendFileSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ContractMode } from "../../src/verify/plan";

/** What globalSetup decided, shared with every jest worker through a run directory. */
export interface RunState {
  mode: ContractMode;
  /** Where the suite sends requests: the suite's own Prism, or CONTRACT_BASE_URL. */
  targetUrl: string;
  /** Valid generations provider mode may make (CONTRACT_PAID_CALLS). */
  paidCallBudget: number;
  prismPid: number | undefined;
  prismStartMs: number | undefined;
}

/** Things the suite counts across workers, one file of one byte per event. */
export type RunEvent = "test" | "paid-call" | "budget-skip";

/** The environment variable that carries the run directory from globalSetup to the workers. */
export const RUN_DIR_VARIABLE = "CONTRACT_RUN_DIR";

/** Makes a fresh run directory holding `state`. */
export function createRunDir(state: RunState): string {
  const dir = mkdtempSync(join(tmpdir(), "sora-contract-"));
  writeFileSync(join(dir, "state.json"), JSON.stringify(state));
  return dir;
}

/** The current run's directory (set by the contract project's globalSetup). */
export function runDir(): string {
  const dir = process.env[RUN_DIR_VARIABLE];
  if (!dir)
    throw new Error(
      `${RUN_DIR_VARIABLE} is not set: run the contract suite through jest (npm run contract), whose globalSetup prepares it`,
    );
  return dir;
}

/** The state globalSetup wrote. */
export function readRunState(dir: string = runDir()): RunState {
  return JSON.parse(readFileSync(join(dir, "state.json"), "utf8")) as RunState;
}

/** Counts one event. Appends are atomic for one byte, so parallel workers never lose a count. */
export function recordEvent(event: RunEvent, dir: string = runDir()): void {
  appendFileSync(join(dir, `${event}.count`), "x");
}

/** How many times `event` was recorded in this run. */
export function countEvents(event: RunEvent, dir: string = runDir()): number {
  try {
    return statSync(join(dir, `${event}.count`)).size;
  } catch {
    return 0;
  }
}

/**
 * Claims one of `budget` paid-call slots, across every worker of the run: slot files are created
 * exclusively ('wx'), so each slot goes to exactly one claimant. False when all are taken.
 */
export function claimPaidSlot(budget: number, dir: string = runDir()): boolean {
  for (let slot = 0; slot < budget; slot += 1) {
    try {
      writeFileSync(join(dir, `paid-slot-${slot}`), String(process.pid), { flag: "wx" });
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
  return false;
}
