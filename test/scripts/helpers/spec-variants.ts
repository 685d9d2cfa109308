import { readFileSync } from "node:fs";
import { join } from "node:path";

/** The repository root. */
export const ROOT = join(__dirname, "..", "..", "..");

const readJson = (...parts: string[]) => JSON.parse(readFileSync(join(ROOT, "spec", ...parts), "utf8")) as Spec;

/** The image-to-video page's spec, the shared overlay and the page's own, as committed. Tests derive every variant from these. */
export const VENDOR_SPEC = readJson("openapi", "sora-2-pro-image-to-video.json");
export const OVERLAY = readJson("overlay.json");
export const PAGE_OVERLAY = readJson("overlays", "sora-2-pro-image-to-video.json");

/** A loosely typed OpenAPI document, for mutations. */
export type Spec = Record<string, any>;
/** A change to a spec, made in place. */
export type Mutation = (spec: Spec) => void;

/** The one operation, its request body schema and its 200 response body schema. */
export const operation = (spec: Spec) => spec.paths["/v1/videos/generations"].post;
export const request = (spec: Spec) => operation(spec).requestBody.content["application/json"].schema;
export const response = (spec: Spec) => operation(spec).responses["200"].content["application/json"].schema;
/** The schema of one item of the response's `data`. */
export const video = (spec: Spec) => response(spec).properties.data.items;

/** A copy of the vendor spec with the mutations applied in order. */
export function variant(...mutations: Mutation[]): Spec {
  const spec = structuredClone(VENDOR_SPEC);
  for (const mutate of mutations) mutate(spec);
  return spec;
}
