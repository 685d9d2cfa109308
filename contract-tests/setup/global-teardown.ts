import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { countEvents, readRunState } from "../support/run-state";
import { REPO_ROOT } from "../support/spec";
import { summaryLine } from "../support/summary";
import { GLOBALS_KEY, type ContractGlobals } from "./global-setup";

/**
 * Jest globalTeardown of the contract project (runs even when tests failed): stops Prism and
 * waits until it is gone, keeps its log in reports/contract-prism.log, prints the one-line summary.
 */
export default async function globalTeardown(): Promise<void> {
  const globals = (globalThis as Record<string, unknown>)[GLOBALS_KEY] as ContractGlobals | undefined;
  if (!globals) return;
  delete (globalThis as Record<string, unknown>)[GLOBALS_KEY];
  const { prism, runDir } = globals;
  try {
    if (prism) {
      await prism.stop();
      const reports = join(REPO_ROOT, "reports");
      mkdirSync(reports, { recursive: true });
      writeFileSync(join(reports, "contract-prism.log"), prism.log());
    }
    const state = readRunState(runDir);
    const line = summaryLine({
      mode: state.mode,
      tests: countEvents("test", runDir),
      paidCalls: countEvents("paid-call", runDir),
      budgetSkips: countEvents("budget-skip", runDir),
      budget: state.paidCallBudget,
      prismStartMs: state.prismStartMs,
      totalMs: Date.now() - globals.startedAt,
    });
    process.stdout.write(`\n${line}\n`);
  } finally {
    globals.removeGuard();
    rmSync(runDir, { recursive: true, force: true });
  }
}
