import { cp, mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";
import type * as TypeScript from "typescript";
import { PATHS } from "../paths";

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

/**
 * Parsed declaration files (TypeScript's lib, node_modules), reused by every check in this process:
 * they are the same files each time, and parsing and binding them is most of a check's cost.
 */
const LIBRARY_FILES = new Map<string, TypeScript.SourceFile>();

function cachingHost(ts: typeof TypeScript, options: TypeScript.CompilerOptions): TypeScript.CompilerHost {
  const host = ts.createCompilerHost(options);
  const parse = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreateNewSourceFile) => {
    // TypeScript names files with forward slashes on every platform.
    if (!fileName.includes("/node_modules/"))
      return parse(fileName, languageVersion, onError, shouldCreateNewSourceFile);
    const format = typeof languageVersion === "object" ? languageVersion.impliedNodeFormat : undefined;
    const key = `${fileName}\0${JSON.stringify(format)}`;
    const text = host.readFile(fileName);
    if (text === undefined) return parse(fileName, languageVersion, onError, shouldCreateNewSourceFile);
    const cached = LIBRARY_FILES.get(key);
    if (cached?.text === text) return cached;
    const file = ts.createSourceFile(fileName, text, languageVersion);
    LIBRARY_FILES.set(key, file);
    return file;
  };
  return host;
}

/** The compiler's errors, each placed relative to `dir`; an error with no file (a bad option) throws. */
function compileErrors(
  ts: typeof TypeScript,
  diagnostics: readonly TypeScript.Diagnostic[],
  dir: string,
): CompileError[] {
  const errors: CompileError[] = [];
  const unplaced: string[] = [];
  for (const diagnostic of diagnostics) {
    if (diagnostic.category !== ts.DiagnosticCategory.Error) continue;
    const message = ts
      .flattenDiagnosticMessageText(diagnostic.messageText, "\n")
      .split("\n")
      .map((line) => line.trim())
      .join(" ");
    if (!diagnostic.file || diagnostic.start === undefined) {
      unplaced.push(`TS${diagnostic.code}: ${message}`);
      continue;
    }
    const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
    const file = relative(dir, diagnostic.file.fileName).split(sep).join("/");
    errors.push({ file, line: line + 1, column: character + 1, code: `TS${diagnostic.code}`, message });
  }
  if (unplaced.length && !errors.length) throw new Error(`the type check could not run: ${unplaced.join("; ")}`);
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
 * copied there (with package.json, which the CLI reads its version from), `sora-video-client` is mapped to the
 * copied src/index.ts with tsconfig `paths`, and this repository's TypeScript compiles them in this process with
 * the repository's compiler options (declaration files parsed once per process). Returns the errors.
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
    const ts = (await import("typescript")).default;
    const config = ts.getParsedCommandLineOfConfigFile(join(dir, "tsconfig.json"), undefined, {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(
          `the type check could not read its tsconfig: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, " ")}`,
        );
      },
    })!;
    const program = ts.createProgram({
      rootNames: config.fileNames,
      options: config.options,
      host: cachingHost(ts, config.options),
    });
    return compileErrors(ts, [...config.errors, ...ts.getPreEmitDiagnostics(program)], dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
