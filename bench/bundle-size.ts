/**
 * Browser bundle size for one call: each contender bundled by esbuild for the browser (minified),
 * then gzip -9. Prints bytes; `--json` prints the figures as JSON.
 */
import { build } from "esbuild";
import { gzipSync } from "node:zlib";
import { join } from "node:path";

const ROOT = join(__dirname, "..");

const ENTRIES: Record<string, string> = {
  "sora-video-client":
    'import { createSoraClient } from "sora-video-client"; export const call = (body) => createSoraClient({ apiKey: "k" }).generateVideo(body);',
  "openapi-fetch":
    'import createClient from "openapi-fetch"; export const call = (body) => createClient({ baseUrl: "https://x" }).POST("/v1/videos/generations", { body });',
  ky: 'import ky from "ky"; export const call = (body) => ky.post("https://x/v1/videos/generations", { json: body }).json();',
  openai:
    'import OpenAI from "openai"; export const call = (body) => new OpenAI({ apiKey: "k", dangerouslyAllowBrowser: true }).post("/v1/videos/generations", { body });',
};

/** One contender's browser bundle size. */
export interface BundleFigure {
  name: string;
  minifiedBytes: number;
  gzipBytes: number;
}

/** Bundles each contender and measures it. */
export async function measureBundles(): Promise<BundleFigure[]> {
  const figures: BundleFigure[] = [];
  for (const [name, contents] of Object.entries(ENTRIES)) {
    const result = await build({
      stdin: { contents, resolveDir: ROOT },
      bundle: true,
      platform: "browser",
      format: "esm",
      minify: true,
      write: false,
      logLevel: "silent",
    });
    const code = result.outputFiles[0]!.contents;
    figures.push({ name, minifiedBytes: code.length, gzipBytes: gzipSync(code, { level: 9 }).length });
  }
  return figures;
}

if (require.main === module) {
  void measureBundles().then((figures) => {
    if (process.argv.includes("--json")) return console.log(JSON.stringify(figures, null, 2));
    for (const figure of figures)
      console.log(
        `${figure.name.padEnd(20)} ${String(figure.minifiedBytes).padStart(8)} B min   ${String(figure.gzipBytes).padStart(7)} B min+gz`,
      );
  });
}
