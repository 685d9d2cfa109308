import { HTTP_METHODS } from "./page-operations";

type Document = Record<string, any>;

const pascal = (text: string) =>
  text
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join("");

/** The verb a guessed operationId starts with: `create` for a POST (a paid render), else the method. */
const verbOf = (method: string) => (method === "post" ? "create" : method);

/**
 * A guessed operationId: on a route other pages share, from the model (`sora-2-text-to-video` →
 * `createSora2TextToVideo`: the path would name every model's operation alike); otherwise from
 * the path's last segment (`/v1/videos/extensions` → `createVideoExtensions`).
 */
function operationIdFor(method: string, route: string, model: string, shared: boolean): string {
  if (shared) return `${verbOf(method)}${pascal(model)}`;
  const last =
    route
      .split("/")
      .filter((part) => part && !part.startsWith("{"))
      .pop() ?? "operation";
  return `${verbOf(method)}Video${pascal(last)}`;
}

/** What the skeleton is told about the new page. */
export interface SkeletonFacts {
  /** The model the page's examples send (see modelOf): the default model, and its discriminant on a shared route. */
  model: string;
  /** Routes ("METHOD /path") other committed pages document: the page's operation there needs a model enum. */
  sharedRoutes: ReadonlySet<string>;
}

/**
 * A ready-to-paste spec/overlays/NAME.json for a new page: per operation, a stable operationId
 * (guessed: rename it as you like) and, for an operation with a `model` in its body, the default
 * model (its examples) and, on a route other pages share, the models that select it (its enum).
 */
export function overlaySkeleton(name: string, document: Document, facts: SkeletonFacts): string {
  const actions = Object.entries((document.paths ?? {}) as Record<string, Document>).flatMap(([route, item]) =>
    HTTP_METHODS.filter((method) => method in (item ?? {})).flatMap((method) => {
      const target = `$.paths['${route}'].${method}`;
      const shared = facts.sharedRoutes.has(`${method.toUpperCase()} ${route}`);
      const operationId = {
        target,
        description: "A stable operation name (the vendor gives none).",
        update: { operationId: operationIdFor(method, route, facts.model, shared) },
      };
      if (!item[method]?.requestBody?.content?.["application/json"]?.schema?.properties?.model) return [operationId];
      const model = {
        target: `${target}.requestBody.content['application/json'].schema.properties.model`,
        description: shared
          ? "The model the page's examples send (the default), and the operation's discriminant: other pages share this path."
          : "The model name the page's own examples send; the client fills it in when the caller omits it.",
        update: shared ? { examples: [facts.model], enum: [facts.model] } : { examples: [facts.model] },
      };
      return [operationId, model];
    }),
  );
  const overlay = {
    overlay: "1.0.0",
    info: { title: `sora-video-client corrections to the ${name} page`, version: "1.0.0" },
    actions,
  };
  return `${JSON.stringify(overlay, null, 2)}\n`;
}
