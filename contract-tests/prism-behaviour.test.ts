import { NotFoundError } from "../src/index";
import { callOperation, contractClient, postRaw, replayFetch } from "./support/exchange";
import { operationCases } from "../src/verify/plan";
import { contractOperations } from "../src/verify/spec";
import { currentTarget, describeMockOnly } from "./support/target";

const target = currentTarget();

interface Problem {
  status: number;
  title: string;
  detail: string;
  validation?: Array<{ location: string[]; code: string; message: string }>;
}

for (const operation of contractOperations()) {
  const cases = operationCases(operation, target.config);
  const valid = cases.find((item) => item.valid)!.body;
  const label = operation.label;

  describeMockOnly(
    target,
    `${label}: Prism's answer to invalid requests: 422 application/problem+json with validation[]`,
    () => {
      test.each(cases.filter((item) => !item.valid).map((item) => [item.title, item] as const))(
        `${label}: %s`,
        async (_title, item) => {
          const exchange = await postRaw(target, operation, item.body);
          expect(exchange.status).toBe(422);
          expect(exchange.contentType).toMatch(/^application\/problem\+json/);
          const problem = exchange.json as Problem;
          expect(problem.status).toBe(422);
          expect(problem.validation?.length).toBeGreaterThan(0);
          for (const entry of problem.validation!) expect(entry.location[0]).toBe("body");
          if (item.field) expect(JSON.stringify(problem.validation)).toContain(item.field);
        },
      );

      test(`${label}: a missing Authorization header is a 422 located in the header (never a 401)`, async () => {
        const exchange = await postRaw(target, operation, valid, { omitHeaders: ["Authorization"] });
        expect(exchange.status).toBe(422);
        const problem = exchange.json as Problem;
        const expected = { location: ["header"], code: "required", message: expect.stringMatching(/authorization/i) };
        expect(problem.validation).toEqual([expect.objectContaining(expected)]);
      });

      test(`${label}: malformed JSON is a 400, not a 422`, async () => {
        const exchange = await postRaw(target, operation, undefined, { rawBody: '{"prompt": ' });
        expect(exchange.status).toBe(400);
      });
    },
  );

  describeMockOnly(target, `${label}: Prism and the verbatim spec's loose corners`, () => {
    const noBody =
      `${label}: a POST with no body is accepted (the verbatim spec does not mark the body required), ` +
      "while the client always sends a JSON object";
    test(noBody, async () => {
      const exchange = await postRaw(target, operation, undefined, { rawBody: null });
      expect(exchange.status).toBe(200);
      const { fetch, sent } = replayFetch(200, JSON.stringify({ created: 0, data: [] }));
      await callOperation(contractClient(target, { fetch }), operation, valid);
      expect(sent[0]!.body).toStrictEqual(valid);
      expect(sent[0]!.headers["content-type"]).toBe("application/json");
    });

    const undocumented =
      `${label}: \`Prefer: code=500\` asks for a status the spec does not document: Prism's own 404, ` +
      "which the client reports as NotFoundError (not billed)";
    test(undocumented, async () => {
      const client = contractClient(target, { headers: { Prefer: "code=500" } });
      const error = await callOperation(client, operation, valid).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(NotFoundError);
      expect((error as NotFoundError).status).toBe(404);
      expect((error as NotFoundError).mayHaveBeenAccepted).toBe(false);
      expect(JSON.stringify((error as NotFoundError).body)).toContain("is not defined in the document");
    });

    const seeded = `${label}: \`Prefer: dynamic=true, seed=N\`: the same body for one seed, another for another seed`;
    test(seeded, async () => {
      const bodyFor = async (seed: number) =>
        (await postRaw(target, operation, valid, { headers: { Prefer: `dynamic=true, seed=${seed}` } })).json;
      const [first, again, other] = await Promise.all([bodyFor(7), bodyFor(7), bodyFor(8)]);
      expect(again).toStrictEqual(first);
      expect(other).not.toStrictEqual(first);
    });
  });
}
