import { wireDiff } from "../../scripts/lib/diff/wire-diff";
import { diffSpecs } from "../../scripts/lib/diff/diff-specs";
import { renderJson, renderMarkdown, renderText } from "../../scripts/lib/diff/report";
import { CLIENT_RULES } from "../../scripts/lib/diff/client-rules";
import type { DiffReport, Verdict } from "../../scripts/lib/diff/types";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  findPage,
  pageAgainstOld,
  type GenerationInputs,
  type SpecPage,
  type TargetPage,
} from "../../scripts/lib/pages";
import { pathsUnder } from "../../scripts/lib/paths";
import {
  OVERLAY,
  PAGE_OVERLAY,
  REMIX_OVERLAY,
  REMIX_SPEC,
  TEXT_OVERLAY,
  TEXT_SPEC,
  VENDOR_SPEC,
  movedTo,
  namedModel,
  operation,
  request,
  response,
  variant,
  variantOf,
  video,
  type Mutation,
  type Spec,
} from "./helpers/spec-variants";

/**
 * A change: OLD is the page's spec (with `from` applied, when the row needs a starting point the
 * vendor spec lacks), NEW the page's spec with `to` applied; on the image-to-video page unless
 * `page` says the remix or the text-to-video page, or a new page of its own (the remix page moved to
 * a new path as another model's, against the image-to-video page as OLD). With `files`, the pages
 * are found as spec:diff finds them, from the documents and these file names (OLD is `old` when
 * given: another page's spec).
 */
type Change =
  | Mutation
  | {
      from?: Mutation;
      to: Mutation;
      overlay?: Mutation;
      page?: "remix" | "text" | "new";
      files?: { old: string; new: string };
      old?: Spec;
    };

const EDITS = "POST /v1/videos/edits";
const GENERATIONS = "POST /v1/videos/generations";
const REMIX: Pick<Exclude<Change, Mutation>, "page"> = { page: "remix" };
const TEXT: Pick<Exclude<Change, Mutation>, "page"> = { page: "text" };
const steps =
  (...mutations: Mutation[]): Mutation =>
  (s) => {
    for (const mutate of mutations) mutate(s);
  };
/** Sora 2 text-to-video: the text-to-video page as another model's (its summary, 720p only). */
const SORA_2_TEXT: Mutation = steps(namedModel("sora-2-text-to-video"), (s) => {
  request(s).properties.resolution.enum = ["720p"];
  request(s).properties.resolution.default = "720p";
});
/** A page for a new path: the remix page moved, as another model's. */
const EXTEND: Mutation = steps(movedTo("/v1/videos/extensions"), namedModel("openai/sora-2-extend"));
const writeOnly =
  (pick: (s: Spec) => Spec): Mutation =>
  (s) =>
    void (pick(s).writeOnly = true);
const success =
  (status: string, schema: object | undefined): Mutation =>
  (s) => {
    const content = schema ? { content: { "application/json": { schema } } } : {};
    operation(s).responses[status] = { description: "Accepted", ...content };
  };
type Where = "document" | "operation";
const scheme =
  (name: string, definition: object, requirement: object[], where: Where = "document"): Mutation =>
  (s) => {
    s.components = { securitySchemes: { [name]: definition } };
    if (where === "document") s.security = requirement;
    else operation(s).security = requirement;
  };
const AUTHORIZATION_KEY = { type: "apiKey", in: "header", name: "Authorization" };
const BEARER = { type: "http", scheme: "bearer" };

const asComponent =
  (name: string): Mutation =>
  (spec) => {
    spec.components = { schemas: { [name]: response(spec) } };
    operation(spec).responses["200"].content["application/json"].schema = { $ref: `#/components/schemas/${name}` };
  };
const seed =
  (extra: object): Mutation =>
  (spec) =>
    void (request(spec).properties.seed = { type: "integer", ...extra });
const header =
  (required: boolean): Mutation =>
  (spec) =>
    void operation(spec).parameters.push({ name: "X-Org", in: "header", required, schema: { type: "string" } });
const withoutPinnedOperationId: Mutation = (overlay) =>
  void delete overlay.actions.find((action: Spec) => action.update?.operationId).update.operationId;

