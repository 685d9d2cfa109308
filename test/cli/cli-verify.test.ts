import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startMockServer, type MockServer } from "../../src/node/mock/index";
import { modelOf, operationFor } from "../../src/operations";
import { operationRequestIssues, requestIssues } from "../../src/validation";
import { ROOT, installPackedPackage } from "../helpers/packed-package";
import { closedPort, sendJson, useServers, type SeenRequest } from "../helpers/server";
import { runCli, type CliRun } from "./helpers/run-cli";
import { useTempDir } from "./helpers/temp-dir";

/** The summary of `verify --json`, as the tests read it. */
interface VerifySummary {
  skippedForBudget: number;
  casesPerOperation: Record<string, number>;
  [field: string]: unknown;
}

/** One case of `verify --json`, as the tests read it. */
interface VerifyResult {
  operation: string;
  outcome: string;
  rule: string;
  [field: string]: unknown;
}

const KEY = "sk-canary-verify-5d1e0b7a";
const RECORDINGS = join(ROOT, "contract-tests", "recordings");
const DRIFTED = join(ROOT, "contract-tests", "fixtures", "drifted-recordings");
const GOOD_BODY = { created: 1_796_000_000, data: [{ url: "https://cdn.example/v.mp4?sig=abc", video_id: "video_1" }] };

/** How a test provider classifies a request: no key, invalid by the spec, or valid (billable). */
function kindOf(request: SeenRequest): "no-auth" | "invalid" | "valid" {
  if (!request.headers.authorization) return "no-auth";
  let body: unknown;
  try {
    body = JSON.parse(request.body);
  } catch {
    return "invalid";
  }
  const id = operationFor("POST", request.url, modelOf(body));
  if (id === undefined) return "invalid";
  return operationRequestIssues(id, body).length > 0 ? "invalid" : "valid";
}

const envelope = (status: number) => ({ error: { code: status, message: "rejected", type: "invalid_request_error" } });

/**
 * `sora-video verify` as a downstream team runs it: the bin of a package installed from the
 * `npm pack` tarball into a temporary project (no repository, no jest, no Prism), against
 * loopback providers of every kind. The canary key must never appear in any output or file.
 */
