import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { RECORDING_FORMAT, type Recording } from "../node/record/recording";
import { modelOf, operationFor } from "../operations";
import { checkClient, parserBreach } from "./client-check";
import { VerifyUsageError } from "./errors";
import { parsedJson, type Exchange } from "./exchange";
import { summarize, type CaseResult, type VerifyReport } from "./report";
import { contractBreach, envelopeIssues } from "./response-contract";
import { contractOperations, specFiles, type ContractOperation } from "./spec";

/** Options of `replayRecordings`. */
export interface ReplayOptions {
  /** Where the verbatim specs are. @default the installed package's spec/openapi */
  specDir?: string;
  /** Called with each result as it is known. */
  onResult?: (result: CaseResult) => void;
}

/** Statuses a Response cannot carry a body with. */
const NULL_BODY = new Set([101, 204, 205, 304]);

function exchangeOf(recording: Recording): Exchange {
  const { status, headers, body, text } = recording.response;
  const raw = text ?? JSON.stringify(body);
  return {
    requestBody: recording.request.body,
    status,
    contentType: headers["content-type"] ?? "",
    text: raw,
    json: parsedJson(raw),
  };
}

/** Why a recorded answer breaks the current spec: success rules for 2xx, the envelope for errors. */
function specBreach(operation: ContractOperation, exchange: Exchange): string | undefined {
  if (exchange.status >= 200 && exchange.status < 300) return contractBreach(operation, exchange, true);
  if (exchange.status < 400) return `status ${exchange.status} is neither a documented success nor an error`;
  const issues = envelopeIssues(exchange);
  return issues.length > 0
    ? `error ${exchange.status} without the gateway's error envelope: ${issues.join("; ")}`
    : undefined;
}

/** The client's verdict on the recorded answer, served from memory (no traffic). */
async function clientVerdict(recording: Recording, exchange: Exchange): Promise<unknown> {
  const { status } = exchange;
  const headers = recording.response.headers;
  const fetch = (async () =>
    new Response(NULL_BODY.has(status) ? null : exchange.text, { status, headers })) as typeof globalThis.fetch;
  const client = checkClient({
    baseUrl: "http://127.0.0.1",
    apiKey: "replay-sends-nothing",
    fetch,
    timeoutMs: 60_000,
    validateRequests: false,
  });
  const { method, path } = recording.operation;
  const body = recording.request.body ?? {};
  const id = operationFor(method, path, modelOf(body));
  if (id === undefined) return new Error(`the client has no operation for ${method} ${path}`);
  return client.call(id, body as never).catch((caught: unknown) => caught);
}

async function replayOne(file: string, name: string, operations: readonly ContractOperation[]): Promise<CaseResult> {
  const started = Date.now();
  const recording = parsedJson(await readFile(file, "utf8")) as Recording | undefined;
  const fail = (operation: string, rule: string): CaseResult => ({
    operation,
    title: name,
    outcome: "failed",
    paid: false,
    rule,
    durationMs: Date.now() - started,
  });
  if (recording?.format !== RECORDING_FORMAT) return fail("(not a recording)", `not a ${RECORDING_FORMAT} file`);
  const { method, path } = recording.operation;
  const operation = operations.find(
    (candidate) => candidate.path === path && candidate.method === method.toUpperCase(),
  );
  if (!operation) return fail(`${method} ${path}`, "no operation of the current specs has this method and path");
  const exchange = exchangeOf(recording);
  const breach = specBreach(operation, exchange) ?? parserBreach(await clientVerdict(recording, exchange), exchange);
  const excerpt = exchange.text.length > 300 ? `${exchange.text.slice(0, 300)}…` : exchange.text;
  return {
    operation: operation.label,
    title: name,
    outcome: breach === undefined ? "passed" : "failed",
    paid: false,
    sent: JSON.stringify(recording.request.body),
    received: `${exchange.status} ${excerpt}`,
    ...(breach === undefined ? {} : { rule: breach }),
    durationMs: Date.now() - started,
  };
}

/**
 * Checks recorded responses (`recordResponses` / `--record` files, `*.json` in `dir`) against the
 * current verbatim specs and the client's own parser, without any call: a 2xx must be documented
 * and valid by the operation's 200 schema (Ajv 2020-12) and come back whole from the client; an
 * error must carry the gateway's envelope and surface as the APIError of its status. A directory
 * that does not exist or holds no recording is a VerifyUsageError.
 */
export async function replayRecordings(dir: string, options: ReplayOptions = {}): Promise<VerifyReport> {
  const started = Date.now();
  const names = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    throw new VerifyUsageError(`Cannot read the recordings directory ${dir} (${error.code ?? error.message}).`);
  });
  const files = names.filter((name) => name.endsWith(".json")).sort();
  if (files.length === 0) throw new VerifyUsageError(`No recordings (*.json) in ${dir}.`);
  const operations = contractOperations(specFiles(options.specDir));
  const results: CaseResult[] = [];
  for (const name of files) {
    const result = await replayOne(join(dir, name), name, operations);
    results.push(result);
    options.onResult?.(result);
  }
  return { results, summary: summarize("replay", dir, results, 0, Date.now() - started) };
}