/**
 * The golden table: one vendor-spec mutation per row, with the verdict this client must give it
 * and a substring of its report line. An engine upgrade (or a rule edit) that flips a verdict
 * fails its row.
 */
const ROWS: Array<[name: string, change: Change, verdict: Verdict, says: string]> = [
  // Breaking: narrowing what a request may be.
  [
    "path renamed",
    (s) => {
      s.paths["/v2/videos/generations"] = s.paths["/v1/videos/generations"];
      delete s.paths["/v1/videos/generations"];
    },
    "breaking",
    "POST /v1/videos/generations: operation removed: this client calls it",
  ],
  [
    "method changed (POST → PUT)",
    (s) => {
      s.paths["/v1/videos/generations"].put = operation(s);
      delete s.paths["/v1/videos/generations"].post;
    },
    "breaking",
    "operation removed: this client calls it",
  ],
  [
    "new required request field",
    (s) => {
      seed({})(s);
      request(s).required.push("seed");
    },
    "breaking",
    "request body `seed`: new required field",
  ],
  [
    "existing request field becomes required",
    (s) => void request(s).required.push("duration"),
    "breaking",
    "request body `duration`: becomes required",
  ],
  ["new required header", header(true), "breaking", "header parameter `X-Org`: new required parameter"],
  [
    "header becomes required",
    { from: header(false), to: header(true) },
    "breaking",
    "header parameter `X-Org`: becomes required",
  ],
  [
    "request enum value removed",
    (s) => void (request(s).properties.duration.enum = ["4", "8"]),
    "breaking",
    'request body `duration`: enum value "12" removed',
  ],
  [
    "request field type changed",
    (s) => void (request(s).properties.prompt.type = "integer"),
    "breaking",
    'request body `prompt`: type "string" → "integer"',
  ],
  [
    "request field removed",
    (s) => void delete request(s).properties.output_format,
    "breaking",
    "request body `output_format`: field removed",
  ],
  [
    "request maxLength added",
    (s) => void (request(s).properties.prompt.maxLength = 4000),
    "breaking",
    "`prompt`: maxLength 4000 added (tighter)",
  ],
  [
    "request maxLength lowered",
    {
      from: (s) => void (request(s).properties.prompt.maxLength = 4000),
      to: (s) => void (request(s).properties.prompt.maxLength = 1000),
    },
    "breaking",
    "maxLength 4000 → 1000 (tighter)",
  ],
  [
    "request pattern added",
    (s) => void (request(s).properties.image_url.pattern = "^https://"),
    "breaking",
    '`image_url`: pattern "^https://" added',
  ],
  [
    "request minimum raised",
    { from: seed({ minimum: 0 }), to: seed({ minimum: 1 }) },
    "breaking",
    "`seed`: minimum 0 → 1 (tighter)",
  ],
  [
    "request closed to unknown fields",
    (s) => void (request(s).additionalProperties = false),
    "breaking",
    "closed to unknown fields (additionalProperties: false)",
  ],
  [
    "request default changed",
    (s) => void (request(s).properties.duration.default = "8"),
    "breaking",
    'default "4" is now "8": callers that omit it get a different result',
  ],
  [
    "request media type removed",
    (s) => {
      const body = operation(s).requestBody;
      body.content["multipart/form-data"] = body.content["application/json"];
      delete body.content["application/json"];
    },
    "breaking",
    "media-type removed: this client sends application/json",
  ],
  // Breaking: widening or removing what a response may hold.
  [
    "read field data[].url removed (it was optional)",
    (s) => void delete video(s).properties.url,
    "breaking",
    "response 200 `data[].url`: field removed from the response: this client reads it",
  ],
  [
    "read field data[].video_id removed",
    (s) => void delete video(s).properties.video_id,
    "breaking",
    "`data[].video_id`: field removed from the response: this client reads it",
  ],
  [
    "read field data removed",
    (s) => {
      delete response(s).properties.data;
      response(s).required = ["created"];
    },
    "breaking",
    "response 200 `data`: field removed from the response: this client reads it",
  ],
  [
    "read field created made optional",
    (s) => void (response(s).required = ["data"]),
    "breaking",
    "response 200 `created`: may now be absent from the response: this client reads it",
  ],
  [
    "read field data made optional",
    (s) => void (response(s).required = ["created"]),
    "breaking",
    "response 200 `data`: may now be absent from the response: this client reads it",
  ],
  [
    "unread response field removed",
    (s) => void delete video(s).properties.revised_prompt,
    "breaking",
    "`data[].revised_prompt`: field removed from the response: code that reads it stops compiling",
  ],
  [
    "response field type changed",
    (s) => void (response(s).properties.created.type = "string"),
    "breaking",
    'response 200 `created`: type "integer" → "string": the response may now hold string',
  ],
  [
    "response field becomes nullable",
    (s) => void (video(s).properties.url.type = ["string", "null"]),
    "breaking",
    "the response may now hold null",
  ],
  [
    "response enum value added",
    {
      from: (s) => void (video(s).properties.status = { type: "string", enum: ["succeeded"] }),
      to: (s) => void (video(s).properties.status = { type: "string", enum: ["succeeded", "failed"] }),
    },
    "breaking",
    'enum value "failed" added: the response may now hold values old clients reject',
  ],
  [
    "response maxLength removed",
    { from: (s) => void (video(s).properties.url.maxLength = 2048), to: () => {} },
    "breaking",
    "maxLength 2048 removed (looser): old clients validating responses may reject them",
  ],
  [
    "success response replaced (200 → 201)",
    (s) => {
      const responses = operation(s).responses;
      responses["201"] = responses["200"];
      delete responses["200"];
    },
    "breaking",
    "success response 200 removed",
  ],
  [
    "new 2xx whose body lacks data (202 with a job id)",
    success("202", { type: "object", properties: { id: { type: "string" } } }),
    "breaking",
    "response 202: success response 202 added without `created` and `data`: this client takes any 2xx as the result",
  ],
  [
    "new 2xx with no body (204)",
    success("204", undefined),
    "breaking",
    "success response 204 added without `created` and `data`",
  ],
  [
    "read field data[].url becomes writeOnly",
    writeOnly((s) => video(s).properties.url),
    "breaking",
    "response 200 `data[].url`: writeOnly set: the server may leave it out of responses: this client reads it",
  ],
  [
    "read field data[].video_id becomes writeOnly",
    writeOnly((s) => video(s).properties.video_id),
    "breaking",
    "`data[].video_id`: writeOnly set: the server may leave it out of responses: this client reads it",
  ],
  [
    "read field data becomes writeOnly",
    writeOnly((s) => response(s).properties.data),
    "breaking",
    "response 200 `data`: writeOnly set: the server may leave it out of responses: this client reads it",
  ],
  [
    "read field created becomes writeOnly",
    writeOnly((s) => response(s).properties.created),
    "breaking",
    "response 200 `created`: writeOnly set",
  ],
  [
    "unread response field becomes writeOnly",
    writeOnly((s) => video(s).properties.revised_prompt),
    "breaking",
    "`data[].revised_prompt`: writeOnly set: the server may leave it out of responses: code that reads it gets undefined",
  ],
  [
    "request field becomes readOnly",
    (s) => void (request(s).properties.duration.readOnly = true),
    "breaking",
    "request body `duration`: readOnly set: the server may reject or ignore it in requests",
  ],
  // Breaking: what this client takes from the spec beyond shapes.
  [
    "servers[0] changed",
    (s) => void (s.servers[0].url = "https://video.example.com"),
    "breaking",
    'servers: default base URL "https://video.onerouter.pro" → "https://video.example.com"',
  ],
  [
    "operationId renamed (overlay not pinning it)",
    {
      from: (s) => void (operation(s).operationId = "createVideo"),
      to: (s) => void (operation(s).operationId = "makeVideo"),
      overlay: withoutPinnedOperationId,
    },
    "breaking",
    'generated name operations["createVideo"] → operations["makeVideo"]',
  ],
  [
    "component schema renamed",
    { from: asComponent("VideoResponse"), to: asComponent("GenerationResponse") },
    "breaking",
    'generated type components["schemas"]["VideoResponse"] removed or renamed',
  ],
  [
    "security requirement added",
    scheme("bearerAuth", BEARER, [{ bearerAuth: [] }]),
    "breaking",
    'security requirement {"bearerAuth":[]} added: this client sends only the raw key in Authorization',
  ],
  [
    "security: an apiKey in another header",
    scheme("key", { ...AUTHORIZATION_KEY, name: "X-API-Key" }, [{ key: [] }]),
    "breaking",
    'security requirement {"key":[]} added: this client sends only',
  ],
  [
    "remix: path renamed",
    { ...REMIX, to: movedTo("/v2/videos/edits") },
    "breaking",
    `${EDITS}: operation removed: this client calls it`,
  ],
  [
    "path renamed, OLD and NEW named like no page (spec:diff base.json renamed.json)",
    { to: movedTo("/v2/videos/generations"), files: { old: "base.json", new: "renamed.json" } },
    "breaking",
    `${GENERATIONS}: operation removed: this client calls it`,
  ],
  [
    "path renamed, NEW naming no model (no summary), the file named like no page",
    {
      to: steps(movedTo("/v2/videos/generations"), (s) => void delete operation(s).summary),
      files: { old: "base.json", new: "renamed.json" },
    },
    "breaking",
    `${GENERATIONS}: operation removed: this client calls it`,
  ],
  [
    "text-to-video: request enum value removed (a change on one model's page)",
    {
      ...TEXT,
      to: (s) => void (request(s).properties.resolution.enum = ["1080p"]),
      files: { old: "a.json", new: "next.md" },
    },
    "breaking",
    `${GENERATIONS} request body \`resolution\`: enum value "720p" removed`,
  ],
  [
    "remix: new required request field",
    {
      ...REMIX,
      to: (s) => {
        request(s).properties.strength = { type: "number" };
        request(s).required.push("strength");
      },
    },
    "breaking",
    `${EDITS} request body \`strength\`: new required field`,
  ],
  [
    "remix: read field data[].url removed",
    { ...REMIX, to: (s) => void delete video(s).properties.url },
    "breaking",
    `${EDITS} response 200 \`data[].url\`: field removed from the response: this client reads it`,
  ],
  [
    "overlay target removed (Authorization parameter)",
    (s) => void (operation(s).parameters = []),
    "breaking",
    "the overlay no longer applies to NEW",
  ],
  // Not breaking.
  ["new optional request field", seed({}), "non-breaking", "request body `seed`: new optional field"],
  [
    "new request enum value",
    (s) => void request(s).properties.duration.enum.push("16"),
    "non-breaking",
    'request body `duration`: enum value "16" added',
  ],
  ["new optional header", header(false), "non-breaking", "header parameter `X-Org`: new optional parameter"],
  [
    "request field becomes optional",
    (s) => void (request(s).required = ["model", "prompt"]),
    "non-breaking",
    "request body `image_url`: becomes optional",
  ],
  [
    "request maxLength raised",
    {
      from: (s) => void (request(s).properties.prompt.maxLength = 1000),
      to: (s) => void (request(s).properties.prompt.maxLength = 4000),
    },
    "non-breaking",
    "maxLength 1000 → 4000 (looser)",
  ],
  [
    "request field accepts null too",
    (s) => void (request(s).properties.prompt.type = ["string", "null"]),
    "non-breaking",
    '`prompt`: type "string" → ["string","null"] (wider)',
  ],
  [
    "request body becomes required (this client always sends one)",
    (s) => void (operation(s).requestBody.required = true),
    "non-breaking",
    "this client always sends a body",
  ],
  [
    "new optional response field",
    (s) => void (video(s).properties.thumbnail_url = { type: "string" }),
    "non-breaking",
    "response 200 `data[].thumbnail_url`: new field in the response",
  ],
  [
    "response field becomes required",
    (s) => void (video(s).required = ["url"]),
    "non-breaking",
    "`data[].url`: becomes always present in the response",
  ],
  [
    "new 2xx carrying the fields the client reads (201)",
    (s) => void (operation(s).responses["201"] = operation(s).responses["200"]),
    "non-breaking",
    "response 201: success response 201 added, with the fields this client reads",
  ],
  [
    "response field becomes readOnly",
    (s) => void (video(s).properties.url.readOnly = true),
    "non-breaking",
    "`data[].url`: readOnly set",
  ],
  [
    "security: apiKey in the Authorization header (the client's own)",
    scheme("key", AUTHORIZATION_KEY, [{ key: [] }]),
    "non-breaking",
    'security requirement {"key":[]} added: this client satisfies it',
  ],
  [
    "security: bearer, or anonymous ({})",
    scheme("bearer", BEARER, [{ bearer: [] }, {}], "operation"),
    "non-breaking",
    'POST /v1/videos/generations: security requirement [{"bearer":[]},{}] added: this client satisfies it',
  ],
  [
    "remix: video_id no longer required",
    {
      ...REMIX,
      to: (s) => void (request(s).required = request(s).required.filter((field: string) => field !== "video_id")),
    },
    "non-breaking",
    `${EDITS} request body \`video_id\`: becomes optional`,
  ],
  ["a page for a new path", { page: "new", to: EXTEND }, "non-breaking", "POST /v1/videos/extensions: operation added"],
  [
    "a new model's page on a shared path (Sora 2 text-to-video), against image-to-video as OLD",
    {
      ...TEXT,
      to: SORA_2_TEXT,
      old: VENDOR_SPEC,
      files: { old: "sora-2-pro-image-to-video.json", new: "sora-2-text-to-video.md" },
    },
    "non-breaking",
    `${GENERATIONS}: operation added`,
  ],
  [
    "text-to-video: new optional request field, the file named like no page",
    { ...TEXT, to: seed({}), files: { old: "sora-2-pro-text-to-video.json", new: "next.md" } },
    "non-breaking",
    `${GENERATIONS} request body \`seed\`: new optional field`,
  ],
  [
    "new error response documented",
    (s) => void (operation(s).responses["429"] = { description: "Rate limited" }),
    "non-breaking",
    "response 429 added",
  ],
  [
    "new response header",
    (s) => void (operation(s).responses["200"].headers = { "X-Request-Id": { schema: { type: "string" } } }),
    "non-breaking",
    "this client reads no documented response header",
  ],
  [
    "second server listed",
    (s) => void s.servers.push({ url: "https://eu.video.onerouter.pro" }),
    "non-breaking",
    'the default (servers[0]) is still "https://video.onerouter.pro"',
  ],
  ["operation deprecated", (s) => void (operation(s).deprecated = true), "non-breaking", "deprecated: still works"],
  [
    "nullable added to a request field (OpenAPI 3.0)",
    {
      from: (s) => void (s.openapi = "3.0.3"),
      to: (s) => {
        s.openapi = "3.0.3";
        request(s).properties.prompt.nullable = true;
      },
    },
    "non-breaking",
    "now accepts null",
  ],
  [
    "description changed",
    (s) => void (operation(s).description = "Turns an image into a video."),
    "annotation",
    "POST /v1/videos/generations: description changed",
  ],
  ["summary changed", (s) => void (operation(s).summary = "openai/sora-2-pro"), "annotation", "summary changed"],
  [
    "field description changed",
    (s) => void (request(s).properties.prompt.description = "What to film"),
    "annotation",
    "request body `prompt`: description changed",
  ],
  ["info.version changed", (s) => void (s.info.version = "1.1.0"), "annotation", "info.version changed"],
  [
    "vendor adds an operationId (the overlay pins ours)",
    (s) => void (operation(s).operationId = "soraImageToVideo"),
    "annotation",
    'the overlay keeps the generated name "createVideoGeneration"',
  ],
];

