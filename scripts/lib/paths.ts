import { join } from "node:path";

const root = join(__dirname, "..", "..");

/** Where the spec tools read and write under a repository root (a copy of the repo in tests). */
export function pathsUnder(dir: string) {
  return {
    root: dir,
    vendorPage: join(dir, "spec", "vendor", "sora-2-pro-image-to-video.md"),
    spec: join(dir, "spec", "openapi.json"),
    overlay: join(dir, "spec", "overlay.json"),
    generated: join(dir, "generated"),
  } as const;
}

/** Where the spec tools read and write in this repository; `root` also holds node_modules and tsc. */
export const PATHS = pathsUnder(root);
