import { wireDiff } from "../../scripts/lib/diff/wire-diff";
import { summarize } from "../../scripts/lib/diff/report";
import { CLIENT_RULES } from "../../scripts/lib/diff/client-rules";
import type { Verdict } from "../../scripts/lib/diff/types";
import { OVERLAY, PAGE_OVERLAY, VENDOR_SPEC, operation, request, response, variant, video, type Mutation, type Spec } from "./helpers/spec-variants";

/** A change made to OLD first (when the row needs a starting point the vendor spec lacks), then to NEW. */
type Change = Mutation | { from: Mutation; to: Mutation; overlay?: Mutation };

const asComponent = (name: string): Mutation => (spec) => {
  spec.components = { schemas: { [name]: response(spec) } };
  operation(spec).responses["200"].content["application/json"].schema = { $ref: `#/components/schemas/${name}` };
};
const seed = (extra: object): Mutation => (spec) => void (request(spec).properties.seed = { type: "integer", ...extra });
const header = (required: boolean): Mutation => (spec) => void operation(spec).parameters.push({ name: "X-Org", in: "header", required, schema: { type: "string" } });
const withoutPinnedOperationId: Mutation = (overlay) => void delete overlay.actions.find((action: Spec) => action.update?.operationId).update.operationId;

/**
 * The golden table: one vendor-spec mutation per row, with the verdict this client must give it
 * and a substring of its report line. An engine upgrade (or a rule edit) that flips a verdict
 * fails its row.
 */
