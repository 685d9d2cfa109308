import { ResponseValidationError } from "../src/index";
import { callOperation, contractClient, postRaw, replayFetch, teeFetch } from "./support/exchange";
import { operationCases } from "../src/verify/plan";
import { contractBreach, successSchemaIssues } from "../src/verify/response-contract";
import { responseVariants } from "./support/response-samples";
import { contractOperations } from "../src/verify/spec";
import { currentTarget, describeMockOnly } from "./support/target";
import { expectHonoured } from "./support/verdicts";

const target = currentTarget();
const SEEDS = Array.from({ length: 60 }, (_, index) => index + 1);

for (const operation of contractOperations()) {
  const request = operationCases(operation, target.config).find((item) => item.valid)!.body;
  const variants = responseVariants(operation.successSchema);
  const call = (options: Parameters<typeof contractClient>[1]) =>
    callOperation(contractClient(target, options), operation, request);
  const label = operation.label;

  const suite =
    `${label}: 200 bodies derived from its spec's response schema: ` +
    "the independent Ajv 2020 validator and the client agree (no traffic)";
  describe(suite, () => {
    test(`${label}: the variants include the negative controls`, () => {
      expect(variants.filter((variant) => !variant.valid).length).toBeGreaterThanOrEqual(4);
    });

    test.each(variants.filter((variant) => variant.valid).map((variant) => [variant.title, variant.body] as const))(
      `${label}: %s: honours the schema, and the client returns it whole`,
      async (_title, body) => {
        expect(successSchemaIssues(operation, body)).toEqual([]);
        const { fetch } = replayFetch(200, JSON.stringify(body));
        await expect(call({ fetch })).resolves.toStrictEqual(body);
      },
    );

    test.each(variants.filter((variant) => !variant.valid).map((variant) => [variant.title, variant.body] as const))(
      `${label}: %s: breaks the schema, and the client throws ResponseValidationError carrying what was received`,
      async (_title, body) => {
        expect(successSchemaIssues(operation, body)).not.toEqual([]);
        const { fetch } = replayFetch(200, JSON.stringify(body));
        const error = await call({ fetch }).catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(ResponseValidationError);
        expect((error as ResponseValidationError).body).toStrictEqual(body);
      },
    );

    test.each([201, 202, 204, 302, 404, 429, 500, 503])(
      `${label}: status %i for a valid request counts as a breach (the spec documents only 200)`,
      (status) => {
        const breach = contractBreach(
          operation,
          { requestBody: request, status, contentType: "application/json", text: "{}", json: {} },
          true,
        );
        expect(breach).toMatch(new RegExp(`status ${status}`));
      },
    );
  });

  describeMockOnly(target, `${label}: responses Prism sends`, () => {
    test(`${label}: the static example body honours the schema and comes back from the client unchanged`, async () => {
      const { fetch, exchanges } = teeFetch();
      const result = await call({ fetch });
      expectHonoured(target, operation, exchanges[0]!, true);
      expect(result).toStrictEqual(exchanges[0]!.json);
    });

    test.each(SEEDS)(
      `${label}: \`Prefer: dynamic=true, seed=%i\`: ` +
        "the body honours the schema and comes back unchanged (extra properties kept)",
      async (seed) => {
        const { fetch, exchanges } = teeFetch();
        const result = await call({ fetch, headers: { Prefer: `dynamic=true, seed=${seed}` } });
        expect(exchanges).toHaveLength(1);
        expectHonoured(target, operation, exchanges[0]!, true);
        expect(result).toStrictEqual(exchanges[0]!.json);
      },
    );

    const coverage = `${label}: the ${SEEDS.length} seeded bodies cover empty data, several items and extra properties`;
    test(coverage, async () => {
      const bodies = await Promise.all(
        SEEDS.map(
          async (seed) =>
            (await postRaw(target, operation, request, { headers: { Prefer: `dynamic=true, seed=${seed}` } })).json as {
              data: unknown[];
            },
        ),
      );
      const declared = new Set(Object.keys(operation.successSchema.properties ?? {}));
      expect(bodies.some((body) => body.data.length === 0)).toBe(true);
      expect(bodies.some((body) => body.data.length >= 2)).toBe(true);
      expect(bodies.some((body) => Object.keys(body).some((key) => !declared.has(key)))).toBe(true);
    });
  });
}
