import { execFile } from "node:child_process";
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";

const exec = promisify(execFile);

/** The repository root. */
export const ROOT = join(__dirname, "..", "..");

/** Runs a command; on failure the error message carries its stdout and stderr (tsc reports on stdout). */
export async function run(file: string, args: string[], options: { cwd: string }): Promise<{ stdout: string }> {
  try {
    return await exec(file, args, options);
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${file} ${args.join(" ")} failed:\n${stdout ?? ""}${stderr ?? ""}`, { cause: error });
  }
}

/**
 * Packs the repository as npm would publish it (`npm pack --ignore-scripts`, so dist/ must be
 * built: `npm test` builds it first) into `dir`, and installs the tarball into the project at
 * `project` (which needs a package.json). A file missing from the published package fails here.
 */
export async function installPackedPackage(dir: string, project: string): Promise<void> {
  await stat(join(ROOT, "dist", "index.mjs")).catch(() => {
    throw new Error("dist/ is missing: run `npm run build` first (npm test does)");
  });
  const { stdout } = await run("npm", ["pack", "--silent", "--ignore-scripts", "--pack-destination", dir], {
    cwd: ROOT,
  });
  const tarball = join(dir, stdout.trim().split("\n").pop()!);
  const install = ["install", "--no-audit", "--no-fund", "--prefer-offline", "--no-package-lock", tarball];
  await run("npm", install, { cwd: project });
}
