import { join } from "node:path";

const root = join(__dirname, "..", "..");

/** Where the spec tools read and write, relative to the repository root. */
export const PATHS = {
  root,
  vendorPage: join(root, "spec", "vendor", "sora-2-pro-image-to-video.md"),
  spec: join(root, "spec", "openapi.json"),
  overlay: join(root, "spec", "overlay.json"),
  generated: join(root, "generated"),
} as const;
