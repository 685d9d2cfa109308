import { applyOverlay } from "./overlay";
import { SpecInputError } from "./spec-input-error";
import { HTTP_METHODS } from "./page-operations";
import type { GenerationInputs, SpecPage } from "./pages";

type Json = Record<string, any>;

/**
 * Where a document's model came from, strongest first: its page's overlay (`examples`/`enum` of the
 * `model` property), the document's own `model` schema, the operation's summary (the gateway's
 * summaries are the model id: `openai/sora-2-pro-image-to-video`), or only the file's name.
 */
export type ModelSource = "overlay" | "document" | "summary" | "file name";

/** The model a document's operations are identified by, and the names a committed page may claim it under. */
export interface DocumentModel {
  /** The bare id the page's examples send (`sora-2-pro-text-to-video`). */
  model: string;
  /** Every name it goes by (the summary's `openai/…` form too), for matching a page's `model` enum. */
  names: string[];
  source: ModelSource;
}

/** The JSON `model` property schema of each operation that has a body. */
function modelSchemas(document: Json): Json[] {
  return Object.values((document.paths ?? {}) as Record<string, Json>).flatMap((item) =>
    HTTP_METHODS.flatMap((method) => {
      const schema = item?.[method]?.requestBody?.content?.["application/json"]?.schema?.properties?.model;
      return schema && typeof schema === "object" ? [schema as Json] : [];
    }),
  );
}

/** The model values a schema names: its default (first example, const, default), then its enum. */
function valuesOf(schema: Json): { first?: string; all: string[] } {
  const enumerated = Array.isArray(schema.enum)
    ? schema.enum.filter((value: unknown) => typeof value === "string")
    : [];
  const candidates = [schema.examples?.[0], schema.const, schema.default, ...enumerated];
  const all = [...new Set(candidates.filter((value): value is string => typeof value === "string"))];
  return { first: all[0], all };
}

/** The `model` schema updates a page's overlay makes (actions targeting `….properties.model`). */
function overlayModelUpdates(overlay: Json): Json[] {
  const actions = Array.isArray(overlay.actions) ? (overlay.actions as Json[]) : [];
  return actions
    .filter((action) => typeof action.target === "string" && /\.properties\.model$/.test(action.target))
    .map((action) => (action.update ?? {}) as Json);
}

/**
 * The models a committed page claims: its `model` enum and default, from its overlay's actions
 * and its own spec. Read from the actions rather than by applying the overlay, so that an action
 * added ahead of the page's next version (say, an operationId for a new GET) does not hide them.
 */
export function claimsOf(page: SpecPage): { claims: string[]; enumerated: boolean } {
  const schemas = [...overlayModelUpdates(page.overlay), ...modelSchemas(page.spec)];
  return {
    claims: [...new Set(schemas.flatMap((schema) => valuesOf(schema).all))],
    enumerated: schemas.some((schema) => Array.isArray(schema.enum)),
  };
}

/**
 * A summary that is a model id (`openai/sora-2-pro`, `sora-2-pro-text-to-video`, `veo-3`): no spaces,
 * hyphenated words, an optional `provider/` prefix; not prose, and not a placeholder such as `x`.
 */
const MODEL_ID = /^([\w.]+\/)?[A-Za-z0-9][\w.]*(-[\w.]+)+$/;

function fromSummary(document: Json): DocumentModel | undefined {
  const summaries = Object.values((document.paths ?? {}) as Record<string, Json>).flatMap((item) =>
    HTTP_METHODS.map((method) => item?.[method]?.summary).filter((value): value is string => typeof value === "string"),
  );
  const summary = summaries.find((value) => MODEL_ID.test(value.trim()))?.trim();
  if (summary === undefined) return undefined;
  const bare = summary.split("/").pop()!;
  return { model: bare, names: [...new Set([summary, bare])], source: "summary" };
}

function fromSchemas(document: Json, source: ModelSource): DocumentModel | undefined {
  const values = modelSchemas(document).map(valuesOf);
  const first = values.find((each) => each.first !== undefined)?.first;
  if (first === undefined) return undefined;
  return { model: first, names: [...new Set(values.flatMap((each) => each.all))], source };
}

/**
 * The model a document (a new version of a page, or a new page) is about: from `overlays` applied
 * to it (the shared overlay and the page's own, when the page has one), else its own `model`
 * schema, else its summary, else the file's name (pages are named after their model).
 */
export async function modelOf(document: Json, fileName: string, overlays?: Json[]): Promise<DocumentModel> {
  if (overlays) {
    try {
      let overlaid = document;
      for (const overlay of overlays) overlaid = await applyOverlay(overlaid, overlay, fileName);
      const found = fromSchemas(overlaid, "overlay");
      if (found) return found;
    } catch (error) {
      // An overlay that no longer applies cannot name the model; the document may still.
      if (!(error instanceof SpecInputError)) throw error;
    }
  }
  return (
    fromSchemas(document, "document") ??
    fromSummary(document) ?? { model: fileName, names: [fileName], source: "file name" }
  );
}

/** The committed page a document is a version of, by (path, model), or undefined when it is a new page. */
export function matchPage(inputs: GenerationInputs, document: Json, identity: DocumentModel): SpecPage | undefined {
  const routes = Object.keys((document.paths ?? {}) as object);
  const onPath = inputs.pages.filter((page) => routes.some((route) => route in ((page.spec.paths ?? {}) as object)));
  // A page whose paths are all new may have moved: any page claiming its model is that page.
  const candidates = onPath.length > 0 ? onPath : inputs.pages;
  const claims = candidates.map(claimsOf);
  const claimed = candidates.find((_page, index) =>
    identity.names.some((name) => claims[index]!.claims.includes(name)),
  );
  if (claimed) return claimed;
  // A path only one page documents, with no model enum: any model goes to its one operation.
  const [only] = onPath;
  if (identity.source === "file name" && onPath.length === 1 && !claims[0]!.enumerated) return only;
  return undefined;
}
