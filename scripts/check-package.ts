/**
 * `npm run check:package`: proves the built package keeps its ESM + CommonJS promise. Imports and
 * requires every entry of dist/ (and starts the mock from sora-video-client/mock) in a fresh Node
 * process, checks that no entry loads the optional queue engine (bullmq, ioredis) before it is
 * used, bundles the browser entry with esbuild (it must need no Node built-in; the Node-only
 * subpaths must not resolve), then runs publint and @arethetypeswrong/cli. Exit 1 on failure.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { build } from "esbuild";
import { PATHS } from "./lib/paths";

const bin = (name: string) => `${PATHS.root}/node_modules/.bin/${name}`;
const failures: string[] = [];

function step(label: string, run: () => string | void): void {
  try {
    const detail = run();
    process.stderr.write(`ok   ${label}${detail ? ` (${detail})` : ""}\n`);
  } catch (error) {
    const output = (error as { stdout?: Buffer; stderr?: Buffer }).stdout?.toString() ?? "";
    failures.push(label);
    process.stderr.write(
      `FAIL ${label}\n${output}${(error as { stderr?: Buffer }).stderr?.toString() ?? (error as Error).message}\n`,
    );
  }
}

function node(code: string, type: "module" | "commonjs"): string {
  return execFileSync(process.execPath, [`--input-type=${type}`, "-e", code], {
    cwd: PATHS.root,
    encoding: "utf8",
  }).trim();
}

const probe =
  "typeof m.createSoraClient === 'function' && typeof m.SoraError === 'function' && m.DEFAULT_MODEL === 'sora-2-pro-image-to-video'";

async function main(): Promise<void> {
  for (const entry of ["index", "node"]) {
    step(`import dist/${entry}.mjs`, () =>
      node(
        `import * as m from "./dist/${entry}.mjs"; if (!(${probe})) throw new Error("exports missing"); console.log(Object.keys(m).length + " exports")`,
        "module",
      ),
    );
    step(`require dist/${entry}.cjs`, () =>
      node(
        `const m = require("./dist/${entry}.cjs"); if (!(${probe})) throw new Error("exports missing"); console.log(Object.keys(m).length + " exports")`,
        "commonjs",
      ),
    );
  }
  const mockProbe = "typeof m.startMockServer === 'function' && typeof m.inspectMp4File === 'function'";
  step("import sora-video-client/mock", () =>
    node(
      `import * as m from "sora-video-client/mock"; if (!(${mockProbe})) throw new Error("exports missing"); const s = await m.startMockServer(); await s.close(); console.log("started and closed on " + s.url)`,
      "module",
    ),
  );
  step("require sora-video-client/mock", () =>
    node(
      `const m = require("sora-video-client/mock"); if (!(${mockProbe})) throw new Error("exports missing"); m.startMockServer().then((s) => s.close().then(() => console.log("started and closed on " + s.url)))`,
      "commonjs",
    ),
  );
  const queueProbe =
    "typeof m.openSoraQueue === 'function' && m.DEFAULT_MAX_IN_FLIGHT === 30 && typeof m.QueueEngineMissingError === 'function'";
  step("import sora-video-client/queue", () =>
    node(
      `import * as m from "sora-video-client/queue"; if (!(${queueProbe})) throw new Error("exports missing"); console.log(Object.keys(m).length + " exports")`,
      "module",
    ),
  );
  step("require sora-video-client/queue", () =>
    node(
      `const m = require("sora-video-client/queue"); if (!(${queueProbe})) throw new Error("exports missing"); console.log(Object.keys(m).length + " exports")`,
      "commonjs",
    ),
  );
  const verifyProbe =
    "typeof m.verifyProvider === 'function' && typeof m.replayRecordings === 'function' && " +
    "m.contractOperations().length >= 2";
  for (const [type, load] of [
    ["module", 'import * as m from "sora-video-client/verify";'],
    ["commonjs", 'const m = require("sora-video-client/verify");'],
  ] as const) {
    const verb = type === "module" ? "import" : "require";
    step(`${verb} sora-video-client/verify (reads the packaged specs)`, () =>
      node(
        `${load} if (!(${verifyProbe})) throw new Error("exports missing"); console.log(m.contractOperations().length + " operations from " + m.packageSpecDir())`,
        type,
      ),
    );
  }
  step("no entry loads bullmq or ioredis before the queue is used", () => {
    const entries = [
      "sora-video-client",
      "sora-video-client/mock",
      "sora-video-client/queue",
      "sora-video-client/verify",
    ];
    const loaded = `Object.keys(require.cache).filter((path) => /node_modules[\\/](bullmq|ioredis)[\\/]/.test(path))`;
    return node(
      `${entries.map((entry) => `require(${JSON.stringify(entry)});`).join(" ")} const engine = ${loaded}; if (engine.length) throw new Error("loaded: " + engine[0]); console.log("${entries.length} entries required")`,
      "commonjs",
    );
  });
  step("bin sora-video --version", () => {
    const pkg = JSON.parse(readFileSync(`${PATHS.root}/package.json`, "utf8")) as {
      version: string;
      bin?: Record<string, string>;
    };
    const bin = pkg.bin?.["sora-video"];
    if (bin === undefined) throw new Error('package.json has no bin "sora-video"');
    const printed = execFileSync(process.execPath, [`${PATHS.root}/${bin}`, "--version"], {
      cwd: PATHS.root,
      encoding: "utf8",
    }).trim();
    if (printed !== pkg.version)
      throw new Error(`${bin} printed ${JSON.stringify(printed)}, package.json says ${pkg.version}`);
    return `${bin}: ${printed}`;
  });
  step("node condition picks the Node entry", () =>
    node(
      `const m = require("sora-video-client"); if (typeof m.longCallFetch !== "function") throw new Error("node entry not selected"); console.log("longCallFetch present")`,
      "commonjs",
    ),
  );
  try {
    const result = await build({
      stdin: {
        contents: 'import { createSoraClient } from "sora-video-client"; export const c = createSoraClient;',
        resolveDir: PATHS.root,
      },
      bundle: true,
      platform: "browser",
      format: "esm",
      minify: true,
      write: false,
      logLevel: "silent",
    });
    const text = result.outputFiles[0]!.text;
    if (/\bnode:|require\("(fs|http|undici)"\)/.test(text))
      throw new Error("the browser bundle pulls in a Node built-in or undici");
    process.stderr.write(`ok   browser bundle without Node built-ins (${text.length} B minified)\n`);
  } catch (error) {
    failures.push("browser bundle");
    process.stderr.write(`FAIL browser bundle\n${(error as Error).message}\n`);
  }
  for (const subpath of ["mock", "queue", "verify"]) await checkNodeOnly(subpath);
  step("publint", () =>
    execFileSync(bin("publint"), ["--strict"], { cwd: PATHS.root, encoding: "utf8" }).trim().split("\n").pop(),
  );
  step("@arethetypeswrong/cli", () =>
    execFileSync(bin("attw"), ["--pack", ".", "--format", "ascii"], {
      cwd: PATHS.root,
      encoding: "utf8",
      env: { ...process.env, npm_config_ignore_scripts: "true" },
    }).includes("No problems found")
      ? "no problems found"
      : "see output",
  );
  if (failures.length) {
    process.stderr.write(`check:package: ${failures.length} check(s) failed: ${failures.join(", ")}\n`);
    process.exit(1);
  }
}

/** A browser bundle must not resolve a Node-only subpath (package.json maps it to null for browsers). */
async function checkNodeOnly(subpath: string): Promise<void> {
  const label = `${subpath} is Node-only`;
  try {
    await build({
      stdin: { contents: `import "sora-video-client/${subpath}";`, resolveDir: PATHS.root },
      bundle: true,
      platform: "browser",
      write: false,
      logLevel: "silent",
    });
    failures.push(label);
    process.stderr.write(`FAIL a browser bundle resolved sora-video-client/${subpath} (it is Node-only)\n`);
  } catch (error) {
    const notes = ((error as { errors?: Array<{ notes: Array<{ text: string }> }> }).errors ?? []).flatMap((message) =>
      message.notes.map((note) => note.text),
    );
    if (notes.some((text) => text.includes("explicitly disabled"))) {
      process.stderr.write(`ok   a browser bundle cannot resolve sora-video-client/${subpath} (Node-only)\n`);
      return;
    }
    failures.push(label);
    process.stderr.write(
      `FAIL bundling sora-video-client/${subpath} for a browser failed for another reason: ${(error as Error).message}\n`,
    );
  }
}

void main();
