import { readFileSync } from "node:fs";
import { join } from "node:path";

/** The repository root. */
export const ROOT = join(__dirname, "..", "..", "..");

const readJson = (...parts: string[]) => JSON.parse(readFileSync(join(ROOT, "spec", ...parts), "utf8")) as Spec;

/** The committed pages' specs and own overlays, and the shared overlay. Tests derive every variant from these. */
export const VENDOR_SPEC = readJson("openapi", "sora-2-pro-image-to-video.json");
export const REMIX_SPEC = readJson("openapi", "sora-2-video-to-video.json");
export const OVERLAY = readJson("overlay.json");
export const PAGE_OVERLAY = readJson("overlays", "sora-2-pro-image-to-video.json");
export const REMIX_OVERLAY = readJson("overlays", "sora-2-video-to-video.json");
export const TEXT_SPEC = readJson("openapi", "sora-2-pro-text-to-video.json");
export const TEXT_OVERLAY = readJson("overlays", "sora-2-pro-text-to-video.json");

/** A loosely typed OpenAPI document, for mutations. */
export type Spec = Record<string, any>;
/** A change to a spec, made in place. */
export type Mutation = (spec: Spec) => void;

/** The only operation of a page's spec, whatever its path. */
const only = (spec: Spec) => (Object.values(spec.paths)[0] as Spec).post;

/** The page's operation, its request body schema and its 200 response body schema. */
export const operation = (spec: Spec) => only(spec);
export const request = (spec: Spec) => operation(spec).requestBody.content["application/json"].schema;
export const response = (spec: Spec) => operation(spec).responses["200"].content["application/json"].schema;
/** The schema of one item of the response's `data`. */
export const video = (spec: Spec) => response(spec).properties.data.items;

/** A copy of the image-to-video spec with the mutations applied in order. */
export function variant(...mutations: Mutation[]): Spec {
  return variantOf(VENDOR_SPEC, ...mutations);
}

/** A copy of `spec` with the mutations applied in order. */
export function variantOf(spec: Spec, ...mutations: Mutation[]): Spec {
  const copy = structuredClone(spec);
  for (const mutate of mutations) mutate(copy);
  return copy;
}

/** Moves the page's operation to another path (a renamed path, or a third page made from the remix page). */
export const movedTo =
  (path: string): Mutation =>
  (spec) => {
    const [item] = Object.values(spec.paths);
    spec.paths = { [path]: item };
  };

/**
 * Makes the page another model's: its summary names the model (as the gateway's summaries do), so
 * spec:diff and spec:update tell it from the page it was copied from.
 */
export const namedModel =
  (model: string): Mutation =>
  (spec) => {
    for (const item of Object.values(spec.paths) as Spec[])
      for (const op of Object.values(item) as Spec[]) op.summary = model;
  };
