import { ResponseValidationError, type VideoGenerationRequest } from "../src/index";
import { requestCases } from "./support/cases";
import { contractClient, postRaw, replayFetch, teeFetch } from "./support/exchange";
import { contractBreach, successSchemaIssues } from "./support/response-contract";
import { responseVariants } from "./support/response-samples";
import { contractOperation } from "./support/spec";
import { currentTarget, describeMockOnly } from "./support/target";
import { expectHonoured } from "./support/verdicts";

const target = currentTarget();
const operation = contractOperation();
const request = requestCases(operation.requestSchema, { model: target.config.model, prompt: target.config.prompt, image_url: target.config.imageUrl }).find((item) => item.valid)!
  .body as VideoGenerationRequest;
const variants = responseVariants(operation.successSchema);
const SEEDS = Array.from({ length: 60 }, (_, index) => index + 1);

describe("200 bodies derived from the spec's response schema: the independent Ajv 2020 validator and the client agree (no traffic)", () => {
  test("the variants include the negative controls", () => {
    expect(variants.filter((variant) => !variant.valid).length).toBeGreaterThanOrEqual(4);
  });

  test.each(variants.filter((variant) => variant.valid).map((variant) => [variant.title, variant.body] as const))(
    "%s: honours the schema, and generateVideo returns it whole",
    async (_title, body) => {
      expect(successSchemaIssues(body)).toEqual([]);
      const { fetch } = replayFetch(200, JSON.stringify(body));
      await expect(contractClient(target, { fetch }).generateVideo(request)).resolves.toStrictEqual(body);
    },
  );

  test.each(variants.filter((variant) => !variant.valid).map((variant) => [variant.title, variant.body] as const))(
    "%s: breaks the schema, and generateVideo throws ResponseValidationError carrying what was received",
    async (_title, body) => {
      expect(successSchemaIssues(body)).not.toEqual([]);
      const { fetch } = replayFetch(200, JSON.stringify(body));
      const error = await contractClient(target, { fetch }).generateVideo(request).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ResponseValidationError);
      expect((error as ResponseValidationError).body).toStrictEqual(body);
    },
  );

  test.each([201, 202, 204, 302, 404, 429, 500, 503])("status %i for a valid request counts as a breach (the spec documents only 200)", (status) => {
    const breach = contractBreach({ requestBody: request, status, contentType: "application/json", text: "{}", json: {} }, true);
    expect(breach).toMatch(new RegExp(`status ${status}`));
  });
});

describeMockOnly(target, "responses Prism sends", () => {
  test("the static example body honours the schema and comes back from generateVideo unchanged", async () => {
    const { fetch, exchanges } = teeFetch();
    const result = await contractClient(target, { fetch }).generateVideo(request);
    expectHonoured(target, exchanges[0]!, true);
    expect(result).toStrictEqual(exchanges[0]!.json);
  });

  test.each(SEEDS)("`Prefer: dynamic=true, seed=%i`: the body honours the schema and comes back from generateVideo unchanged (extra properties kept)", async (seed) => {
    const { fetch, exchanges } = teeFetch();
    const result = await contractClient(target, { fetch, headers: { Prefer: `dynamic=true, seed=${seed}` } }).generateVideo(request);
    expect(exchanges).toHaveLength(1);
    expectHonoured(target, exchanges[0]!, true);
    expect(result).toStrictEqual(exchanges[0]!.json);
  });

  test(`the ${SEEDS.length} seeded bodies cover empty data, several items and unknown extra properties`, async () => {
    const bodies = await Promise.all(SEEDS.map(async (seed) => (await postRaw(target, request, { headers: { Prefer: `dynamic=true, seed=${seed}` } })).json as { data: unknown[] }));
    const declared = new Set(Object.keys(operation.successSchema.properties ?? {}));
    expect(bodies.some((body) => body.data.length === 0)).toBe(true);
    expect(bodies.some((body) => body.data.length >= 2)).toBe(true);
    expect(bodies.some((body) => Object.keys(body).some((key) => !declared.has(key)))).toBe(true);
  });
});
