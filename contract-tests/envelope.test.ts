import type { IncomingMessage, ServerResponse } from "node:http";
import { startHttpServer, type TestServer } from "../test/helpers/http-server";
import { postRaw, type Exchange } from "./support/exchange";
import { contractBreach, envelopeIssues } from "../src/verify/response-contract";
import { contractOperations } from "../src/verify/spec";
import { currentTarget } from "./support/target";

const target = currentTarget();
const operations = contractOperations();

function exchange(status: number, json: unknown): Exchange {
  const text = JSON.stringify(json) ?? "";
  return { requestBody: {}, status, contentType: "application/json", text, json };
}

describe("the envelope rule: a provider's 4xx/5xx must carry the gateway's envelope (verdict, no traffic)", () => {
  test.each<[string, number, unknown, RegExp | undefined]>([
    [
      "the documented envelope",
      422,
      { error: { code: 422, message: "bad", type: "invalid_request_error", param: "prompt" } },
      undefined,
    ],
    ["the envelope without type and param", 401, { error: { code: 401, message: "no key" } }, undefined],
    ["extra top-level fields beside it", 400, { error: { code: 400, message: "bad" }, issues: [] }, undefined],
    [
      "Prism's problem+json",
      422,
      { type: "https://stoplight.io/prism/errors#UNPROCESSABLE_ENTITY", title: "Invalid", status: 422 },
      /not \{"error"/,
    ],
    ["a bare error string", 400, { error: "bad request" }, /not \{"error"/],
    ["code missing", 400, { error: { message: "bad" } }, /error\.code is undefined, not the HTTP status 400/],
    ["code as a string", 403, { error: { code: "403", message: "flagged" } }, /error\.code is "403"/],
    [
      "code not the HTTP status",
      422,
      { error: { code: 400, message: "bad" } },
      /error\.code is 400, not the HTTP status 422/,
    ],
    ["message missing", 401, { error: { code: 401, type: "authentication_error" } }, /error\.message is not a string/],
    ["type not a string", 400, { error: { code: 400, message: "bad", type: 7 } }, /error\.type is not a string/],
    ["an HTML page (no JSON)", 400, undefined, /not \{"error"/],
  ])("%s (status %i)", (_name, status, json, problem) => {
    const breach = contractBreach(operations[0]!, exchange(status, json), false, { envelope: true });
    if (problem) expect(breach).toMatch(problem);
    else expect(breach).toBeUndefined();
    expect(contractBreach(operations[0]!, exchange(status, json), false, { envelope: false })).toBeUndefined();
  });

  test("a rejection status outside 400/401/403/422 is a breach whatever its body", () => {
    expect(envelopeIssues(exchange(500, { error: { code: 500, message: "x" } }))).toEqual([]);
    expect(contractBreach(operations[0]!, exchange(500, { error: { code: 500, message: "x" } }), false)).toMatch(
      /status 500, not one of/,
    );
  });
});

describe("the envelope rule against loopback providers (suite self-test: runs in both modes)", () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  const answering =
    (status: number, body: string, type = "application/json") =>
    (_request: IncomingMessage, res: ServerResponse) => {
      res.writeHead(status, { "content-type": type });
      res.end(body);
    };
  const provider = { ...target, mockMode: false };

  test.each(operations.map((operation) => [operation.label, operation] as const))(
    "%s: a provider that rejects without the envelope fails the check; the same rejection in the envelope passes",
    async (_label, operation) => {
      server = await startHttpServer(answering(422, JSON.stringify({ detail: "prompt is required" })));
      const bare = await postRaw({ ...provider, url: server.url }, operation, {});
      expect(contractBreach(operation, bare, false, { envelope: true })).toMatch(
        /422 without the gateway's error envelope/,
      );
      await server.close();
      server = await startHttpServer(
        answering(422, JSON.stringify({ error: { code: 422, message: "prompt is required", param: "prompt" } })),
      );
      const enveloped = await postRaw({ ...provider, url: server.url }, operation, {});
      expect(contractBreach(operation, enveloped, false, { envelope: true })).toBeUndefined();
      expect(server.requests.map((request) => `${request.method} ${request.url}`)).toEqual([
        `${operation.method} ${operation.path}`,
      ]);
    },
  );

  test("an HTML 401 page fails the check", async () => {
    server = await startHttpServer(answering(401, "<html><body>401 Unauthorized</body></html>", "text/html"));
    const answer = await postRaw(
      { ...provider, url: server.url },
      operations[0]!,
      {},
      { omitHeaders: ["Authorization"] },
    );
    expect(contractBreach(operations[0]!, answer, false, { envelope: true })).toMatch(
      /401 without the gateway's error envelope/,
    );
  });
});
