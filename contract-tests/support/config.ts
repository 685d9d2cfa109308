import { isLoopback } from "../../src/loopback";
import { redactText } from "../../src/redact";
import type { CaseSettings, ContractMode } from "../../src/verify/plan";

/**
 * The suite's settings, read once from the environment. Mode "mock": the suite starts Prism from
 * the verbatim spec; "provider": it checks CONTRACT_BASE_URL instead.
 */
export interface ContractConfig extends CaseSettings {
  mode: ContractMode;
  /** The provider's base URL (provider mode only), without a trailing slash. */
  providerUrl: string | undefined;
  /** ONEROUTER_API_KEY in provider mode; a fixed fake key against the suite's own Prism. */
  apiKey: string;
  /** How many valid (billable) generations provider mode may make. Prism is free: no limit there. */
  paidCalls: number;
  /** Lets plain http reach a non-loopback provider (CONTRACT_ALLOW_INSECURE_HTTP=1). */
  allowInsecureHttp: boolean;
  /**
   * Values valid requests use for free-text fields, by field name (`prompt`, `image_url`,
   * `video_id`), so a real provider can accept them. A field with none gets a placeholder.
   */
  values: Record<string, string>;
  /** A model to send instead of a page's example, by page name (CONTRACT_MODEL, CONTRACT_REMIX_MODEL). */
  models: Record<string, string>;
  /**
   * The `video_id` of an earlier generation for valid remixes (CONTRACT_VIDEO_ID). Unset in provider
   * mode, the suite makes one generation for it (a paid call).
   */
  videoId: string | undefined;
  /** Differential fuzzing: runs per operation and seed (fixed, so a failure replays). */
  fuzzRuns: number;
  fuzzSeed: number;
}

/** How skip reasons name the suite's settings for a remix's source `video_id`. */
export const CONTRACT_SETTING_NAMES = { videoId: "CONTRACT_VIDEO_ID", paidCalls: "CONTRACT_PAID_CALLS" } as const;

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
  if (!/^\d+$/.test(raw))
    throw new ContractConfigError(`${name} must be a whole number ≥ 0, got ${JSON.stringify(raw)}`);
  return Number(raw);
}

function providerUrl(raw: string, allowInsecureHttp: boolean, apiKey: string | undefined): string {
  const shown = JSON.stringify(printableUrl(raw, apiKey));
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ContractConfigError(
      `CONTRACT_BASE_URL is not a URL: ${shown}. Give the provider's base URL, e.g. https://video.example.com`,
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ContractConfigError(`CONTRACT_BASE_URL must be an http(s) URL, got ${shown}`);
  }
  if (url.protocol === "http:" && !isLoopback(url) && !allowInsecureHttp) {
    throw new ContractConfigError(
      `CONTRACT_BASE_URL ${shown} is plain http to a non-loopback host: the key would travel in clear text. Use https, or set CONTRACT_ALLOW_INSECURE_HTTP=1 for a trusted test server.`,
    );
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
    throw new ContractConfigError(
      `CONTRACT_BASE_URL is set to ${JSON.stringify(printableUrl(rawUrl!))} but ONEROUTER_API_KEY is not: provider mode needs the provider's key.`,
    );
  }
  return {
    mode,
    providerUrl: url,
    apiKey: mode === "provider" ? key! : MOCK_API_KEY,
    paidCalls: wholeNumber(env, "CONTRACT_PAID_CALLS", 0),
    allowInsecureHttp,
    values: {
      prompt: env.CONTRACT_PROMPT || "A paper boat drifts across a still pond",
      image_url: env.CONTRACT_IMAGE_URL || "https://example.com/contract-first-frame.png",
    },
    models: {
      ...(env.CONTRACT_MODEL ? { "sora-2-pro-image-to-video": env.CONTRACT_MODEL } : {}),
      ...(env.CONTRACT_REMIX_MODEL ? { "sora-2-video-to-video": env.CONTRACT_REMIX_MODEL } : {}),
    },
    videoId: env.CONTRACT_VIDEO_ID || undefined,
    // Per operation: 250 against Prism keeps two operations within the suite's 15 s goal.
    fuzzRuns: wholeNumber(env, "CONTRACT_FUZZ_RUNS", mode === "provider" ? 50 : 250),
    fuzzSeed: wholeNumber(env, "CONTRACT_FUZZ_SEED", 20_261_124),
  };
}