describe("sora-video verify from the packed package, against loopback providers", () => {
  let packDir: string;
  let bin: string;
  const serve = useServers();
  const temp = useTempDir("sora-verify-");
  const mocks: MockServer[] = [];
  afterEach(async () => {
    await Promise.all(mocks.splice(0).map((mock) => mock.close()));
  });

  beforeAll(async () => {
    packDir = await mkdtemp(join(tmpdir(), "sora-verify-pack-"));
    const project = join(packDir, "project");
    await mkdir(project);
    await writeFile(join(project, "package.json"), JSON.stringify({ name: "ci-project", private: true }));
    await installPackedPackage(packDir, project);
    bin = join(project, "node_modules", "sora-video-client", "dist", "cli.mjs");
  }, 180_000);
  afterAll(() => rm(packDir, { recursive: true, force: true }));

  /** Runs the installed bin with only the canary key in its environment; checks the key leaked nowhere. */
  async function verify(args: string[], files: string[] = []): Promise<CliRun> {
    const result = await runCli(["verify", ...args], { bin, env: { ONEROUTER_API_KEY: KEY }, timeoutMs: 120_000 });
    expect(result.stdout).not.toContain(KEY);
    expect(result.stderr).not.toContain(KEY);
    for (const file of files) expect(await readFile(file, "utf8")).not.toContain(KEY);
    return result;
  }

  const failLines = (result: CliRun) => result.stdout.split("\n").filter((line) => line.startsWith("FAIL "));

  test("a faithful provider (the embedded mock): exit 0, the budget used, never exceeded; JUnit written", async () => {
    const mock = await startMockServer({ apiKey: KEY });
    mocks.push(mock);
    const junit = join(temp(), "report.xml");
    const result = await verify(["--base-url", mock.url, "--paid-calls", "3", "--junit", junit, "--json"], [junit]);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { summary: VerifySummary; results: VerifyResult[] };
    expect(mock.stats.accepted).toBe(3);
    expect(report.summary).toMatchObject({ failed: 0, paidCalls: 3, paidBudget: 3 });
    const perOperation = report.summary.casesPerOperation;
    expect(Object.keys(perOperation).sort()).toEqual([
      "sora-2-pro-image-to-video (POST /v1/videos/generations)",
      "sora-2-pro-text-to-video (POST /v1/videos/generations)",
      "sora-2-video-to-video (POST /v1/videos/edits)",
    ]);
    const kinds = new Set(report.results.map((item) => item.outcome));
    expect([...kinds].sort()).toEqual(["passed", "skipped"]);
    const xml = await readFile(junit, "utf8");
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites /);
    expect(xml.match(/<testcase /g)).toHaveLength(report.results.length);
    expect(xml).toContain(`failures="0"`);
    expect(xml.match(/<skipped /g)).toHaveLength(report.summary.skippedForBudget);
  }, 60_000);

  test("a provider on the asynchronous flow (the mock in async mode): task answers are accepted, and the report says so", async () => {
    const mock = await startMockServer({ apiKey: KEY, mode: "async" });
    mocks.push(mock);
    const result = await verify(["--base-url", mock.url, "--paid-calls", "2", "--json"]);
    const report = JSON.parse(result.stdout) as { summary: VerifySummary; results: VerifyResult[] };
    expect(report.summary.answers).toEqual({ video: 0, task: 2 });
    expect(report.results.filter((item) => item.answer === "task").every((item) => item.outcome === "passed")).toBe(
      true,
    );
    expect(result.code).toBe(0);
    const text = await verify(["--base-url", mock.url, "--paid-calls", "1", "--operation", "createTextToVideo"]);
    expect(text.stdout).toMatch(
      /1 paid calls made \(--paid-calls 1\), \d+ skipped for the budget; answered with 0 videos and 1 task \(the asynchronous flow\)/,
    );
  }, 60_000);

  test("the default budget is 0: no valid request is sent, each valid case skipped and counted", async () => {
    const mock = await startMockServer({ apiKey: KEY });
    mocks.push(mock);
    const result = await verify(["--base-url", mock.url]);
    expect(result.code).toBe(0);
    expect(mock.stats.accepted).toBe(0);
    expect(result.stdout).toMatch(
      /the contract holds; \d+ cases run, 0 paid calls made \(--paid-calls 0\), [1-9]\d* skipped/,
    );
  }, 60_000);

  test("a provider lenient with invalid requests: exit 1, one line per invalid case it accepted", async () => {
    const server = await serve((_request, response) => sendJson(response, 200, GOOD_BODY));
    const result = await verify(["--base-url", server.url, "--paid-calls", "1"]);
    expect(result.code).toBe(1);
    const lines = failLines(result);
    const invalid = server.requests.filter((request) => kindOf(request) !== "valid");
    expect(lines).toHaveLength(invalid.length);
    expect(lines.every((line) => / \| sent .* \| got 200 .* \| broke: accepted an invalid request/.test(line))).toBe(
      true,
    );
    expect(server.requests.filter((request) => kindOf(request) === "valid")).toHaveLength(1);
    expect(result.stdout).not.toContain("sig=abc");
  }, 60_000);

  test("a provider wrong in its 200 bodies (and echoing the key): exit 1, the schema named, key redacted", async () => {
    const server = await serve((request, response) => {
      const kind = kindOf(request);
      if (kind === "valid")
        sendJson(response, 200, { created: "yesterday", data: "none", echo: request.headers.authorization });
      else sendJson(response, kind === "no-auth" ? 401 : 400, envelope(kind === "no-auth" ? 401 : 400));
    });
    const junit = join(temp(), "report.xml");
    const result = await verify(["--base-url", server.url, "--paid-calls", "2", "--junit", junit], [junit]);
    expect(result.code).toBe(1);
    const lines = failLines(result);
    expect(lines).toHaveLength(2);
    for (const line of lines)
      expect(line).toMatch(/got 200 .*\[redacted\].* \| broke: answered 200 with a body that breaks the spec/);
    expect(server.requests.filter((request) => kindOf(request) === "valid")).toHaveLength(2);
    expect(await readFile(junit, "utf8")).toContain(`failures="2"`);
  }, 60_000);

  test("a provider answering an undocumented status: exit 1; rejections without the envelope fail too", async () => {
    const server = await serve((request, response) => {
      const kind = kindOf(request);
      if (kind === "valid") sendJson(response, 202, GOOD_BODY);
      else if (request.url === "/v1/videos/edits") sendJson(response, 422, { detail: "invalid" });
      else sendJson(response, 400, envelope(400));
    });
    const result = await verify(["--base-url", server.url, "--paid-calls", "1", "--json"]);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as { results: VerifyResult[] };
    const failed = report.results.filter((item) => item.outcome === "failed");
    expect(failed.filter((item) => /undocumented status 202/.test(item.rule))).toHaveLength(1);
    const remix = failed.filter((item) => item.operation.includes("/v1/videos/edits"));
    expect(remix.length).toBeGreaterThan(0);
    expect(remix.every((item) => /without the gateway's error envelope/.test(item.rule))).toBe(true);
    expect(server.requests.filter((request) => kindOf(request) === "valid")).toHaveLength(1);
    expect(failLines({ ...result, stdout: result.stderr })).toHaveLength(failed.length);
  }, 60_000);

  const TEXT_MODEL = "sora-2-pro-text-to-video";
  const bodyOf = (request: SeenRequest): Record<string, unknown> => {
    try {
      return JSON.parse(request.body) as Record<string, unknown>;
    } catch {
      return {};
    }
  };

  test('a provider lenient on the text-to-video enums ("auto" accepted): exit 1, exactly those cases fail', async () => {
    const server = await serve((request, response) => {
      const body = bodyOf(request);
      const lenient = body.model === TEXT_MODEL && (body.resolution === "auto" || body.aspect_ratio === "auto");
      if (lenient || kindOf(request) === "valid") return sendJson(response, 200, GOOD_BODY);
      sendJson(response, 400, envelope(400));
    });
    const result = await verify(["--base-url", server.url, "--operation", "createTextToVideo", "--paid-calls", "1"]);
    expect(result.code).toBe(1);
    const lines = failLines(result);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain(`FAIL ${TEXT_MODEL} (POST /v1/videos/generations): rejects resolution="auto"`);
    expect(lines[1]).toContain(`FAIL ${TEXT_MODEL} (POST /v1/videos/generations): rejects aspect_ratio="auto"`);
    expect(lines.every((line) => line.includes("broke: accepted an invalid request"))).toBe(true);
  }, 60_000);

  test("a provider that routes a text-to-video body as image-to-video: exit 1, each valid text-to-video case fails", async () => {
    const server = await serve((request, response) => {
      const body = bodyOf(request);
      const asImage = request.url === "/v1/videos/generations" ? { ...body, model: "sora-2-pro-image-to-video" } : body;
      const valid =
        Boolean(request.headers.authorization) && requestIssues("createVideoGeneration", asImage).length === 0;
      if (valid) return sendJson(response, 200, GOOD_BODY);
      sendJson(response, 400, envelope(400));
    });
    const result = await verify(["--base-url", server.url, "--operation", "createTextToVideo", "--paid-calls", "2"]);
    expect(result.code).toBe(1);
    const lines = failLines(result);
    // Every paid (valid) text-to-video case is refused for lacking image_url: the suite names each one.
    expect(lines).toHaveLength(2);
    expect(lines.every((line) => line.includes("broke: answered a valid request with undocumented status 400"))).toBe(
      true,
    );
    expect(lines.every((line) => line.includes(`FAIL ${TEXT_MODEL} (POST /v1/videos/generations)`))).toBe(true);
  }, 60_000);

  test("--operation narrows to one operation (by operationId, page or path)", async () => {
    const mock = await startMockServer({ apiKey: KEY });
    mocks.push(mock);
    for (const name of ["createVideoRemix", "sora-2-video-to-video", "/v1/videos/edits"]) {
      const result = await verify(["--base-url", mock.url, "--operation", name, "--json"]);
      expect(result.code).toBe(0);
      const report = JSON.parse(result.stdout) as { summary: { casesPerOperation: Record<string, number> } };
      expect(Object.keys(report.summary.casesPerOperation)).toEqual(["sora-2-video-to-video (POST /v1/videos/edits)"]);
    }
  }, 60_000);

  test("usage errors and an unreachable provider exit 2, naming the URL; nothing is verified", async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const unreachable = await verify(["--base-url", url]);
    expect(unreachable.code).toBe(2);
    expect(unreachable.stderr).toContain(url);
    const unknown = await verify(["--base-url", url, "--operation", "nope"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/No operation is named "nope"/);
    const noKey = await runCli(["verify", "--base-url", url], { bin });
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toContain("ONEROUTER_API_KEY");
    expect((await verify([])).code).toBe(2);
    expect((await verify(["--base-url", "http://video.example.com"])).stderr).toMatch(/plain http/);
  }, 60_000);

  test("--replay: the committed recordings hold (exit 0), the drifted ones fail (exit 1), no call made", async () => {
    const held = await verify(["--replay", RECORDINGS]);
    expect(held.code).toBe(0);
    expect(held.stdout).toMatch(/the contract holds; 4 recordings checked, no call made/);
    const drifted = await verify(["--replay", DRIFTED, "--junit", join(temp(), "replay.xml")]);
    expect(drifted.code).toBe(1);
    expect(failLines(drifted)).toHaveLength(2);
    expect((await verify(["--replay", join(temp(), "missing")])).code).toBe(2);
  }, 60_000);

  test("generate and remix --record save scrubbed responses that --replay then checks", async () => {
    const mock = await startMockServer({ apiKey: KEY });
    mocks.push(mock);
    const dir = join(temp(), "recorded");
    const env = { ONEROUTER_API_KEY: KEY };
    const common = ["--base-url", mock.url, "--record", dir, "--no-download", "--json"];
    const image = "https://example.com/first.png?X-Amz-Signature=secret";
    const generated = await runCli(["generate", "-p", "a boat", "-i", image, ...common], { bin, env });
    expect(generated.code).toBe(0);
    const videoId = (JSON.parse(generated.stdout) as { video_id: string }).video_id;
    expect((await runCli(["remix", "-v", videoId, "-p", "at night", ...common], { bin, env })).code).toBe(0);
    const files = (await readdir(dir)).map((name) => join(dir, name));
    expect(files).toHaveLength(2);
    for (const file of files) expect(await readFile(file, "utf8")).not.toMatch(/X-Amz-Signature|canary/);
    expect((await verify(["--replay", dir], files)).code).toBe(0);
  }, 60_000);
});
