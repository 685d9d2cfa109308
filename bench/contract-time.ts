/**
 * The contract suite's wall time: runs `npm run contract` (Prism start, every contract test, the
 * differential fuzzing) in a child process and reads Prism's start time from the suite's summary.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";

const ROOT = join(__dirname, "..");

/** Wall time of one contract run and Prism's start time, in ms. */
export interface ContractFigure {
  wallMs: number;
  prismStartMs: number | undefined;
  tests: number | undefined;
}

/** Runs the contract suite once and measures it. Throws if the suite fails. */
export function measureContract(): ContractFigure {
  const started = process.hrtime.bigint();
  const result = spawnSync("npm", ["run", "-s", "contract"], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, CONTRACT_BASE_URL: "" },
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const output = `${result.stdout}${result.stderr}`;
  if (result.status !== 0) throw new Error(`npm run contract failed:\n${output.slice(-2000)}`);
  const summary = /contract summary \(mock\): (\d+) tests run.*Prism start (\d+) ms/.exec(output);
  return {
    wallMs,
    prismStartMs: summary ? Number(summary[2]) : undefined,
    tests: summary ? Number(summary[1]) : undefined,
  };
}

if (require.main === module) {
  const figure = measureContract();
  console.log(
    process.argv.includes("--json")
      ? JSON.stringify(figure)
      : `contract suite: ${(figure.wallMs / 1000).toFixed(1)} s wall, ${figure.tests} tests, Prism start ${figure.prismStartMs} ms`,
  );
}
