import { isLoopback } from "../loopback";
import { longCallFetch } from "../node/transport";
import { scrubText } from "../node/record/scrub";
import { modelOf, operationFor } from "../operations";
import { answerShapeOf, taskAnswerBreach } from "./answer-shape";
import type { RequestCase } from "./cases";
import { checkClient, parserBreach } from "./client-check";
import { ProviderUnreachableError, VerifyUsageError } from "./errors";
import { sendRaw, teeFetch, type Exchange, type RawOptions } from "./exchange";
import { interleave, operationCases, planSource, sourceOperation, type CaseSettings, type SourcePlan } from "./plan";
import { summarize, type CaseResult, type VerifyReport } from "./report";
import { contractBreach } from "./response-contract";
import { selectOperations } from "./select";
import { contractOperations, specFiles, type ContractOperation } from "./spec";

/** Options of `verifyProvider`. */
export interface VerifyOptions {
  /** The provider's base URL (https, or http to loopback unless `allowInsecureHttp`). */
  baseUrl: string;
  /** The provider's key; sent in Authorization, never reported. */
  apiKey: string;
  /** One operation only: its path, page name or operationId. @default every operation */
  operation?: string;
  /** Valid (billable) requests allowed, all operations together. @default 0 */
  paidCalls?: number;
  /** Free text and models valid requests send; a remix's `video_id` (else one paid generation makes it). */
  settings?: Partial<CaseSettings>;
  /** Where the verbatim specs are. @default the installed package's spec/openapi */
  specDir?: string;
  /** Lets plain http reach a non-loopback host. @default false */
  allowInsecureHttp?: boolean;
  /** Time allowed per invalid request, in ms. @default 60000 */
  requestTimeoutMs?: number;
  /** Time allowed per paid call, in ms (renders take minutes). @default 900000 */
  paidTimeoutMs?: number;
  /** Called with each result as it is known (for printing failures as they come). */
  onResult?: (result: CaseResult) => void;
  /** The transport. @default the long-call transport of the Node entry */
  fetch?: typeof fetch;
}

const DEFAULT_VALUES = {
  prompt: "A paper boat drifts across a still pond",
  image_url: "https://example.com/verify-first-frame.png",
};
const NAMES = { videoId: "--video-id", paidCalls: "--paid-calls" };
const excerpt = (text: string, limit = 300) => (text.length > limit ? `${text.slice(0, limit)}…` : text);

