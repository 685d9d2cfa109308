import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { PATHS } from "../paths";

const run = promisify(execFile);

/** One compiler error: where (relative to the checked tree) and the compiler's message. */
export interface CompileError {
  file: string;
  line: number;
  column: number;
  code: string;
  message: string;
}

/** The trees type-checked against NEW's generated types, relative to the source root. */
const CHECKED_TREES = ["src", join("examples", "downstream", "src")] as const;

const ERROR_LINE = /^(.+?)\((\d+),(\d+)\): error (TS\d+): (.*)$/;

/** Parses `tsc --pretty false` output; continuation lines belong to the error above them. */
function parseCompilerOutput(output: string): CompileError[] {
  const errors: CompileError[] = [];
  for (const line of output.split(/\r?\n/)) {
    const match = ERROR_LINE.exec(line);
    if (match)
      errors.push({
        file: match[1]!,
        line: Number(match[2]),
        column: Number(match[3]),
        code: match[4]!,
        message: match[5]!,
      });
    else if (line.trim() && errors.length) errors[errors.length - 1]!.message += ` ${line.trim()}`;
  }
  return errors;
}

async function compilerOptions(sourceRoot: string): Promise<Record<string, unknown>> {
  const text = await readFile(join(sourceRoot, "tsconfig.json"), "utf8").catch(() =>
    readFile(join(PATHS.root, "tsconfig.json"), "utf8"),
  );
  const { compilerOptions: options } = JSON.parse(text) as { compilerOptions: Record<string, unknown> };
  return { ...options, types: ["node"], noEmit: true, paths: { "sora-video-client": ["./src/index.ts"] } };
}

/**
 * Type-checks src/ and examples/downstream/src/ (from `sourceRoot`) against `generated` (file name
 * → content, as generateFiles returns) in a temporary folder: the trees and the new generated/ are
 * copied there (with package.json, which the CLI reads its version from), `sora-video-client` is mapped to the copied src/index.ts with tsconfig `paths`,
 * and this repository's tsc runs with the repository's compiler options. Returns the errors.
 */
export async function typeCheckAgainst(
  generated: ReadonlyMap<string, string>,
  sourceRoot: string,
): Promise<CompileError[]> {
  const dir = await mkdtemp(join(tmpdir(), "sora-spec-typecheck-"));
  try {
    const include: string[] = ["generated"];
    for (const tree of CHECKED_TREES) {
      if (!(await stat(join(sourceRoot, tree)).catch(() => undefined))) continue;
      await cp(join(sourceRoot, tree), join(dir, tree), { recursive: true });
      include.push(tree);
    }
    await cp(join(sourceRoot, "package.json"), join(dir, "package.json")).catch(() =>
      cp(join(PATHS.root, "package.json"), join(dir, "package.json")),
    );
    await mkdir(join(dir, "generated"));
    for (const [name, content] of generated) await writeFile(join(dir, "generated", name), content);
    await symlink(join(PATHS.root, "node_modules"), join(dir, "node_modules"), "junction");
    await writeFile(
      join(dir, "tsconfig.json"),
      JSON.stringify({ compilerOptions: await compilerOptions(sourceRoot), include }, null, 2),
    );
    const tsc = join(PATHS.root, "node_modules", "typescript", "bin", "tsc");
    try {
      await run(process.execPath, [tsc, "-p", join(dir, "tsconfig.json"), "--pretty", "false"], {
        cwd: dir,
        maxBuffer: 16 * 1024 * 1024,
      });
      return [];
    } catch (error) {
      const { stdout, stderr } = error as { stdout?: string; stderr?: string };
      const errors = parseCompilerOutput(stdout ?? "");
      if (errors.length) return errors;
      throw new Error(`tsc failed without reporting errors: ${stderr || stdout || (error as Error).message}`, {
        cause: error,
      });
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
