import { REDACTED } from "../../redact";
import { join } from "node:path";
import { downloadCommand } from "../download-command";
import { shellQuote } from "../shell-quote";
import type { Receipt } from "../../batch/journal-state";
import type { JobResult } from "./scheduler";
import type { MalformedLine } from "./jobs";
import { categoryOf, countResults } from "./summary";

/**
 * A line after the summary table: text (cut to the width), advice (wrapped at spaces, never cut),
 * or a command (wrapped with \ continuations, never cut; indent "  ").
 */
export type FollowUpLine = string | { advice: string } | { command: string; indent?: string };

/** One line of a receipt: `request req_1 · sent … · answered … · HTTP 502 · InternalServerError`. */
export function describeReceipt(receipt: Receipt): string {
  const parts = [
    `request ${receipt.requestId ?? "(no id)"}`,
    receipt.sentAt && `sent ${receipt.sentAt}`,
    receipt.answeredAt ? `answered ${receipt.answeredAt}` : "no answer",
    receipt.status !== undefined && `HTTP ${receipt.status}`,
    receipt.error,
  ];
  return parts.filter(Boolean).join(" · ");
}

/** The command that saves a job's already generated video (when it has one and is not done), else undefined. */
export function jobDownloadCommand(result: JobResult, outDir: string): string | undefined {
  if (result.url === undefined || result.state === "done") return undefined;
  return downloadCommand(result.url, join(outDir, result.job.out));
}

/**
 * What the summary adds after its table, so nothing paid for is lost: the receipts of the jobs
 * that may have been billed without giving a video (uncertain), and a `sora-video download`
 * command for every video already generated but not saved.
 */
export function renderFollowUp(results: readonly JobResult[], outDir: string): FollowUpLine[] {
  const lines: FollowUpLine[] = [];
  const unpaid = results.filter((result) => categoryOf(result) === "uncertain" && (result.receipts?.length ?? 0) > 0);
  if (unpaid.length > 0) {
    lines.push("", "Receipts of calls that may have been billed without giving a video (for the provider's support):");
    for (const result of unpaid) {
      for (const receipt of result.receipts!) lines.push(`  ${result.job.id}: ${describeReceipt(receipt)}`);
    }
  }
  const commands = results.flatMap((result) => {
    const command = jobDownloadCommand(result, outDir);
    return command === undefined ? [] : [{ command }];
  });
  if (commands.length > 0) {
    lines.push("", "Generated (and paid for) but not saved; save each for free with:", ...commands);
  }
  return lines;
}

/** A word of the command line with any URL password (e.g. in `--queue redis://:secret@host`) redacted. */
function withoutPassword(word: string): string {
  if (!/^[a-z][a-z0-9+.-]*:\/\/[^/\s]*:[^/\s]*@/i.test(word)) return word;
  try {
    const url = new URL(word);
    if (url.password === "") return word;
    url.password = REDACTED;
    return url.href;
  } catch {
    return word;
  }
}

/**
 * The command line without `--retry-uncertain` and `--no-wait` (before any `--`): a resume must
 * never re-send an uncertain job, and it finishes accepted tasks.
 */
function withoutRetryUncertain(argv: readonly string[]): readonly string[] {
  const end = argv.indexOf("--");
  const flags = end === -1 ? argv : argv.slice(0, end);
  const rest = end === -1 ? [] : argv.slice(end);
  return [...flags.filter((word) => word !== "--retry-uncertain" && word !== "--no-wait"), ...rest];
}

/** The commands to run after a batch that is not all done (for --json too). */
interface NextCommands {
  /** The same command again: runs failed and not-run jobs, finishes tasks, downloads videos not saved; never pays twice. */
  resume?: string;
  /** The same command with --retry-uncertain: sends uncertain jobs again, which MAY BILL TWICE. */
  retry_uncertain?: string;
}

/**
 * The exact commands to run next, from the command line this run was given (`argv`, without
 * `sora-video`): the same command without `--retry-uncertain` to resume when a job failed, did not
 * run or a line is malformed (after fixing it), so that it never pays twice even after a run that
 * was given the flag; and the same with `--retry-uncertain` when a job is uncertain.
 */
export function nextCommands(
  results: readonly JobResult[],
  malformed: readonly MalformedLine[],
  argv: readonly string[],
): NextCommands {
  const counts = countResults(results, malformed);
  const command = (words: readonly string[]) => `sora-video ${words.map(withoutPassword).map(shellQuote).join(" ")}`;
  const next: NextCommands = {};
  if (counts.failed + counts["not run"] + counts.task + counts.malformed > 0) {
    next.resume = command(withoutRetryUncertain(argv));
  }
  if (counts.uncertain > 0) {
    next.retry_uncertain = command(argv.includes("--retry-uncertain") ? argv : [...argv, "--retry-uncertain"]);
  }
  return next;
}

/** The "what to do next" lines for `next`, saying what each command does and what it may cost. */
export function renderNextSteps(next: NextCommands, malformed: readonly MalformedLine[]): FollowUpLine[] {
  if (next.resume === undefined && next.retry_uncertain === undefined) return [];
  const lines: FollowUpLine[] = ["", "Next:"];
  if (malformed.length > 0) {
    lines.push({ advice: `  fix line(s) ${malformed.map((entry) => entry.line).join(", ")} of the jobs file, then:` });
  }
  if (next.resume !== undefined) {
    lines.push({
      advice: "  resume (failed and not-run jobs, accepted tasks, unsaved videos; nothing is paid twice):",
    });
    lines.push({ command: next.resume, indent: "    " });
  }
  if (next.retry_uncertain !== undefined) {
    lines.push({ advice: "  send the uncertain jobs again (they may have been billed: MAY BILL TWICE):" });
    lines.push({ command: next.retry_uncertain, indent: "    " });
  }
  return lines;
}
