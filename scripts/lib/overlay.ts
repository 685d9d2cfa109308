import { openapiOverlay } from "openapi-format";
import { SpecInputError } from "./spec-input-error";

interface OverlayDocument {
  overlay?: string;
  actions?: Array<{ target?: string; description?: string }>;
}

/**
 * Applies an OpenAPI Overlay 1.0 document (via openapi-format) to a copy of `document`.
 * Every action must match something: an action whose target no longer exists means the vendor
 * spec changed under the overlay, and is an error rather than a silent no-op.
 */
export async function applyOverlay(
  document: object,
  overlay: OverlayDocument,
  label: string,
): Promise<Record<string, unknown>> {
  const { data, resultData } = await openapiOverlay(
    structuredClone(document) as never,
    { overlaySet: overlay } as never,
  );
  const unused = (resultData as { unusedActions: OverlayDocument["actions"] }).unusedActions ?? [];
  if (unused.length > 0) {
    const names = unused.map((action) => `  ${action.target} (${action.description ?? "no description"})`).join("\n");
    throw new SpecInputError(`${unused.length} overlay action(s) matched nothing in the spec:\n${names}`, label);
  }
  return data as Record<string, unknown>;
}
