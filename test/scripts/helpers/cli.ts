import { execFile } from "node:child_process";
import { cpSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "./spec-variants";

/** How a script run ended. */
export interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a TypeScript file with tsx (as `npm run` does) and returns its exit code and output. */
export function runTs(file: string, args: string[]): Promise<Outcome> {
  const tsx = join(ROOT, "node_modules", ".bin", "tsx");
  return new Promise((resolve) => {
    execFile(tsx, [file, ...args], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** The parts of the repository spec:update reads and writes, copied to a fresh temporary folder. */
export function copyOfRepo(): string {
  const dir = mkdtempSync(join(tmpdir(), "sora-spec-update-"));
  for (const part of ["spec", "generated", "src", join("examples", "downstream", "src"), "tsconfig.json"]) {
    cpSync(join(ROOT, part), join(dir, part), { recursive: true });
  }
  return dir;
}
