/**
 * Cold start: the time to import each package in a fresh Node process, over a bare `node -e 0`.
 * Runs are interleaved (rotating order) and the median of each is reported.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { median } from "./lib/stats";

const ROOT = join(__dirname, "..");

const SCRIPTS: Record<string, string> = {
  "node -e 0": "0",
  "sora-video-client": 'require("sora-video-client")',
  "sora-video-client (ESM)": 'import("sora-video-client")',
  "openapi-fetch": 'require("openapi-fetch")',
  ky: 'import("ky")',
  openai: 'require("openai")',
};

/** One contender's cold-start figure. */
export interface ColdStartFigure {
  name: string;
  medianMs: number;
  overBareMs: number;
}

/** Spawns `node -e` for each contender `runs` times, interleaved. */
export function measureColdStart(runs = 25): ColdStartFigure[] {
  const samples = new Map(Object.keys(SCRIPTS).map((name) => [name, [] as number[]]));
  const names = Object.keys(SCRIPTS);
  for (let run = 0; run <= runs; run++) {
    for (let index = 0; index < names.length; index++) {
      const name = names[(index + run) % names.length]!;
      const started = process.hrtime.bigint();
      const result = spawnSync(process.execPath, ["-e", SCRIPTS[name]!], { cwd: ROOT });
      if (result.status !== 0) throw new Error(`${name}: ${result.stderr.toString()}`);
      if (run > 0) samples.get(name)!.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
  }
  const bare = median(samples.get("node -e 0")!);
  return names.map((name) => ({
    name,
    medianMs: median(samples.get(name)!),
    overBareMs: median(samples.get(name)!) - bare,
  }));
}

if (require.main === module) {
  const figures = measureColdStart(Number(process.env.RUNS ?? 25));
  if (process.argv.includes("--json")) console.log(JSON.stringify(figures, null, 2));
  else
    for (const figure of figures)
      console.log(
        `${figure.name.padEnd(26)} ${figure.medianMs.toFixed(1).padStart(7)} ms   +${figure.overBareMs.toFixed(1)} ms`,
      );
}
