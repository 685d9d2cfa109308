import { defineConfig } from "tsdown";

export default defineConfig([
  {
    entry: {
      index: "src/index.ts",
      node: "src/node/index.ts",
      mock: "src/node/mock/index.ts",
      queue: "src/queue/index.ts",
      verify: "src/verify/index.ts",
    },
    format: ["esm", "cjs"],
    // "node" only so that `shims` applies: every other output is byte-identical to a "neutral" build
    // (the browser entry uses no Node API; check:package and size-limit prove it on every build).
    platform: "node",
    target: "es2022",
    // Node built-ins stay imports (only the Node-only entries use them; check:package proves the browser entry has none).
    deps: { neverBundle: [/^node:/] },
    dts: true,
    // verify finds the package's spec/openapi from its own location (__dirname, shimmed in ESM).
    shims: true,
    clean: true,
    fixedExtension: true,
  },
  {
    // The `sora-video` bin: one self-contained ESM file (the shebang comes from src/cli/main.ts);
    // dependencies (commander, undici) stay imports.
    entry: { cli: "src/cli/main.ts" },
    format: ["esm"],
    platform: "node",
    target: "node20",
    dts: false,
    shims: true,
    fixedExtension: true,
  },
]);
