import { OPERATIONS } from "../generated/spec-values";
import { defaultModelOf } from "../src/operations";
import { answerShapeOf, taskAnswerBreach } from "../src/verify/answer-shape";
import { ConfigurationError, RequestValidationError, createSoraClient, isSoraError } from "../src/index";
import { requestIssues } from "../src/validation";
import type { RequestCase } from "../src/verify/cases";
import { callOperation, contractClient, postRaw, replayFetch, teeFetch } from "./support/exchange";
import {
  givenValues,
  interleave,
  neighbourValues,
  operationCases,
  planSource,
  sourceOperation,
  type SourcePlan,
} from "../src/verify/plan";
import { CONTRACT_SETTING_NAMES } from "./support/config";
import { claimPaidSlot, recordEvent } from "./support/run-state";
import { contractOperations, type ContractOperation } from "../src/verify/spec";
import { currentTarget, paidTest, planPaidTest, type PaidPlan } from "./support/target";
import { expectHonoured } from "./support/verdicts";

const target = currentTarget();
const operations = contractOperations();
const EMPTY_SUCCESS = JSON.stringify({ created: 0, data: [] });
const table = (items: RequestCase[]) => items.map((item) => [item.title, item] as const);
const rejection = target.mockMode
  ? "the server answers 400/401/403/422 (envelope not checked: Prism's 422 is problem+json, not the gateway's envelope)"
  : "the server answers 400/401/403/422 in the gateway's error envelope (error.code = HTTP status)";

const casesOf = new Map(
  operations.map((operation) => [operation, operationCases(operation, target.config, operations)]),
);

// Paid slots are claimed round-robin across operations (the first valid case of each, then the
// second, …), each operation's source generation (a remix's video_id) just before its first case,
// so a small CONTRACT_PAID_CALLS reaches every operation.
const sourcePlans = new Map<ContractOperation, SourcePlan>();
const paidPlans = new Map<RequestCase, PaidPlan>();
const validPairs = operations.map((operation) =>
  casesOf
    .get(operation)!
    .filter((item) => item.valid)
    .map((item) => [operation, item] as const),
);
for (const [operation, item] of interleave(validPairs)) {
  if (!sourcePlans.has(operation)) {
    const claim = () => claimPaidSlot(target.state.paidCallBudget);
    sourcePlans.set(
      operation,
      planSource(operation, operations, {
        mode: target.state.mode,
        videoId: target.config.videoId,
        budget: target.state.paidCallBudget,
        claim,
        names: CONTRACT_SETTING_NAMES,
      }),
    );
  }
  if (sourcePlans.get(operation)!.kind !== "skip") paidPlans.set(item, planPaidTest(target.state));
}

/** The memoised result field of one paid generation that valid requests of another operation refer to. */
function sourceValue(operation: ContractOperation, plan: SourcePlan): () => Promise<unknown> {
  if (plan.kind !== "generate") return () => Promise.resolve(undefined);
  let made: Promise<unknown> | undefined;
  return () =>
    (made ??= (async () => {
      const source = sourceOperation(plan.field, operations);
      const body = operationCases(source, target.config).find((item) => item.valid)!.body;
      recordEvent("paid-call");
      const client = contractClient(target);
      // On the asynchronous flow the source generation is a task: its video (and id) come by polling.
      const result = (await callOperation(client, source, body).catch((error: unknown) => {
        if (!isSoraError(error, "TaskPendingError")) throw error;
        return client.waitForTask(error.taskId, { pollIntervalMs: 200 });
      })) as { data: Array<Record<string, unknown>> };
      const value = result.data[0]?.[plan.field];
      if (typeof value !== "string")
        throw new Error(`${source.label} returned no ${plan.field} for ${operation.label} to use`);
      return value;
    })());
}

