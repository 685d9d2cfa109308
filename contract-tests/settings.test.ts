import { createServer, type Server } from "node:http";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ContractConfigError, MOCK_API_KEY, readContractConfig } from "./support/config";
import { freePort } from "./support/free-port";
import { probeProvider } from "./support/probe";
import { claimPaidSlot, countEvents, recordEvent, type RunState } from "./support/run-state";
import { summaryLine } from "./support/summary";
import { planPaidTest } from "./support/target";

const KEY = "sk-canary-contract-7e3b9d";

function captureError(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected an error, none was thrown");
}

describe("contract settings: bad input fails fast, naming the variable and the URL, never the key", () => {
  test.each([
    ["ftp://files.example/api", /must be an http\(s\) URL, got "ftp:\/\/files\.example\/api"/],
    ["video.example.com", /is not a URL: "video\.example\.com"/],
    [
      "http://video.example.com",
      /"http:\/\/video\.example\.com\/" is plain http to a non-loopback host.*CONTRACT_ALLOW_INSECURE_HTTP=1/,
    ],
    [`ftp://user:${KEY}@files.example/`, /got "ftp:\/\/files\.example\/"/],
    [`ftp://files.example/?key=${KEY}`, /got "ftp:\/\/files\.example\/\?key=\[redacted\]"/],
  ])("CONTRACT_BASE_URL=%s is refused", (url, message) => {
    const error = captureError(() => readContractConfig({ CONTRACT_BASE_URL: url, ONEROUTER_API_KEY: KEY }));
    expect(error).toBeInstanceOf(ContractConfigError);
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain(KEY);
  });

  test("provider mode without ONEROUTER_API_KEY is refused, naming the URL", () => {
    expect(() => readContractConfig({ CONTRACT_BASE_URL: "https://video.example.com" })).toThrow(
      /set to "https:\/\/video\.example\.com\/" but ONEROUTER_API_KEY is not/,
    );
  });

  test.each(["-1", "two", "1.5"])("CONTRACT_PAID_CALLS=%s is refused", (value) => {
    expect(() => readContractConfig({ CONTRACT_PAID_CALLS: value })).toThrow(ContractConfigError);
  });

  test("no CONTRACT_BASE_URL: mock mode, a fake key (never ONEROUTER_API_KEY), 250 fuzz runs per operation", () => {
    const config = readContractConfig({ ONEROUTER_API_KEY: KEY });
    expect(config).toMatchObject({ mode: "mock", apiKey: MOCK_API_KEY, paidCalls: 0, fuzzRuns: 250 });
  });

  test("CONTRACT_BASE_URL set: provider mode with the key, paid calls default to 0, fewer fuzz runs; loopback http is fine", () => {
    const config = readContractConfig({ CONTRACT_BASE_URL: "http://127.0.0.1:4010/", ONEROUTER_API_KEY: KEY });
    expect(config).toMatchObject({
      mode: "provider",
      providerUrl: "http://127.0.0.1:4010",
      apiKey: KEY,
      paidCalls: 0,
      fuzzRuns: 50,
    });
    expect(
      readContractConfig({ CONTRACT_BASE_URL: "https://v.example", ONEROUTER_API_KEY: KEY, CONTRACT_PAID_CALLS: "3" })
        .paidCalls,
    ).toBe(3);
  });
});

describe("the provider probe", () => {
  let server: Server | undefined;
  afterEach(async () => {
    if (server) await new Promise((resolve) => server!.close(resolve));
    server = undefined;
  });

  test("a URL where nothing listens fails fast with a message naming the URL", async () => {
    const url = `http://127.0.0.1:${await freePort()}/gateway`;
    const started = Date.now();
    await expect(probeProvider(url, 5_000)).rejects.toThrow(
      new RegExp(`provider at CONTRACT_BASE_URL ${url.replace(/[.:/]/g, "\\$&")} does not answer \\(ECONNREFUSED\\)`),
    );
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  test("a server that accepts the connection but never answers fails at the probe's deadline", async () => {
    server = createServer(() => undefined).listen(0, "127.0.0.1");
    await once(server, "listening");
    const { port } = server.address() as { port: number };
    await expect(probeProvider(`http://127.0.0.1:${port}`, 300)).rejects.toThrow(/no answer within 300 ms/);
    server.closeAllConnections();
  });

  test("any HTTP answer counts, and the probe sends no credentials", async () => {
    const seen: Array<string | undefined> = [];
    server = createServer((request, response) => {
      seen.push(request.headers.authorization);
      response.writeHead(404).end();
    }).listen(0, "127.0.0.1");
    await once(server, "listening");
    const { port } = server.address() as { port: number };
    await expect(probeProvider(`http://127.0.0.1:${port}`)).resolves.toBe(404);
    expect(seen).toEqual([undefined]);
  });
});

describe("the paid-call budget and the run summary", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "sora-contract-budget-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const state = (mode: RunState["mode"], paidCallBudget: number): RunState => ({
    mode,
    targetUrl: "http://127.0.0.1:1",
    paidCallBudget,
    prismPid: undefined,
    prismStartMs: undefined,
  });

  test.each([0, 1, 3])("with CONTRACT_PAID_CALLS=%i, exactly that many of 10 claims succeed", (budget) => {
    const claims = Array.from({ length: 10 }, () => claimPaidSlot(budget, dir));
    expect(claims.filter(Boolean)).toHaveLength(budget);
  });

  test("provider mode runs a paid test only with a slot, and says why it skips; mock mode never asks for one", () => {
    const claim = (budget: number) => claimPaidSlot(budget, dir);
    expect(planPaidTest(state("provider", 1), claim)).toEqual({ run: true });
    expect(planPaidTest(state("provider", 1), claim)).toEqual({
      run: false,
      reason: "skipped: would be paid call beyond CONTRACT_PAID_CALLS=1",
    });
    expect(planPaidTest(state("mock", 0), () => false)).toEqual({ run: true });
  });

  test("events counted by parallel writers add up", async () => {
    await Promise.all(Array.from({ length: 25 }, async () => recordEvent("paid-call", dir)));
    expect(countEvents("paid-call", dir)).toBe(25);
    expect(countEvents("budget-skip", dir)).toBe(0);
  });

  test("the summary line names tests run, paid calls, budget skips, Prism start and total time", () => {
    expect(
      summaryLine({
        mode: "provider",
        tests: 61,
        paidCalls: 2,
        budgetSkips: 31,
        budget: 2,
        prismStartMs: undefined,
        totalMs: 8_250,
      }),
    ).toBe(
      "contract summary (provider): 61 tests run, 2 paid calls made, 31 tests skipped for the paid-call budget (CONTRACT_PAID_CALLS=2), no Prism (provider mode), total 8.3 s",
    );
    expect(
      summaryLine({
        mode: "mock",
        tests: 300,
        paidCalls: 0,
        budgetSkips: 0,
        budget: 0,
        prismStartMs: 1_234,
        totalMs: 19_000,
      }),
    ).toMatch(/300 tests run, 0 paid calls made, .*Prism start 1234 ms, total 19\.0 s$/);
  });
});
