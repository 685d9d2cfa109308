import { join } from "node:path";

const root = join(__dirname, "..", "..");

/** Where one vendor page's files live: the page, its extracted contract and its own overlay. */
export interface PageFiles {
  /** The page's name: its file name in spec/vendor/ without `.md`. */
  name: string;
  vendorPage: string;
  spec: string;
  overlay: string;
}

/** Where the spec tools read and write under a repository root (a copy of the repo in tests). */
export function pathsUnder(dir: string) {
  const specDir = join(dir, "spec");
  return {
    root: dir,
    specDir,
    vendorDir: join(specDir, "vendor"),
    /** The overlay applied to every page (the gateway's conventions). */
    overlay: join(specDir, "overlay.json"),
    generated: join(dir, "generated"),
    /** The files of the page called `name`. */
    page(name: string): PageFiles {
      return {
        name,
        vendorPage: join(specDir, "vendor", `${name}.md`),
        spec: join(specDir, "openapi", `${name}.json`),
        overlay: join(specDir, "overlays", `${name}.json`),
      };
    },
  } as const;
}

/** The layout of a repository's spec tree. */
export type SpecPaths = ReturnType<typeof pathsUnder>;

/** Where the spec tools read and write in this repository; `root` also holds node_modules and tsc. */
export const PATHS = pathsUnder(root);