for (const operation of operations) {
  const id = operation.operationId!;
  const cases = casesOf.get(operation)!;
  // Fields the client fills in when the caller leaves them out (the page's example model): for
  // these, "missing" is the server's business (the raw body is invalid) but never reaches it through the client.
  const clientDefaults: Record<string, unknown> = { model: defaultModelOf(id) };
  const filledInByClient = (item: RequestCase) => item.kind === "required-missing" && item.field! in clientDefaults;
  const plan = sourcePlans.get(operation) ?? { kind: "case" };
  const source = sourceValue(operation, plan);

  const suite =
    `${operation.label}: requests derived from its verbatim spec; ` +
    `the server's verdict and the client's agree (${target.state.mode} mode)`;
  describe(suite, () => {
    test(`${operation.label}: the spec yields every kind of case, one title each`, () => {
      const kinds = new Set(cases.map((item) => item.kind));
      // Models sharing a path: each must reject the values only its neighbours allow.
      const own = operation.requestSchema.properties ?? {};
      const shared = Object.entries(neighbourValues(operation, operations)).some(([name, values]) =>
        values.some((value) => own[name]?.enum && !own[name].enum.includes(value)),
      );
      expect([...kinds].sort()).toEqual(
        [
          "combination",
          "extra-property",
          ...(shared ? ["neighbour-value"] : []),
          "optional-omitted",
          "outside-enum",
          "required-missing",
          "wrong-type",
        ].sort(),
      );
      const given = givenValues(operation, target.config);
      const enums = Object.entries(operation.requestSchema.properties ?? {})
        .filter(([name, property]) => property.enum && !(name in given))
        .map(([, property]) => property);
      const combinations = enums.reduce((product, property) => product * property.enum!.length, 1);
      expect(cases.filter((item) => item.kind === "combination")).toHaveLength(combinations);
      expect(new Set(cases.map((item) => item.title)).size).toBe(cases.length);
    });

    const invalid = `${operation.label}: invalid bodies: the client throws RequestValidationError without sending, `;
    describe(invalid + rejection, () => {
      test.each(table(cases.filter((item) => !item.valid && !filledInByClient(item))))(
        `${operation.label}: %s`,
        async (_title, item) => {
          const { fetch, sent } = replayFetch(200, EMPTY_SUCCESS);
          const error = await callOperation(contractClient(target, { fetch }), operation, item.body).catch(
            (caught: unknown) => caught,
          );
          expect(error).toBeInstanceOf(RequestValidationError);
          expect(sent).toHaveLength(0);
          if (item.field)
            expect((error as RequestValidationError).issues.map((issue) => issue.path)).toContain(`/${item.field}`);
          expectHonoured(target, operation, await postRaw(target, operation, item.body), false);
        },
      );
    });

    describe(`${operation.label}: a required field the client fills in`, () => {
      test.each(table(cases.filter(filledInByClient)))(
        `${operation.label}: %s: the server rejects the raw body and requestIssues agrees, ` +
          "but the client fills in the default and sends a valid body",
        async (_title, item) => {
          expect(requestIssues(id, item.body)).toContainEqual({ path: `/${item.field}`, message: "is required" });
          const { fetch, sent } = replayFetch(200, EMPTY_SUCCESS);
          await callOperation(contractClient(target, { fetch }), operation, item.body);
          expect(sent[0]!.body).toStrictEqual({ ...item.body, [item.field!]: clientDefaults[item.field!] });
          expect(requestIssues(id, sent[0]!.body)).toEqual([]);
          expectHonoured(target, operation, await postRaw(target, operation, item.body), false);
        },
      );
    });

    const validSuite =
      `${operation.label}: valid bodies: the client sends them unchanged, ` +
      "the server answers 200 with a spec-valid body, the client returns it whole";
    describe(validSuite, () => {
      for (const item of cases.filter((candidate) => candidate.valid)) {
        const title = `${operation.label}: ${item.title}`;
        if (plan.kind === "skip") {
          recordEvent("budget-skip");
          test.skip(`${title} (${plan.reason})`, () => undefined);
          continue;
        }
        paidTest(
          target,
          title,
          async () => {
            const body = plan.kind === "generate" ? { ...item.body, [plan.field]: await source() } : item.body;
            const { fetch, exchanges } = teeFetch();
            const result = await callOperation(contractClient(target, { fetch }), operation, body).catch(
              (caught: unknown) => caught,
            );
            expect(exchanges).toHaveLength(1);
            const [exchange] = exchanges;
            expect(exchange!.requestBody).toStrictEqual(body);
            // A provider on the asynchronous flow answers a valid request with a task: accepted and
            // billed, never a video; the client must report it as TaskPendingError with its id.
            if (exchange!.status === 200 && answerShapeOf(exchange!) === "task") {
              expect(taskAnswerBreach(result, exchange!)).toBeUndefined();
              return;
            }
            expectHonoured(target, operation, exchange!, true);
            if (result instanceof Error) throw result;
            expect(result).toStrictEqual(exchange!.json);
          },
          paidPlans.get(item),
        );
      }
    });

    describe(`${operation.label}: header parameters the spec requires`, () => {
      const required = operation.headers.filter((header) => header.required).map((header) => [header.name] as const);
      const valid = cases.find((item) => item.valid)!.body;

      test(`${operation.label}: the spec requires Authorization`, () => {
        expect(required).toContainEqual(["Authorization"]);
      });

      test.each(required)(`${operation.label}: a request without %s is rejected by the server`, async (name) => {
        expectHonoured(target, operation, await postRaw(target, operation, valid, { omitHeaders: [name] }), false);
      });

      const always =
        `${operation.label}: the client always sends Authorization (the raw key) ` +
        "and refuses to run without a key (ConfigurationError, nothing sent)";
      test(always, async () => {
        const { fetch, sent } = replayFetch(200, EMPTY_SUCCESS);
        await callOperation(contractClient(target, { fetch }), operation, valid);
        expect(sent[0]!.headers.authorization).toBe(target.config.apiKey);
        expect(() => createSoraClient({ baseUrl: target.url, apiKey: "", fetch })).toThrow(ConfigurationError);
        expect(sent).toHaveLength(1);
      });
    });
  });
}

test("every verbatim page's operation is one the client knows (OPERATIONS), and the suite covers them all", () => {
  expect(operations.map((operation) => operation.operationId).sort()).toEqual(Object.keys(OPERATIONS).sort());
});
