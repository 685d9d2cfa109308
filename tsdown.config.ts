import { defineConfig } from "tsdown";

export default defineConfig([
  {
    entry: {
      index: "src/index.ts",
      node: "src/node/index.ts",
      mock: "src/node/mock/index.ts",
      queue: "src/queue/index.ts",
    },
    format: ["esm", "cjs"],
    platform: "neutral",
    target: "es2022",
    // Node built-ins stay imports (only the Node-only entries use them; check:package proves the browser entry has none).
    deps: { neverBundle: [/^node:/] },
    dts: true,
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
    fixedExtension: true,
  },
]);
