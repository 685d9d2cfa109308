import { join } from "node:path";
import { downloadCommand } from "../download-command";
import type { Receipt } from "../../batch/journal-state";
import type { JobResult } from "./scheduler";
import { categoryOf } from "./summary";

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
export function jobDownloadCommand(result: JobResult, outDir: string, apiKey: string | undefined): string | undefined {
  if (result.url === undefined || result.state === "done") return undefined;
  return downloadCommand(result.url, join(outDir, result.job.out), apiKey);
}

/**
 * What the summary adds after its table, so nothing paid for is lost: the receipts of the jobs
 * that may have been billed without giving a video (uncertain), and a `sora-video download`
 * command for every video already generated but not saved.
 */
export function renderFollowUp(results: readonly JobResult[], outDir: string, apiKey: string | undefined): string[] {
  const lines: string[] = [];
  const unpaid = results.filter((result) => categoryOf(result) === "uncertain" && (result.receipts?.length ?? 0) > 0);
  if (unpaid.length > 0) {
    lines.push("", "Receipts of calls that may have been billed without giving a video (for the provider's support):");
    for (const result of unpaid) {
      for (const receipt of result.receipts!) lines.push(`  ${result.job.id}: ${describeReceipt(receipt)}`);
    }
  }
  const commands = results.flatMap((result) => {
    const command = jobDownloadCommand(result, outDir, apiKey);
    return command === undefined ? [] : [`  ${command}`];
  });
  if (commands.length > 0) {
    lines.push("", "Generated (and paid for) but not saved; save each for free with:", ...commands);
  }
  return lines;
}
