import type { Command } from "commander";

/** What a command's help footer says about it: which variables it reads and what its exit codes mean. */
interface HelpFacts {
  /** How the command uses ONEROUTER_API_KEY, or undefined when it needs no key. */
  key?: string;
  /** Whether it takes --base-url (and so reads ONEROUTER_BASE_URL). */
  baseUrl?: boolean;
  /** Whether it draws progress on stderr (FORCE_TTY, COLUMNS). */
  progress?: boolean;
  /** Each exit code it can end with, and what it means for this command. */
  exits: ReadonlyArray<readonly [code: number, meaning: string]>;
}

const USAGE = [2, "usage error: bad flag or value, no ONEROUTER_API_KEY, unusable --out; nothing was sent"] as const;
const INTERRUPTED = [130, "interrupted (Ctrl-C, SIGTERM or SIGHUP)"] as const;
const RENDER: HelpFacts = {
  key: "the API key (required; never printed)",
  baseUrl: true,
  progress: true,
  exits: [[0, "success"], [1, "API or network failure, or the video could not be saved"], USAGE, INTERRUPTED],
};
const QUEUE: HelpFacts = {
  exits: [
    [0, "success"],
    [1, "the queue failed"],
    [2, "usage error: bad flag or value, Redis unreachable"],
  ],
};

/** The facts of each command, by its path (`queue status`); a command not listed gets no footer. */
const FACTS: Readonly<Record<string, HelpFacts>> = {
  "sora-video": {
    key: "the API key (required by generate, remix, batch, worker and verify --base-url; not by download, batch --dry-run or verify --replay)",
    baseUrl: true,
    progress: true,
    exits: [
      [0, "success"],
      [1, "API or network failure (a batch: some job failed, is uncertain, or a line is malformed)"],
      [2, "usage error: bad flag or value, no ONEROUTER_API_KEY; nothing was sent"],
      INTERRUPTED,
    ],
  },
  generate: RENDER,
  remix: RENDER,
  batch: {
    ...RENDER,
    key: "the API key (required, except with --dry-run; never printed)",
    exits: [[0, "every job done"], [1, "some job failed, is uncertain, or a line is malformed"], USAGE, INTERRUPTED],
  },
  download: {
    progress: true,
    exits: [[0, "saved"], [1, "the download failed"], [2, "usage error: bad flag, unusable --out"], INTERRUPTED],
  },
  worker: {
    key: "the API key (required; never printed)",
    baseUrl: true,
    progress: true,
    exits: [[0, "stopped after the running jobs"], [1, "the queue failed"], USAGE, [130, "running jobs were aborted"]],
  },
  queue: QUEUE,
  "queue status": QUEUE,
  "queue retry-uncertain": QUEUE,
  "queue retry-failed": QUEUE,
  mock: {
    exits: [
      [0, "stopped by Ctrl-C, SIGTERM or SIGHUP"],
      [2, "usage error: bad flag or value, the port is in use"],
    ],
  },
  verify: {
    key: "the API key (required with --base-url, never with --replay; never printed)",
    exits: [
      [0, "every case held"],
      [1, "the provider (or a recording) broke the contract"],
      [2, "usage error, or the provider is unreachable (the URL is named)"],
    ],
  },
};

function commandPath(command: Command): string {
  const names: string[] = [];
  for (let at: Command | null = command; at; at = at.parent) names.unshift(at.name());
  return names.length > 1 ? names.slice(1).join(" ") : names[0]!;
}

/**
 * The help text's footer for `command`: the environment variables it reads and its exit codes,
 * only those that apply to it.
 */
export function helpFooter(command: Command): string {
  const facts = FACTS[commandPath(command)];
  if (facts === undefined) return "";
  const variables = [
    ...(facts.key ? [["ONEROUTER_API_KEY", facts.key]] : []),
    ...(facts.baseUrl ? [["ONEROUTER_BASE_URL", "the API origin when --base-url is not given"]] : []),
    ...(facts.progress ? [["FORCE_TTY=1", "draw the live progress line even when stderr is not a terminal"]] : []),
    ...(facts.progress ? [["COLUMNS=<n>", "the width lines and tables fit (default: the terminal's)"]] : []),
    ["NO_COLOR=1", "no colour; FORCE_COLOR=1: colour even when not a terminal"],
  ];
  const lines = ["", "Environment:", ...variables.map(([name, what]) => `  ${name!.padEnd(20)} ${what}`)];
  lines.push("", "Exit codes:", ...facts.exits.map(([code, meaning]) => `  ${String(code).padEnd(4)} ${meaning}`));
  return lines.join("\n");
}
