import type { CaseResult, VerifyReport } from "./report";

function escapeXml(text: string): string {
  return text
    .replace(/[^\t\n\r\x20-\uD7FF\uE000-\uFFFD]/gu, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

const seconds = (ms: number) => (ms / 1000).toFixed(3);

function testcase(result: CaseResult): string {
  const names = `classname="${escapeXml(result.operation)}" name="${escapeXml(result.title)}"`;
  const open = `    <testcase ${names} time="${seconds(result.durationMs)}"`;
  if (result.outcome === "passed") return `${open}/>`;
  if (result.outcome === "skipped")
    return `${open}>\n      <skipped message="${escapeXml(result.rule ?? "")}"/>\n    </testcase>`;
  const detail = [`sent: ${result.sent ?? "-"}`, `got: ${result.received ?? "-"}`, `broke: ${result.rule ?? "?"}`];
  const failure = `<failure message="${escapeXml(result.rule ?? "")}">${escapeXml(detail.join("\n"))}</failure>`;
  return `${open}>\n      ${failure}\n    </testcase>`;
}

/** The run as JUnit XML: one testsuite per operation, one testcase per case (skips and failures marked). */
export function junitXml(report: VerifyReport): string {
  const byOperation = new Map<string, CaseResult[]>();
  for (const result of report.results)
    byOperation.set(result.operation, [...(byOperation.get(result.operation) ?? []), result]);
  const { summary } = report;
  const suites = [...byOperation].map(([operation, results]) => {
    const failures = results.filter((result) => result.outcome === "failed").length;
    const skipped = results.filter((result) => result.outcome === "skipped").length;
    const time = seconds(results.reduce((total, result) => total + result.durationMs, 0));
    const counts = `tests="${results.length}" failures="${failures}" skipped="${skipped}" time="${time}"`;
    const head = `  <testsuite name="${escapeXml(operation)}" ${counts}>`;
    return [head, ...results.map(testcase), "  </testsuite>"].join("\n");
  });
  const total = report.results.length;
  const head =
    `<testsuites name="sora-video verify ${escapeXml(summary.target)}" tests="${total}" failures="${summary.failed}" ` +
    `skipped="${summary.skippedForBudget}" time="${seconds(summary.durationMs)}">`;
  return ['<?xml version="1.0" encoding="UTF-8"?>', head, ...suites, "</testsuites>", ""].join("\n");
}