/** The committed inputs, with the image-to-video page's overlay changed when a row says so. */
function inputsWith(overlay: Mutation | undefined): GenerationInputs {
  const own = variantOf(PAGE_OVERLAY, ...(overlay ? [overlay] : []));
  return {
    overlay: OVERLAY,
    pages: [
      { name: "sora-2-pro-image-to-video", spec: VENDOR_SPEC, overlay: own },
      { name: "sora-2-pro-text-to-video", spec: TEXT_SPEC, overlay: TEXT_OVERLAY },
      { name: "sora-2-video-to-video", spec: REMIX_SPEC, overlay: REMIX_OVERLAY },
    ],
  };
}

/** A repository with no spec/overlays/ of its own: findPage finds no overlay added ahead of a new page. */
const EMPTY_ROOT = mkdtempSync(join(tmpdir(), "sora-verdicts-"));
afterAll(() => rmSync(EMPTY_ROOT, { recursive: true, force: true }));
const MODELS: Record<string, string> = {
  "sora-2-pro-image-to-video": "sora-2-pro-image-to-video",
  "sora-2-pro-text-to-video": "sora-2-pro-text-to-video",
  "sora-2-video-to-video": "sora-2-video-to-video",
};

/**
 * Judges a row as spec:diff does (each page found, or given; a new page compared with no
 * operations), without the type check.
 */
