import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as ts from "typescript";
import { docFiles, fencedBlocks, ROOT } from "./helpers/docs";

/**
 * Every ```ts and ```typescript block of README.md, CONTRIBUTING.md and docs/*.md is type-checked
 * against the package's source with the TypeScript compiler API, each block a module of its own
 * (top-level await allowed), with "sora-video-client" and its "/mock", "/queue" and "/verify"
 * subpaths mapped to the Node entries. So the docs cannot drift from the API: an example naming a
 * wrong option or field fails here, with the file and line of the example.
 */
const COMPILER_OPTIONS = {
  target: "ES2022",
  module: "preserve",
  moduleResolution: "bundler",
  lib: ["ES2022", "DOM", "DOM.Iterable"],
  types: ["node"],
  typeRoots: [join(ROOT, "node_modules", "@types")],
  strict: true,
  noEmit: true,
  skipLibCheck: true,
  baseUrl: ROOT,
  paths: {
    "sora-video-client": ["src/node/index.ts"],
    "sora-video-client/mock": ["src/node/mock/index.ts"],
    "sora-video-client/queue": ["src/queue/index.ts"],
    "sora-video-client/verify": ["src/verify/index.ts"],
  },
};

interface Example {
  /** The doc and the line of the block's opening fence, e.g. "docs/client.md:23". */
  where: string;
  /** The block's first line in the doc (the line after the fence), 1-based. */
  firstLine: number | undefined;
  doc: string;
  code: string;
}

function examples(): Example[] {
  const found: Example[] = [];
  for (const doc of docFiles().filter((file) => file !== "CHANGELOG.md")) {
    for (const block of fencedBlocks(readFileSync(join(ROOT, doc), "utf8"))) {
      if (block.lang !== "ts" && block.lang !== "typescript") continue;
      found.push({
        where: `${doc}:${block.line ?? "?"}`,
        firstLine: block.line === undefined ? undefined : block.line + 1,
        doc,
        code: block.text,
      });
    }
  }
  return found;
}

/** Compiles the examples as in-memory files beside the real ones; returns one line per diagnostic, placed in its doc. */
function compile(blocks: readonly Example[]): string[] {
  const { options, errors } = ts.convertCompilerOptionsFromJson(COMPILER_OPTIONS, ROOT);
  if (errors.length > 0) throw new Error(ts.flattenDiagnosticMessageText(errors[0]!.messageText, "\n"));
  const virtual = new Map<string, Example>();
  blocks.forEach((block, index) => virtual.set(join(ROOT, ".docs-examples", `example-${index}.ts`), block));
  const host = ts.createCompilerHost(options, true);
  const { getSourceFile, fileExists, readFile } = host;
  const text = (name: string) => {
    const block = virtual.get(name);
    // `export {}` makes each block a module of its own, so top-level await and repeated names are fine.
    return block === undefined ? undefined : `${block.code}\nexport {};\n`;
  };
  host.getSourceFile = (name, language, ...rest) => {
    const code = text(name);
    return code === undefined
      ? getSourceFile.call(host, name, language, ...rest)
      : ts.createSourceFile(name, code, language);
  };
  host.fileExists = (name) => virtual.has(name) || fileExists.call(host, name);
  host.readFile = (name) => text(name) ?? readFile.call(host, name);
  const program = ts.createProgram([...virtual.keys()], options, host);
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n");
    const file = diagnostic.file;
    const block = file === undefined ? undefined : virtual.get(file.fileName);
    if (file === undefined || diagnostic.start === undefined) return `TS${diagnostic.code}: ${message}`;
    const { line, character } = file.getLineAndCharacterOfPosition(diagnostic.start);
    if (block === undefined) return `${file.fileName}:${line + 1}: TS${diagnostic.code}: ${message}`;
    const docLine = block.firstLine === undefined ? "?" : block.firstLine + line;
    return `${block.doc}:${docLine}:${character + 1} (the example at ${block.where}): TS${diagnostic.code}: ${message}`;
  });
}

test("the docs' TypeScript examples compile against the current API", () => {
  const blocks = examples();
  expect(blocks.length).toBeGreaterThanOrEqual(10);
  // Each guide that shows code shows TypeScript a reader can paste, README included.
  const docs = new Set(blocks.map((block) => block.doc));
  for (const doc of ["README.md", "docs/client.md", "docs/errors.md", "docs/downloads-and-mock.md"]) {
    expect(docs).toContain(doc);
  }
  expect(compile(blocks)).toEqual([]);
}, 120_000);

test("a wrong option in an example is reported at its line in its doc", () => {
  const wrong: Example = {
    where: "docs/example.md:10",
    firstLine: 11,
    doc: "docs/example.md",
    code: 'import { createSoraClient } from "sora-video-client";\ncreateSoraClient({ timeout: 5 });',
  };
  const diagnostics = compile([wrong]);
  expect(diagnostics).toHaveLength(1);
  expect(diagnostics[0]).toMatch(
    /^docs\/example\.md:12:\d+ \(the example at docs\/example\.md:10\): TS\d+: .*'timeout'/,
  );
}, 120_000);
