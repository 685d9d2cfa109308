import { readContractConfig, type ContractConfig } from "./config";
import { claimPaidSlot, readRunState, recordEvent, type RunState } from "./run-state";

/** The server under test and the settings, as the test files see them. */
export interface Target {
  config: ContractConfig;
  state: RunState;
  /** Where requests go: the suite's Prism or CONTRACT_BASE_URL. */
  url: string;
  mockMode: boolean;
}

/** Reads the target once per test file (config from the environment, state from globalSetup). */
export function currentTarget(): Target {
  const config = readContractConfig();
  const state = readRunState();
  return { config, state, url: state.targetUrl, mockMode: state.mode === "mock" };
}

/** The suffix of every suite that only a mock can honour. */
export const MOCK_ONLY = "(mock only: skipped against a provider)";

/** A describe block of Prism-specific checks (its 422 shape, `Prefer` headers): skipped, visibly, in provider mode. */
export function describeMockOnly(target: Target, title: string, body: () => void): void {
  (target.mockMode ? describe : describe.skip)(`${title} ${MOCK_ONLY}`, body);
}

/** Whether a test that makes a valid (billable) generation may run, and if not, why. */
export type PaidPlan = { run: true } | { run: false; reason: string };

/**
 * Decides one paid test: against the suite's own Prism always; against a provider only while a
 * CONTRACT_PAID_CALLS slot can be claimed (claimed when the test is declared, across workers).
 */
export function planPaidTest(state: RunState, claim: (budget: number) => boolean = claimPaidSlot): PaidPlan {
  if (state.mode === "mock") return { run: true };
  if (claim(state.paidCallBudget)) return { run: true };
  return { run: false, reason: `skipped: would be paid call beyond CONTRACT_PAID_CALLS=${state.paidCallBudget}` };
}

/**
 * A test that sends a valid (billable) request. In provider mode it counts as a paid call, and
 * beyond the budget it is declared skipped with the reason in its title (and counted). `plan`
 * is claimed at declaration unless given (a caller may claim in an order of its own).
 */
export function paidTest(
  target: Target,
  title: string,
  run: () => Promise<void>,
  plan: PaidPlan = planPaidTest(target.state),
): void {
  if (!plan.run) {
    recordEvent("budget-skip");
    test.skip(`${title} (${plan.reason})`, () => undefined);
    return;
  }
  const paid = !target.mockMode;
  test(
    title,
    async () => {
      if (paid) recordEvent("paid-call");
      await run();
    },
    paid ? 15 * 60_000 : 20_000,
  );
}