const ROWS: Array<[name: string, change: Change, verdict: Verdict, says: string]> = [
  // Breaking: narrowing what a request may be.
  ["path renamed", (s) => { s.paths["/v2/videos/generations"] = s.paths["/v1/videos/generations"]; delete s.paths["/v1/videos/generations"]; }, "breaking", "POST /v1/videos/generations: operation removed: it is the one this client calls"],
  ["method changed (POST → PUT)", (s) => { s.paths["/v1/videos/generations"].put = operation(s); delete s.paths["/v1/videos/generations"].post; }, "breaking", "operation removed: it is the one this client calls"],
  ["new required request field", (s) => { seed({})(s); request(s).required.push("seed"); }, "breaking", "request body `seed`: new required field"],
  ["existing request field becomes required", (s) => void request(s).required.push("duration"), "breaking", "request body `duration`: becomes required"],
  ["new required header", header(true), "breaking", "header parameter `X-Org`: new required parameter"],
  ["header becomes required", { from: header(false), to: header(true) }, "breaking", "header parameter `X-Org`: becomes required"],
  ["request enum value removed", (s) => void (request(s).properties.duration.enum = ["4", "8"]), "breaking", 'request body `duration`: enum value "12" removed'],
  ["request field type changed", (s) => void (request(s).properties.prompt.type = "integer"), "breaking", 'request body `prompt`: type "string" → "integer"'],
  ["request field removed", (s) => void delete request(s).properties.output_format, "breaking", "request body `output_format`: field removed"],
  ["request maxLength added", (s) => void (request(s).properties.prompt.maxLength = 4000), "breaking", "`prompt`: maxLength 4000 added (tighter)"],
  ["request maxLength lowered", { from: (s) => void (request(s).properties.prompt.maxLength = 4000), to: (s) => void (request(s).properties.prompt.maxLength = 1000) }, "breaking", "maxLength 4000 → 1000 (tighter)"],
  ["request pattern added", (s) => void (request(s).properties.image_url.pattern = "^https://"), "breaking", "`image_url`: pattern \"^https://\" added"],
  ["request minimum raised", { from: seed({ minimum: 0 }), to: seed({ minimum: 1 }) }, "breaking", "`seed`: minimum 0 → 1 (tighter)"],
  ["request closed to unknown fields", (s) => void (request(s).additionalProperties = false), "breaking", "closed to unknown fields (additionalProperties: false)"],
  ["request default changed", (s) => void (request(s).properties.duration.default = "8"), "breaking", 'default "4" is now "8": callers that omit it get a different result'],
  ["request media type removed", (s) => { const body = operation(s).requestBody; body.content["multipart/form-data"] = body.content["application/json"]; delete body.content["application/json"]; }, "breaking", "media-type removed: this client sends application/json"],
  // Breaking: widening or removing what a response may hold.
  ["read field data[].url removed (it was optional)", (s) => void delete video(s).properties.url, "breaking", "response 200 `data[].url`: field removed from the response: this client reads it"],
  ["read field data[].video_id removed", (s) => void delete video(s).properties.video_id, "breaking", "`data[].video_id`: field removed from the response: this client reads it"],
  ["read field data removed", (s) => { delete response(s).properties.data; response(s).required = ["created"]; }, "breaking", "response 200 `data`: field removed from the response: this client reads it"],
  ["read field created made optional", (s) => void (response(s).required = ["data"]), "breaking", "response 200 `created`: may now be absent from the response: this client reads it"],
  ["read field data made optional", (s) => void (response(s).required = ["created"]), "breaking", "response 200 `data`: may now be absent from the response: this client reads it"],
  ["unread response field removed", (s) => void delete video(s).properties.revised_prompt, "breaking", "`data[].revised_prompt`: field removed from the response: code that reads it stops compiling"],
  ["response field type changed", (s) => void (response(s).properties.created.type = "string"), "breaking", 'response 200 `created`: type "integer" → "string": the response may now hold string'],
  ["response field becomes nullable", (s) => void (video(s).properties.url.type = ["string", "null"]), "breaking", "the response may now hold null"],
  ["response enum value added", { from: (s) => void (video(s).properties.status = { type: "string", enum: ["succeeded"] }), to: (s) => void (video(s).properties.status = { type: "string", enum: ["succeeded", "failed"] }) }, "breaking", 'enum value "failed" added: the response may now hold values old clients reject'],
  ["response maxLength removed", { from: (s) => void (video(s).properties.url.maxLength = 2048), to: () => {} }, "breaking", "maxLength 2048 removed (looser): old clients validating responses may reject them"],
  ["success response replaced (200 → 201)", (s) => { const responses = operation(s).responses; responses["201"] = responses["200"]; delete responses["200"]; }, "breaking", "success response 200 removed"],
  // Breaking: what this client takes from the spec beyond shapes.
  ["servers[0] changed", (s) => void (s.servers[0].url = "https://video.example.com"), "breaking", 'servers: default base URL "https://video.onerouter.pro" → "https://video.example.com"'],
  ["operationId renamed (overlay not pinning it)", { from: (s) => void (operation(s).operationId = "createVideo"), to: (s) => void (operation(s).operationId = "makeVideo"), overlay: withoutPinnedOperationId }, "breaking", 'generated name operations["createVideo"] → operations["makeVideo"]'],
  ["component schema renamed", { from: asComponent("VideoResponse"), to: asComponent("GenerationResponse") }, "breaking", 'generated type components["schemas"]["VideoResponse"] removed or renamed'],
  ["security requirement added", (s) => { s.security = [{ bearerAuth: [] }]; s.components = { securitySchemes: { bearerAuth: { type: "http", scheme: "bearer" } } }; }, "breaking", 'security requirement {"bearerAuth":[]} added'],
  ["overlay target removed (Authorization parameter)", (s) => void (operation(s).parameters = []), "breaking", "the overlay no longer applies to NEW"],
  // Not breaking.
  ["new optional request field", seed({}), "non-breaking", "request body `seed`: new optional field"],
  ["new request enum value", (s) => void request(s).properties.duration.enum.push("16"), "non-breaking", 'request body `duration`: enum value "16" added'],
  ["new optional header", header(false), "non-breaking", "header parameter `X-Org`: new optional parameter"],
  ["request field becomes optional", (s) => void (request(s).required = ["model", "prompt"]), "non-breaking", "request body `image_url`: becomes optional"],
  ["request maxLength raised", { from: (s) => void (request(s).properties.prompt.maxLength = 1000), to: (s) => void (request(s).properties.prompt.maxLength = 4000) }, "non-breaking", "maxLength 1000 → 4000 (looser)"],
  ["request field accepts null too", (s) => void (request(s).properties.prompt.type = ["string", "null"]), "non-breaking", '`prompt`: type "string" → ["string","null"] (wider)'],
  ["request body becomes required (this client always sends one)", (s) => void (operation(s).requestBody.required = true), "non-breaking", "this client always sends a body"],
  ["new optional response field", (s) => void (video(s).properties.thumbnail_url = { type: "string" }), "non-breaking", "response 200 `data[].thumbnail_url`: new field in the response"],
  ["response field becomes required", (s) => void (video(s).required = ["url"]), "non-breaking", "`data[].url`: becomes always present in the response"],
  ["new error response documented", (s) => void (operation(s).responses["429"] = { description: "Rate limited" }), "non-breaking", "response 429 added"],
  ["new response header", (s) => void (operation(s).responses["200"].headers = { "X-Request-Id": { schema: { type: "string" } } }), "non-breaking", "this client reads no documented response header"],
  ["second server listed", (s) => void s.servers.push({ url: "https://eu.video.onerouter.pro" }), "non-breaking", 'the default (servers[0]) is still "https://video.onerouter.pro"'],
  ["operation deprecated", (s) => void (operation(s).deprecated = true), "non-breaking", "deprecated: still works"],
  ["nullable added to a request field (OpenAPI 3.0)", { from: (s) => void (s.openapi = "3.0.3"), to: (s) => { s.openapi = "3.0.3"; request(s).properties.prompt.nullable = true; } }, "non-breaking", "now accepts null"],
  ["description changed", (s) => void (operation(s).description = "Turns an image into a video."), "annotation", "POST /v1/videos/generations: description changed"],
  ["summary changed", (s) => void (operation(s).summary = "openai/sora-2-pro"), "annotation", "summary changed"],
  ["field description changed", (s) => void (request(s).properties.prompt.description = "What to film"), "annotation", "request body `prompt`: description changed"],
  ["info.version changed", (s) => void (s.info.version = "1.1.0"), "annotation", "info.version changed"],
  ["vendor adds an operationId (the overlay pins ours)", (s) => void (operation(s).operationId = "soraImageToVideo"), "annotation", 'the overlay keeps the generated name "createVideoGeneration"'],
];

