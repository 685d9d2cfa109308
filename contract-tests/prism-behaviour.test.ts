import { NotFoundError, type VideoGenerationRequest } from "../src/index";
import { requestCases } from "./support/cases";
import { contractClient, postRaw, replayFetch } from "./support/exchange";
import { contractOperation } from "./support/spec";
import { currentTarget, describeMockOnly } from "./support/target";

const target = currentTarget();
const operation = contractOperation();
const cases = requestCases(operation.requestSchema, { model: target.config.model, prompt: target.config.prompt, image_url: target.config.imageUrl });
const valid = cases.find((item) => item.valid)!.body;

interface Problem {
  status: number;
  title: string;
  detail: string;
  validation?: Array<{ location: string[]; code: string; message: string }>;
}

describeMockOnly(target, "Prism's answer to invalid requests: 422 application/problem+json with validation[]", () => {
  test.each(cases.filter((item) => !item.valid).map((item) => [item.title, item] as const))("%s", async (_title, item) => {
    const exchange = await postRaw(target, item.body);
    expect(exchange.status).toBe(422);
    expect(exchange.contentType).toMatch(/^application\/problem\+json/);
    const problem = exchange.json as Problem;
    expect(problem.status).toBe(422);
    expect(problem.validation?.length).toBeGreaterThan(0);
    for (const entry of problem.validation!) expect(entry.location[0]).toBe("body");
    if (item.field) expect(JSON.stringify(problem.validation)).toContain(item.field);
  });

  test("a missing Authorization header is a 422 located in the header (never a 401)", async () => {
    const exchange = await postRaw(target, valid, { omitHeaders: ["Authorization"] });
    expect(exchange.status).toBe(422);
    const problem = exchange.json as Problem;
    expect(problem.validation).toEqual([expect.objectContaining({ location: ["header"], code: "required", message: expect.stringMatching(/authorization/i) })]);
  });

  test("malformed JSON is a 400, not a 422", async () => {
    const exchange = await postRaw(target, undefined, { rawBody: '{"prompt": ' });
    expect(exchange.status).toBe(400);
  });
});

describeMockOnly(target, "Prism and the verbatim spec's loose corners", () => {
  test("a POST with no body is accepted (the verbatim spec does not mark the body required), while the client always sends a JSON object", async () => {
    const exchange = await postRaw(target, undefined, { rawBody: null });
    expect(exchange.status).toBe(200);
    const { fetch, sent } = replayFetch(200, JSON.stringify({ created: 0, data: [] }));
    await contractClient(target, { fetch }).generateVideo(valid as VideoGenerationRequest);
    expect(sent[0]!.body).toStrictEqual(valid);
    expect(sent[0]!.headers["content-type"]).toBe("application/json");
  });

  test("`Prefer: code=500` asks for a status the spec does not document: Prism's own 404, which the client reports as NotFoundError (not billed)", async () => {
    const error = await contractClient(target, { headers: { Prefer: "code=500" } })
      .generateVideo(valid as VideoGenerationRequest)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as NotFoundError).status).toBe(404);
    expect((error as NotFoundError).mayHaveBeenAccepted).toBe(false);
    expect(JSON.stringify((error as NotFoundError).body)).toContain("is not defined in the document");
  });

  test("`Prefer: dynamic=true, seed=N` gives the same body for the same seed and different bodies for different seeds (failures replay)", async () => {
    const bodyFor = async (seed: number) => (await postRaw(target, valid, { headers: { Prefer: `dynamic=true, seed=${seed}` } })).json;
    const [first, again, other] = await Promise.all([bodyFor(7), bodyFor(7), bodyFor(8)]);
    expect(again).toStrictEqual(first);
    expect(other).not.toStrictEqual(first);
  });
});
