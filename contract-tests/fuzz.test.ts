import fc from "fast-check";
import { requestIssues } from "../src/validation";
import { requestBodies } from "./support/arbitraries";
import { postRaw, redacted } from "./support/exchange";
import { contractOperation } from "./support/spec";
import { currentTarget } from "./support/target";
import { expectHonoured } from "./support/verdicts";

const target = currentTarget();
const { fuzzRuns, fuzzSeed } = target.config;
const operation = contractOperation();
// Against a provider a valid body could be billed: only near misses are generated there.
const bodies = requestBodies(operation.requestSchema, { invalidOnly: !target.mockMode });

describe(`differential fuzzing: the client's validator and the server agree (seed ${fuzzSeed}, ${fuzzRuns} runs; replay with CONTRACT_FUZZ_SEED)`, () => {
  test(`${fuzzRuns} generated bodies, ${target.mockMode ? "valid and near-miss invalid" : "near-miss invalid only (provider mode)"}: requestIssues() is empty exactly when the server answers 2xx`, async () => {
    const verdicts = { accepted: 0, rejected: 0 };
    await fc.assert(
      fc.asyncProperty(bodies, async (body) => {
        const wire = JSON.parse(JSON.stringify(body)) as unknown;
        const clientAccepts = requestIssues("/v1/videos/generations", wire).length === 0;
        if (clientAccepts && !target.mockMode) throw new Error(`refusing to send a body the client accepts to a provider (it could be billed): ${JSON.stringify(wire)}`);
        const exchange = await postRaw(target, wire);
        const serverAccepts = exchange.status >= 200 && exchange.status < 300;
        if (clientAccepts !== serverAccepts) {
          throw new Error(
            `client ${clientAccepts ? "accepts" : "rejects"} but server answered ${exchange.status}\nbody: ${JSON.stringify(wire)}\nclient issues: ${JSON.stringify(requestIssues("/v1/videos/generations", wire))}\nresponse: ${redacted(target, exchange.text.slice(0, 1_000))}`,
          );
        }
        expectHonoured(target, exchange, serverAccepts);
        if (target.mockMode) expect([200, 422]).toContain(exchange.status);
        verdicts[serverAccepts ? "accepted" : "rejected"] += 1;
      }),
      { seed: fuzzSeed, numRuns: fuzzRuns },
    );
    expect(verdicts.accepted + verdicts.rejected).toBe(fuzzRuns);
    expect(verdicts.rejected).toBeGreaterThanOrEqual(fuzzRuns / 4);
    if (target.mockMode) expect(verdicts.accepted).toBeGreaterThanOrEqual(fuzzRuns / 4);
  }, 120_000);
});
