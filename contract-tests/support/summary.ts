import type { ContractMode } from "../../src/verify/plan";

/** The figures of one contract run. */
export interface RunSummary {
  mode: ContractMode;
  tests: number;
  paidCalls: number;
  budgetSkips: number;
  budget: number;
  /** Spawn to "Prism is listening", in ms; undefined in provider mode (no Prism). */
  prismStartMs: number | undefined;
  totalMs: number;
}

/** The one line CI logs show at the end of a contract run. */
export function summaryLine(summary: RunSummary): string {
  const prism =
    summary.prismStartMs === undefined ? "no Prism (provider mode)" : `Prism start ${summary.prismStartMs} ms`;
  const budget =
    summary.mode === "mock"
      ? "no paid-call limit against the suite's own Prism"
      : `CONTRACT_PAID_CALLS=${summary.budget}`;
  return (
    `contract summary (${summary.mode}): ${summary.tests} tests run, ${summary.paidCalls} paid calls made, ` +
    `${summary.budgetSkips} tests skipped for the paid-call budget (${budget}), ${prism}, total ${(summary.totalMs / 1000).toFixed(1)} s`
  );
}
