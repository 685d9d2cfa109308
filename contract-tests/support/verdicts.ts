import { redacted, type Exchange } from "./exchange";
import { contractBreach } from "../../src/verify/response-contract";
import type { ContractOperation } from "../../src/verify/spec";
import type { Target } from "./target";

/**
 * Fails with the breach, the operation, the request and the (redacted) response when the server's
 * answer breaks the contract: a valid request must get a documented 2xx with a schema-valid JSON
 * body, an invalid one a 400/401/403/422 — in provider mode in the gateway's error envelope (Prism
 * answers its own problem+json, so the envelope is not asked of it).
 */
export function expectHonoured(
  target: Target,
  operation: ContractOperation,
  exchange: Exchange,
  shouldAccept: boolean,
): void {
  const breach = contractBreach(operation, exchange, shouldAccept, { envelope: !target.mockMode });
  if (breach === undefined) return;
  const response = redacted(target, exchange.text.slice(0, 2_000));
  const request = JSON.stringify(exchange.requestBody);
  throw new Error(`${target.url} ${operation.label} ${breach}\nrequest body: ${request}\nresponse body: ${response}`);
}
