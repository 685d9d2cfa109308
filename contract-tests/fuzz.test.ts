import fc from "fast-check";
import { requestIssues } from "../src/validation";
import { requestBodies } from "./support/arbitraries";
import { postRaw, redacted } from "./support/exchange";
import { prefetched } from "./support/prefetch";
import { contractOperations } from "../src/verify/spec";
import { currentTarget } from "./support/target";
import { expectHonoured } from "./support/verdicts";

const target = currentTarget();
const { fuzzRuns, fuzzSeed } = target.config;
const kinds = target.mockMode ? "valid and near-miss invalid" : "near-miss invalid only (provider mode)";

const SUITE =
  "differential fuzzing per operation: the client's validator and the server agree " +
  `(seed ${fuzzSeed}, ${fuzzRuns} runs each; replay with CONTRACT_FUZZ_SEED)`;

describe(SUITE, () => {
  test.each(contractOperations().map((operation) => [operation.label, operation] as const))(
    `%s: ${fuzzRuns} bodies from its own request schema, ${kinds}: ` +
      "requestIssues() is empty exactly when the server answers 2xx",
    async (_label, operation) => {
      const id = operation.operationId!;
      // Against a provider a valid body could be billed: only near misses are generated there.
      const bodies = requestBodies(operation.requestSchema, { invalidOnly: !target.mockMode });
      const verdicts = { accepted: 0, rejected: 0 };
      const wireOf = (body: unknown) => JSON.parse(JSON.stringify(body)) as unknown;
      // The same seed gives fc.sample the bodies fc.assert will draw: they are sent ahead, 8 at a
      // time, except (against a provider) any the client accepts, which are never sent.
      const ahead = fc.sample(bodies, { seed: fuzzSeed, numRuns: fuzzRuns }).map(wireOf);
      const sendable = ahead.filter((wire) => target.mockMode || requestIssues(id, wire).length > 0);
      const answerTo = await prefetched(sendable, (wire) => postRaw(target, operation, wire));
      await fc.assert(
        fc.asyncProperty(bodies, async (body) => {
          const wire = wireOf(body);
          const issues = requestIssues(id, wire);
          const clientAccepts = issues.length === 0;
          if (clientAccepts && !target.mockMode) {
            throw new Error(
              `refusing to send a body the client accepts to a provider (it could be billed): ${JSON.stringify(wire)}`,
            );
          }
          const exchange = await answerTo(wire);
          const serverAccepts = exchange.status >= 200 && exchange.status < 300;
          if (clientAccepts !== serverAccepts) {
            throw new Error(
              `${operation.label}: client ${clientAccepts ? "accepts" : "rejects"} ` +
                `but server answered ${exchange.status}\n` +
                `body: ${JSON.stringify(wire)}\nclient issues: ${JSON.stringify(issues)}\n` +
                `response: ${redacted(target, exchange.text.slice(0, 1_000))}`,
            );
          }
          expectHonoured(target, operation, exchange, serverAccepts);
          if (target.mockMode) expect([200, 422]).toContain(exchange.status);
          verdicts[serverAccepts ? "accepted" : "rejected"] += 1;
        }),
        { seed: fuzzSeed, numRuns: fuzzRuns },
      );
      expect(verdicts.accepted + verdicts.rejected).toBe(fuzzRuns);
      expect(verdicts.rejected).toBeGreaterThanOrEqual(fuzzRuns / 4);
      if (target.mockMode) expect(verdicts.accepted).toBeGreaterThanOrEqual(fuzzRuns / 4);
    },
    120_000,
  );
});