function checkedUrl(raw: string, allowInsecureHttp: boolean): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new VerifyUsageError(`--base-url is not a URL: ${JSON.stringify(raw)}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new VerifyUsageError(`--base-url must be http(s), got ${url.origin}`);
  if (url.protocol === "http:" && !isLoopback(url) && !allowInsecureHttp) {
    throw new VerifyUsageError(`Refusing plain http to ${url.host}: the key would travel in clear text (use https).`);
  }
  return raw.replace(/\/+$/, "");
}

/** A run in progress: its settings, the paid-call slots left and the results so far. */
class Run {
  readonly results: CaseResult[] = [];
  private slots: number;
  private answered = false;

  constructor(
    readonly options: Required<Pick<VerifyOptions, "apiKey" | "paidCalls" | "requestTimeoutMs" | "paidTimeoutMs">> &
      VerifyOptions,
    readonly url: string,
    readonly fetch: typeof globalThis.fetch,
  ) {
    this.slots = options.paidCalls;
  }

  /** Takes one paid-call slot; with `keep`, only when that many more stay free afterwards. */
  claim(keep = 0): boolean {
    if (this.slots <= keep) return false;
    this.slots -= 1;
    return true;
  }

  scrub(text: string): string {
    return scrubText(text, this.options.apiKey);
  }

  add(result: CaseResult): void {
    this.results.push(result);
    this.options.onResult?.(result);
  }

  /** Notes that the provider answered; a transport failure before the first answer means unreachable. */
  transportFailure(error: unknown): string {
    if (!this.answered) throw new ProviderUnreachableError(this.url, error);
    return `no answer (${this.scrub((error as Error).message)})`;
  }

  markAnswered(): void {
    this.answered = true;
  }

  received(exchange: Exchange): string {
    const type = exchange.contentType ? ` ${exchange.contentType.split(";")[0]}` : "";
    return `${exchange.status}${type} ${this.scrub(excerpt(exchange.text))}`;
  }

  sent(body: unknown, note = ""): string {
    return `${this.scrub(excerpt(JSON.stringify(body)))}${note}`;
  }
}

async function rejectionCase(
  run: Run,
  operation: ContractOperation,
  title: string,
  body: unknown,
  raw: RawOptions = {},
): Promise<void> {
  const started = Date.now();
  const note = raw.omitHeaders ? ` without ${raw.omitHeaders.join(", ")}` : "";
  const base = { operation: operation.label, title, paid: false, sent: run.sent(body, note) };
  let exchange: Exchange;
  try {
    const signal = AbortSignal.timeout(run.options.requestTimeoutMs);
    exchange = await sendRaw({ url: run.url, apiKey: run.options.apiKey, fetch: run.fetch }, operation, body, {
      ...raw,
      signal,
    });
  } catch (error) {
    const rule = run.transportFailure(error);
    run.add({ ...base, outcome: "failed", rule, durationMs: Date.now() - started });
    return;
  }
  run.markAnswered();
  const breach = contractBreach(operation, exchange, false, { envelope: true });
  const received = run.received(exchange);
  const outcome = breach === undefined ? "passed" : "failed";
  run.add({
    ...base,
    outcome,
    received,
    ...(breach ? { rule: run.scrub(breach) } : {}),
    durationMs: Date.now() - started,
  });
}

/** One paid call through the client (teed): checked by the spec's own schema and by the client's parser. */
async function paidCase(
  run: Run,
  operation: ContractOperation,
  title: string,
  body: unknown,
): Promise<Exchange | undefined> {
  const started = Date.now();
  const tee = teeFetch(run.fetch);
  const client = checkClient({
    baseUrl: run.url,
    apiKey: run.options.apiKey,
    fetch: tee.fetch,
    timeoutMs: run.options.paidTimeoutMs,
    allowInsecureHttp: run.options.allowInsecureHttp,
  });
  const id = operation.operationId ?? operationFor(operation.method, operation.path, modelOf(body));
  const result = await (
    id === undefined
      ? Promise.reject(new Error(`the client has no operation for ${operation.label}`))
      : client.call(id, body as never)
  ).catch((caught: unknown) => caught);
  const [exchange] = tee.exchanges;
  const base = { operation: operation.label, title, paid: true, sent: run.sent(body) };
  if (exchange === undefined) {
    const rule = run.transportFailure(result);
    run.add({ ...base, outcome: "failed", rule, durationMs: Date.now() - started });
    return undefined;
  }
  run.markAnswered();
  // A synchronous page's valid request may be answered by the asynchronous flow's task envelope.
  const answer = exchange.status >= 200 && exchange.status < 300 ? answerShapeOf(exchange) : undefined;
  const breach =
    answer === "task"
      ? taskAnswerBreach(result, exchange)
      : (contractBreach(operation, exchange, true, { envelope: true }) ?? parserBreach(result, exchange));
  const outcome = breach === undefined ? "passed" : "failed";
  const rule = breach === undefined ? {} : { rule: run.scrub(breach) };
  const shape = answer === undefined ? {} : { answer };
  run.add({ ...base, outcome, received: run.received(exchange), ...rule, ...shape, durationMs: Date.now() - started });
  // A task holds no video (nor the video_id a remix needs): only a finished video is a source.
  return breach === undefined && answer !== "task" ? exchange : undefined;
}

/** The memoised source value (a remix's video_id) made by one paid generation. */
function sourceMaker(run: Run, all: readonly ContractOperation[], settings: CaseSettings) {
  const made = new Map<string, Promise<unknown>>();
  return (operation: ContractOperation, field: string): Promise<unknown> => {
    let value = made.get(field);
    if (!value) {
      const source = sourceOperation(field, all);
      const body = operationCases(source, settings).find((item) => item.valid)!.body;
      const title = `a paid generation for the ${field} that ${operation.label}'s valid requests need`;
      value = paidCase(run, source, title, body).then((exchange) => {
        const item = (exchange?.json as { data?: Array<Record<string, unknown>> } | undefined)?.data?.[0];
        return item?.[field];
      });
      made.set(field, value);
    }
    return value;
  };
}