async function judge(change: Change): Promise<DiffReport> {
  const steps = typeof change === "function" ? { to: change } : change;
  const inputs = inputsWith(steps.overlay);
  const [image, text, remix] = inputs.pages as [SpecPage, SpecPage, SpecPage];
  const committed = steps.page === "remix" ? remix : steps.page === "text" ? text : image;
  const isNew = steps.page === "new";
  const base = isNew ? REMIX_SPEC : committed.spec;
  const before = steps.old ?? (isNew ? VENDOR_SPEC : variantOf(base, ...(steps.from ? [steps.from] : [])));
  const after = variantOf(base, steps.to);
  const labels = { old: "OLD", new: "NEW" };
  if (steps.files) {
    const paths = pathsUnder(EMPTY_ROOT);
    const old = await findPage(paths, inputs, before, steps.files.old);
    const page = pageAgainstOld(await findPage(paths, inputs, after, steps.files.new), old);
    return (await diffSpecs(before, after, { inputs, page, oldPage: old.name, typecheckRoot: false, labels })).report;
  }
  const page: TargetPage = isNew
    ? { name: "sora-2-extend", model: "sora-2-extend" }
    : { name: committed.name, committed, overlay: committed.overlay, model: MODELS[committed.name]! };
  const oldPage = isNew ? image.name : committed.name;
  return (await diffSpecs(before, after, { inputs, page, oldPage, typecheckRoot: false, labels })).report;
}

