import { DEFAULT_MODEL } from "../src/spec-aliases";
import { ConfigurationError, RequestValidationError, createSoraClient, type VideoGenerationRequest } from "../src/index";
import { requestIssues } from "../src/validation";
import { requestCases, type RequestCase } from "./support/cases";
import { contractClient, postRaw, replayFetch, teeFetch } from "./support/exchange";
import { contractOperation } from "./support/spec";
import { currentTarget, paidTest } from "./support/target";
import { expectHonoured } from "./support/verdicts";

const target = currentTarget();
const operation = contractOperation();
const cases = requestCases(operation.requestSchema, { model: target.config.model, prompt: target.config.prompt, image_url: target.config.imageUrl });
const EMPTY_SUCCESS = JSON.stringify({ created: 0, data: [] });

// Fields generateVideo fills in when the caller leaves them out: for these, "missing" is the
// server's business (the raw body is invalid) but never reaches it through the client.
const CLIENT_DEFAULTS: Record<string, unknown> = { model: DEFAULT_MODEL };
const filledInByClient = (item: RequestCase) => item.kind === "required-missing" && item.field! in CLIENT_DEFAULTS;

const asRequest = (body: unknown) => body as VideoGenerationRequest;
const table = (items: RequestCase[]) => items.map((item) => [item.title, item] as const);

describe(`requests derived from spec/openapi.json: the server's verdict and the client's agree (${target.state.mode} mode)`, () => {
  test("the spec yields every kind of case", () => {
    const kinds = new Set(cases.map((item) => item.kind));
    expect([...kinds].sort()).toEqual(["combination", "extra-property", "optional-omitted", "outside-enum", "required-missing", "wrong-type"]);
    expect(cases.filter((item) => item.kind === "combination")).toHaveLength(3 * 3 * 3 * 1);
    expect(new Set(cases.map((item) => item.title)).size).toBe(cases.length);
  });

  describe("invalid bodies: the client throws RequestValidationError without sending, the server answers 400/401/403/422", () => {
    test.each(table(cases.filter((item) => !item.valid && !filledInByClient(item))))("%s", async (_title, item) => {
      const { fetch, sent } = replayFetch(200, EMPTY_SUCCESS);
      const error = await contractClient(target, { fetch }).generateVideo(asRequest(item.body)).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(RequestValidationError);
      expect(sent).toHaveLength(0);
      if (item.field) expect((error as RequestValidationError).issues.map((issue) => issue.path)).toContain(`/${item.field}`);
      expectHonoured(target, await postRaw(target, item.body), false);
    });
  });

  describe("a required field the client fills in", () => {
    test.each(table(cases.filter(filledInByClient)))(
      "%s: the server rejects the raw body and the client's validator (requestIssues) agrees, but generateVideo fills in the default and sends a valid body",
      async (_title, item) => {
        expect(requestIssues("/v1/videos/generations", item.body)).toContainEqual({ path: `/${item.field}`, message: "is required" });
        const { fetch, sent } = replayFetch(200, EMPTY_SUCCESS);
        await contractClient(target, { fetch }).generateVideo(asRequest(item.body));
        expect(sent[0]!.body).toStrictEqual({ ...item.body, [item.field!]: CLIENT_DEFAULTS[item.field!] });
        expect(requestIssues("/v1/videos/generations", sent[0]!.body)).toEqual([]);
        expectHonoured(target, await postRaw(target, item.body), false);
      },
    );
  });

  describe("valid bodies: the client sends them unchanged, the server answers 200 with a spec-valid body, the client returns it whole", () => {
    for (const item of cases.filter((candidate) => candidate.valid)) {
      paidTest(target, item.title, async () => {
        const { fetch, exchanges } = teeFetch();
        const result = await contractClient(target, { fetch }).generateVideo(asRequest(item.body)).catch((caught: unknown) => caught);
        expect(exchanges).toHaveLength(1);
        const [exchange] = exchanges;
        expect(exchange!.requestBody).toStrictEqual(item.body);
        expectHonoured(target, exchange!, true);
        if (result instanceof Error) throw result;
        expect(result).toStrictEqual(exchange!.json);
      });
    }
  });

  describe("header parameters the spec requires", () => {
    const required = operation.headers.filter((header) => header.required).map((header) => [header.name] as const);
    const valid = cases.find((item) => item.valid)!.body;

    test("the spec requires Authorization", () => {
      expect(required).toContainEqual(["Authorization"]);
    });

    test.each(required)("a request without %s is rejected by the server", async (name) => {
      expectHonoured(target, await postRaw(target, valid, { omitHeaders: [name] }), false);
    });

    test("the client always sends Authorization (the raw key, as the vendor documents) and refuses to run without a key (ConfigurationError, nothing sent)", async () => {
      const { fetch, sent } = replayFetch(200, EMPTY_SUCCESS);
      await contractClient(target, { fetch }).generateVideo(asRequest(valid));
      expect(sent[0]!.headers.authorization).toBe(target.config.apiKey);
      expect(() => createSoraClient({ baseUrl: target.url, apiKey: "", fetch })).toThrow(ConfigurationError);
      expect(sent).toHaveLength(1);
    });
  });
});
