import { readContractConfig } from "../support/config";
import { guardAgainstInterrupt } from "../support/interrupt-guard";
import { startPrism, type PrismHandle } from "../support/prism";
import { probeProvider } from "../support/probe";
import { RUN_DIR_VARIABLE, createRunDir } from "../support/run-state";

/** What globalSetup hands to globalTeardown (same process, so through globalThis). */
export interface ContractGlobals {
  startedAt: number;
  runDir: string;
  prism: PrismHandle | undefined;
  removeGuard: () => void;
}

/** The key under which the contract project's globals live on globalThis. */
export const GLOBALS_KEY = "__soraContractRun";

/**
 * Jest globalSetup of the contract project: checks the settings, then either starts Prism from
 * the verbatim spec (mock mode) or makes sure the provider answers (provider mode), and prepares
 * the run directory every worker reads.
 */
export default async function globalSetup(): Promise<void> {
  const startedAt = Date.now();
  const config = readContractConfig();
  let prism: PrismHandle | undefined;
  let removeGuard = () => {};
  if (config.mode === "provider") {
    await probeProvider(config.providerUrl!);
  } else {
    prism = await startPrism();
    removeGuard = guardAgainstInterrupt(prism);
  }
  const runDir = createRunDir({
    mode: config.mode,
    targetUrl: prism?.url ?? config.providerUrl!,
    paidCallBudget: config.paidCalls,
    prismPid: prism?.pid,
    prismStartMs: prism?.startMs,
  });
  process.env[RUN_DIR_VARIABLE] = runDir;
  const globals: ContractGlobals = { startedAt, runDir, prism, removeGuard };
  (globalThis as Record<string, unknown>)[GLOBALS_KEY] = globals;
}