const decidedBy = new Set<string>();

describe("client-side verdicts (golden table)", () => {
  test.each(ROWS.map(([name, change, verdict, says]) => [`${name} → ${verdict}`, change, verdict, says] as const))(
    "%s",
    async (_name, change, verdict, says) => {
      const report = await judge(change);
      const lines = report.changes.map((line) => ({ ...line, text: `${line.where}: ${line.what}` }));
      const line = lines.find((candidate) => candidate.text.includes(says));
      if (!line)
        throw new Error(
          `no report line contains ${JSON.stringify(says)}; the report has:\n${lines.map((each) => `  ${each.verdict} ${each.text}`).join("\n")}`,
        );
      expect({ verdict: line.verdict, text: line.text }).toEqual({ verdict, text: expect.stringContaining(says) });
      expect(report.breaking).toBe(verdict === "breaking");
      expect(report.bump).toBe(verdict === "breaking" ? "major" : verdict === "non-breaking" ? "minor" : "patch");
      for (const each of report.changes) decidedBy.add(each.rule);
    },
  );

  test("every client-side rule decides at least one row", () => {
    expect(CLIENT_RULES.map((rule) => rule.id).filter((id) => !decidedBy.has(id))).toEqual([]);
  });

  test("an unchanged spec has no changes and suggests no bump", async () => {
    const report = await judge(() => {});
    expect(report).toMatchObject({
      changes: [],
      breaking: false,
      bump: "none",
      summary: { breaking: 0, "non-breaking": 0, annotation: 0 },
    });
  });

  test("every line names its operation, in text, json and markdown", async () => {
    const report = await judge({
      ...REMIX,
      to: (s) => {
        s.servers[0].url = "https://eu.example.com";
        request(s).properties.prompt.maxLength = 10;
        s.info.version = "9";
      },
    });
    expect(report.changes.map((change) => change.operation)).toEqual([EDITS, EDITS, EDITS]);
    expect(report.page).toEqual({ name: "sora-2-video-to-video", operations: [EDITS], status: "existing" });
    const text = renderText(report)
      .split("\n")
      .filter((line) => /^(BREAKING|NON-BREAKING|ANNOTATION) /.test(line));
    const markdown = renderMarkdown(report)
      .split("\n")
      .filter((line) => /^\| (breaking|non-breaking|annotation) \|/.test(line));
    expect([text.length, markdown.length]).toEqual([3, 3]);
    for (const line of text) expect(line).toMatch(/^\S+ +POST \/v1\/videos\/edits /);
    for (const line of markdown) expect(line).toMatch(/^\| \S+ \| POST \/v1\/videos\/edits \| /);
    const asJson = JSON.parse(renderJson(report)) as DiffReport;
    expect(asJson.changes.map((change) => change.operation)).toEqual([EDITS, EDITS, EDITS]);
  });

  test("a page for a new path is a new page: only its operation added, whatever OLD documents", async () => {
    const report = await judge({ page: "new", to: EXTEND });
    expect(report.page).toEqual({ name: "sora-2-extend", operations: ["POST /v1/videos/extensions"], status: "new" });
    const lines = report.changes.map(({ verdict, operation: op, rule }) => ({ verdict, op, rule }));
    expect(lines).toEqual([{ verdict: "non-breaking", op: "POST /v1/videos/extensions", rule: "operation" }]);
    expect(report.typecheck).toEqual({ status: "skipped", note: "--no-typecheck" });
  });

  test("a new model's page on a shared path: a new page naming its model, one operation added, nothing about the others", async () => {
    const report = await judge({
      ...TEXT,
      to: SORA_2_TEXT,
      old: VENDOR_SPEC,
      files: { old: "sora-2-pro-image-to-video.json", new: "sora-2-text-to-video.md" },
    });
    expect(report.page).toEqual({
      name: "sora-2-text-to-video",
      operations: [GENERATIONS],
      status: "new",
      model: "sora-2-text-to-video",
    });
    expect(report.changes.map(({ verdict, operation: op, model, rule }) => ({ verdict, op, model, rule }))).toEqual([
      { verdict: "non-breaking", op: GENERATIONS, model: "sora-2-text-to-video", rule: "operation" },
    ]);
    expect(renderText(report)).toMatch(
      /^page sora-2-text-to-video \(new\): POST \/v1\/videos\/generations, model sora-2-text-to-video$/m,
    );
    const markdown = renderMarkdown(report);
    expect(markdown).toContain(
      "page sora-2-text-to-video (new): POST /v1/videos/generations, model sora-2-text-to-video",
    );
    expect(markdown).toMatch(
      /^\| non-breaking \| POST \/v1\/videos\/generations \(model sora-2-text-to-video\) \| operation \| operation added \|/m,
    );
  });

  test("a change on one model's page names that model, in text, json and markdown, and nothing about the others", async () => {
    const report = await judge({
      ...TEXT,
      to: (s) => void (request(s).properties.resolution.enum = ["1080p"]),
      files: { old: "a.json", new: "next.md" },
    });
    expect(report.page).toMatchObject({
      name: "sora-2-pro-text-to-video",
      status: "existing",
      model: "sora-2-pro-text-to-video",
    });
    expect(report.changes.map((change) => change.model)).toEqual(["sora-2-pro-text-to-video"]);
    expect(JSON.parse(renderJson(report)).changes[0].model).toBe("sora-2-pro-text-to-video");
    expect(renderText(report)).toMatch(
      /^page sora-2-pro-text-to-video: POST \/v1\/videos\/generations, model sora-2-pro-text-to-video$/m,
    );
    expect(renderMarkdown(report)).toMatch(
      /^\| breaking \| POST \/v1\/videos\/generations \(model sora-2-pro-text-to-video\) \| request body `resolution` \|/m,
    );
    expect(renderJson(report)).not.toMatch(/image|sora-2-video-to-video/);
  });

  test("OLD against NEW when both are one page: a renamed path is the removal of the operation the client calls", async () => {
    const report = await judge({
      to: movedTo("/v2/videos/generations"),
      files: { old: "base.json", new: "renamed.json" },
    });
    expect(report.page).toMatchObject({ name: "sora-2-pro-image-to-video", status: "existing" });
    expect(report.breaking).toBe(true);
    expect(report.changes.map((change) => `${change.verdict} ${change.where}: ${change.what}`)).toEqual(
      expect.arrayContaining([
        "breaking POST /v1/videos/generations: operation removed: this client calls it",
        "non-breaking POST /v2/videos/generations: operation added",
      ]),
    );
  });

  test("the documents passed in are not modified (the engine normalises its inputs in place)", async () => {
    const before = variant();
    const after = variant((s) => void (operation(s).description = "x"));
    await wireDiff(before, after, [OVERLAY, PAGE_OVERLAY]);
    expect(before).toEqual(VENDOR_SPEC);
    expect(operation(after).deprecated).toBe(false);
  });
});