async function validCases(run: Run, selected: ContractOperation[], all: ContractOperation[], settings: CaseSettings) {
  const plans = new Map<ContractOperation, SourcePlan>();
  const source = sourceMaker(run, all, settings);
  const pairs = selected.map((operation) =>
    operationCases(operation, settings)
      .filter((item) => item.valid)
      .map((item) => [operation, item] as [ContractOperation, RequestCase]),
  );
  for (const [operation, item] of interleave(pairs)) {
    if (!plans.has(operation)) {
      const context = {
        mode: "provider" as const,
        videoId: settings.videoId,
        budget: run.options.paidCalls,
        names: NAMES,
      };
      // A source generation is worth a slot only when the case that needs it can have one too.
      plans.set(operation, planSource(operation, all, { ...context, claim: () => run.claim(1) }));
    }
    const plan = plans.get(operation)!;
    const skip = (rule: string) =>
      run.add({ operation: operation.label, title: item.title, outcome: "skipped", paid: false, rule, durationMs: 0 });
    if (plan.kind === "skip") skip(plan.reason);
    else if (!run.claim()) skip(`skipped: a paid call beyond --paid-calls=${run.options.paidCalls}`);
    else {
      const value = plan.kind === "generate" ? await source(operation, plan.field) : undefined;
      if (plan.kind === "generate" && typeof value !== "string") {
        skip(`skipped: the paid generation for ${plan.field} returned none`);
        continue;
      }
      const body = plan.kind === "generate" ? { ...item.body, [plan.field]: value } : item.body;
      await paidCase(run, operation, item.title, body);
    }
  }
}

/**
 * Verifies a provider against the verbatim specs: every operation's invalid cases (each required
 * field missing, each enum value outside its set, each wrong type, extra properties where the
 * schema forbids them, no Authorization) must be rejected with 400/401/403/422 in the gateway's
 * error envelope; at most `paidCalls` valid requests (billed), each answer checked by an Ajv
 * 2020-12 validator compiled from the verbatim spec and by the client's own parser; any other
 * status fails. Throws ProviderUnreachableError when the first request gets no answer, and
 * VerifyUsageError for unusable options (nothing sent).
 */
export async function verifyProvider(options: VerifyOptions): Promise<VerifyReport> {
  const started = Date.now();
  const resolved = { paidCalls: 0, requestTimeoutMs: 60_000, paidTimeoutMs: 900_000, ...options };
  if (!Number.isInteger(resolved.paidCalls) || resolved.paidCalls < 0)
    throw new VerifyUsageError("paidCalls must be a whole number ≥ 0");
  const url = checkedUrl(options.baseUrl, options.allowInsecureHttp ?? false);
  const all = contractOperations(specFiles(options.specDir));
  const selected = selectOperations(all, options.operation);
  const settings: CaseSettings = {
    values: { ...DEFAULT_VALUES, ...options.settings?.values },
    models: { ...options.settings?.models },
    videoId: options.settings?.videoId,
  };
  const run = new Run(resolved, url, options.fetch ?? longCallFetch);
  for (const operation of selected) {
    const cases = operationCases(operation, settings, all);
    for (const item of cases.filter((candidate) => !candidate.valid))
      await rejectionCase(run, operation, item.title, item.body);
    const valid = cases.find((item) => item.valid)!.body;
    for (const header of operation.headers.filter((candidate) => candidate.required)) {
      const title = `rejects a request without the required ${header.name} header`;
      await rejectionCase(run, operation, title, valid, { omitHeaders: [header.name] });
    }
  }
  await validCases(run, selected, all, settings);
  return {
    results: run.results,
    summary: summarize("provider", url, run.results, resolved.paidCalls, Date.now() - started),
  };
}
