type Document = Record<string, any>;

/** An identifier from a path's last segment: `/v1/videos/extensions` → `createVideoExtensions`. */
function operationIdFor(route: string): string {
  const last =
    route
      .split("/")
      .filter((part) => part && !part.startsWith("{"))
      .pop() ?? "operation";
  const words = last.split(/[^A-Za-z0-9]+/).filter(Boolean);
  return `createVideo${words.map((word) => word[0]!.toUpperCase() + word.slice(1)).join("")}`;
}

/**
 * A ready-to-paste spec/overlays/NAME.json for a new page: per POST operation, a stable operationId
 * (guessed from the path: rename it as you like) and the default model, the page's name (each
 * vendor page is named after the model its examples send: check the page's examples).
 */
export function overlaySkeleton(name: string, document: Document): string {
  const actions = Object.keys(document.paths ?? {}).flatMap((route) => {
    const operation = `$.paths['${route}'].post`;
    return [
      {
        target: operation,
        description: "A stable operation name (the vendor gives none).",
        update: { operationId: operationIdFor(route) },
      },
      {
        target: `${operation}.requestBody.content['application/json'].schema.properties.model`,
        description: "The model name the page's own examples send; the client fills it in when the caller omits it.",
        update: { examples: [name] },
      },
    ];
  });
  const overlay = {
    overlay: "1.0.0",
    info: { title: `sora-video-client corrections to the ${name} page`, version: "1.0.0" },
    actions,
  };
  return `${JSON.stringify(overlay, null, 2)}\n`;
}