async function judge(change: Change) {
  const steps = typeof change === "function" ? { from: () => {}, to: change } : change;
  const before: Spec = variant(steps.from);
  const after: Spec = variant(steps.to);
  const pageOverlay = structuredClone(PAGE_OVERLAY);
  steps.overlay?.(pageOverlay);
  const { changes } = await wireDiff(before, after, [OVERLAY, pageOverlay]);
  return summarize({ old: "OLD", new: "NEW" }, changes, { status: "skipped", note: "wire-level rows" });
}

const decidedBy = new Set<string>();

describe("client-side verdicts (golden table)", () => {
  test.each(ROWS.map(([name, change, verdict, says]) => [`${name} → ${verdict}`, change, verdict, says] as const))("%s", async (_name, change, verdict, says) => {
    const report = await judge(change);
    const lines = report.changes.map((line) => ({ ...line, text: `${line.where}: ${line.what}` }));
    const line = lines.find((candidate) => candidate.text.includes(says));
    if (!line) throw new Error(`no report line contains ${JSON.stringify(says)}; the report has:\n${lines.map((each) => `  ${each.verdict} ${each.text}`).join("\n")}`);
    expect({ verdict: line.verdict, text: line.text }).toEqual({ verdict, text: expect.stringContaining(says) });
    expect(report.breaking).toBe(verdict === "breaking");
    expect(report.bump).toBe(verdict === "breaking" ? "major" : verdict === "non-breaking" ? "minor" : "patch");
    for (const each of report.changes) decidedBy.add(each.rule);
  });

  test("every client-side rule decides at least one row", () => {
    expect(CLIENT_RULES.map((rule) => rule.id).filter((id) => !decidedBy.has(id))).toEqual([]);
  });

  test("an unchanged spec has no changes and suggests no bump", async () => {
    const report = await judge(() => {});
    expect(report).toMatchObject({ changes: [], breaking: false, bump: "none", summary: { breaking: 0, "non-breaking": 0, annotation: 0 } });
  });

  test("the documents passed in are not modified (the engine normalises its inputs in place)", async () => {
    const before = variant();
    const after = variant((s) => void (operation(s).description = "x"));
    await wireDiff(before, after, [OVERLAY, PAGE_OVERLAY]);
    expect(before).toEqual(VENDOR_SPEC);
    expect(operation(after).deprecated).toBe(false);
  });
});
