import { isLoopback } from "../../src/loopback";
import { redactText } from "../../src/redact";
import { DEFAULT_MODEL } from "../../src/spec-aliases";

/** "mock": the suite starts Prism from the verbatim spec. "provider": it checks CONTRACT_BASE_URL instead. */
export type ContractMode = "mock" | "provider";

/** The suite's settings, read once from the environment. */
export interface ContractConfig {
  mode: ContractMode;
  /** The provider's base URL (provider mode only), without a trailing slash. */
  providerUrl: string | undefined;
  /** ONEROUTER_API_KEY in provider mode; a fixed fake key against the suite's own Prism. */
  apiKey: string;
  /** How many valid (billable) generations provider mode may make. Prism is free: no limit there. */
  paidCalls: number;
  /** Lets plain http reach a non-loopback provider (CONTRACT_ALLOW_INSECURE_HTTP=1). */
  allowInsecureHttp: boolean;
  /** Values a valid request uses, so a real provider can accept it. */
  model: string;
  imageUrl: string;
  prompt: string;
  /** Differential fuzzing: runs and seed (fixed, so a failure replays). */
  fuzzRuns: number;
  fuzzSeed: number;
}

/** The key sent to the suite's own Prism: never a real one. */
export const MOCK_API_KEY = "sk-contract-mock-not-a-key";

/** A bad setting: the message names the variable and the URL, never the key. */
export class ContractConfigError extends Error {
  override readonly name = "ContractConfigError";
}

/** A URL as it may be printed: no user-info, and never the key. */
export function printableUrl(raw: string, apiKey?: string): string {
  let text = raw;
  try {
    const url = new URL(raw);
    url.username = "";
    url.password = "";
    text = url.href;
  } catch {
    // not a URL: print it as given
  }
  return apiKey ? redactText(text, apiKey) : text;
}

function wholeNumber(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  if (!/^\d+$/.test(raw)) throw new ContractConfigError(`${name} must be a whole number ≥ 0, got ${JSON.stringify(raw)}`);
  return Number(raw);
}

function providerUrl(raw: string, allowInsecureHttp: boolean, apiKey: string | undefined): string {
  const shown = JSON.stringify(printableUrl(raw, apiKey));
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ContractConfigError(`CONTRACT_BASE_URL is not a URL: ${shown}. Give the provider's base URL, e.g. https://video.example.com`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ContractConfigError(`CONTRACT_BASE_URL must be an http(s) URL, got ${shown}`);
  }
  if (url.protocol === "http:" && !isLoopback(url) && !allowInsecureHttp) {
    throw new ContractConfigError(`CONTRACT_BASE_URL ${shown} is plain http to a non-loopback host: the key would travel in clear text. Use https, or set CONTRACT_ALLOW_INSECURE_HTTP=1 for a trusted test server.`);
  }
  return raw.replace(/\/+$/, "");
}

/** Reads and checks the suite's environment. Throws ContractConfigError naming the variable at fault. */
export function readContractConfig(env: NodeJS.ProcessEnv = process.env): ContractConfig {
  const rawUrl = env.CONTRACT_BASE_URL?.trim();
  const mode: ContractMode = rawUrl ? "provider" : "mock";
  const allowInsecureHttp = env.CONTRACT_ALLOW_INSECURE_HTTP === "1";
  const key = env.ONEROUTER_API_KEY || undefined;
  const url = rawUrl ? providerUrl(rawUrl, allowInsecureHttp, key) : undefined;
  if (mode === "provider" && !key) {
    throw new ContractConfigError(`CONTRACT_BASE_URL is set to ${JSON.stringify(printableUrl(rawUrl!))} but ONEROUTER_API_KEY is not: provider mode needs the provider's key.`);
  }
  return {
    mode,
    providerUrl: url,
    apiKey: mode === "provider" ? key! : MOCK_API_KEY,
    paidCalls: wholeNumber(env, "CONTRACT_PAID_CALLS", 0),
    allowInsecureHttp,
    model: env.CONTRACT_MODEL || DEFAULT_MODEL,
    imageUrl: env.CONTRACT_IMAGE_URL || "https://example.com/contract-first-frame.png",
    prompt: env.CONTRACT_PROMPT || "A paper boat drifts across a still pond",
    fuzzRuns: wholeNumber(env, "CONTRACT_FUZZ_RUNS", mode === "provider" ? 50 : 500),
    fuzzSeed: wholeNumber(env, "CONTRACT_FUZZ_SEED", 20_261_124),
  };
}
