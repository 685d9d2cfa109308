import { redacted, type Exchange } from "./exchange";
import { contractBreach } from "./response-contract";
import type { Target } from "./target";

/**
 * Fails with the breach, the request and the (redacted) response when the server's answer breaks
 * the contract: a valid request must get a documented 2xx with a schema-valid JSON body, an
 * invalid one a 400/401/403/422.
 */
export function expectHonoured(target: Target, exchange: Exchange, shouldAccept: boolean): void {
  const breach = contractBreach(exchange, shouldAccept);
  if (breach === undefined) return;
  const response = redacted(target, exchange.text.slice(0, 2_000));
  throw new Error(`${target.url} ${breach}\nrequest body: ${JSON.stringify(exchange.requestBody)}\nresponse body: ${response}`);
}
