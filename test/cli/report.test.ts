import {
  ConfigurationError,
  APITimeoutError,
  APIUserAbortError,
  DownloadError,
  RequestValidationError,
} from "../../src";
import { apiErrorFor } from "../../src/errors";
import { InterruptedError, UsageError } from "../../src/cli/exit";
import { debugDetail, errorJson, reportFailure } from "../../src/cli/report";
import { redactingOutput } from "../../src/cli/redacting-output";
import { MockOptionError } from "../../src/node/mock";
import { CANARY_KEY } from "../helpers/fetch";

const apiError = (status: number) =>
  apiErrorFor({
    endpoint: "POST /v1/videos/generations",
    status,
    statusText: "",
    headers: new Headers(),
    body: { error: { message: "nope" } },
    requestId: "req_1",
  });

describe("reportFailure: one line, a hint, the exit code", () => {
  test.each([
    [
      "a usage error",
      new UsageError("No API key: set ONEROUTER_API_KEY.", "run sora-video mock"),
      2,
      /^No API key/,
      /sora-video mock/,
    ],
    [
      "a bad --base-url",
      new ConfigurationError("baseUrl", "baseUrl must be http(s), got ftp:"),
      2,
      /^ConfigurationError: --base-url must be http\(s\)/,
      /--base-url \(or ONEROUTER_BASE_URL\)/,
    ],
    [
      "an invalid request",
      new RequestValidationError([{ path: "/prompt", message: "is required" }]),
      2,
      /^RequestValidationError: .*\/prompt is required/,
      undefined,
    ],
    [
      "a 401",
      apiError(401),
      1,
      /^AuthenticationError: POST \/v1\/videos\/generations → 401/,
      /check ONEROUTER_API_KEY/,
    ],
    ["a 404", apiError(404), 1, /^NotFoundError/, /--base-url/],
    ["a 429 after retries", apiError(429), 1, /^RateLimitError/, /lower --concurrency/],
    ["a 502", apiError(502), 1, /^InternalServerError/, /may have been accepted and billed; it was not re-sent/],
    [
      "a timeout",
      new APITimeoutError(90_000),
      1,
      /^APITimeoutError: Request timed out after 90000 ms/,
      /raise --timeout/,
    ],
    [
      "a failed download",
      new DownloadError("GET http://v/x.mp4 → 404", { url: "http://v/x.mp4", status: 404 }),
      1,
      /^DownloadError/,
      /downloading again costs nothing/,
    ],
    ["Ctrl-C after sending", new APIUserAbortError(true), 130, /^APIUserAbortError/, /may still run and may be billed/],
    [
      "Ctrl-C while saving",
      new InterruptedError("Interrupted while saving the video"),
      130,
      /^Interrupted while saving/,
      undefined,
    ],
    ["a bug", new TypeError("x is not a function"), 1, /^unexpected error: x is not a function$/, /--debug/],
  ])("%s", (_name, error, exitCode, line, hint) => {
    const report = reportFailure(error);
    expect(report.exitCode).toBe(exitCode);
    expect(report.line).toMatch(line);
    expect(report.line).not.toContain("\n");
    if (hint) expect(report.hint).toMatch(hint);
    else expect(report.hint).toBeUndefined();
  });

  test.each([
    ["a 401", apiError(401), /, and --auth-scheme bearer if your gateway expects "Bearer <key>"$/],
    ["a 404", apiError(404), /Check --base-url, --model and \(for a remix\) the video_id$/],
    ["a timeout", new APITimeoutError(90_000), /Raise --timeout for long renders\.$/],
  ])("%s: the message names CLI flags, never library options (line and --json)", (_name, error, advice) => {
    const library = /\b(timeoutMs|baseUrl|authScheme|apiKey)\b/;
    expect(error.message).toMatch(library);
    const { line } = reportFailure(error);
    expect(line).toMatch(advice);
    expect(line).not.toMatch(library);
    const json = errorJson(error) as { message: string };
    expect(json.message).toMatch(advice);
    expect(json.message).not.toMatch(library);
  });

  test("the key never appears as printed, even in an error that is not ours, nor in the --debug detail", () => {
    const leaky = new Error(`upstream said: bad key ${CANARY_KEY}`);
    const printed: string[] = [];
    const stderr = redactingOutput({ write: (text: string) => printed.push(text) }, CANARY_KEY, false);
    stderr.write(reportFailure(leaky).line);
    stderr.write(debugDetail(leaky));
    expect(printed.join("")).not.toContain(CANARY_KEY);
    expect(printed[0]).toContain("[redacted]");
    expect(printed[1]).toMatch(/\n\s+at /);
  });
});

describe("messages name CLI flags, not library options", () => {
  const insecure = new ConfigurationError(
    "baseUrl",
    "Refusing plain http to example.com: the API key would travel in clear text. " +
      "Use https (or allowInsecureHttp for a trusted test proxy).",
  );

  test("the plain-http refusal names --base-url and no allowInsecureHttp, in the line and in --json", () => {
    const report = reportFailure(insecure);
    expect(report).toMatchObject({ exitCode: 2, hint: "check --base-url (or ONEROUTER_BASE_URL)." });
    expect(report.line).toBe(
      "ConfigurationError: Refusing plain http to example.com: the API key would travel in clear text. " +
        "Use https (plain http goes only to a loopback address such as 127.0.0.1).",
    );
    const json = JSON.stringify(errorJson(insecure));
    expect(json).not.toContain("allowInsecureHttp");
    expect(errorJson(insecure)).toMatchObject({ name: "ConfigurationError", option: "--base-url" });
  });

  test.each([
    [new MockOptionError("port", "port must be a whole number from 0 to 65535, got 7e4"), "--port", /^--port must be/],
    [new MockOptionError("latencyMs", "latencyMs must be a number ≥ 0, got -1"), "--latency", /^--latency must be/],
  ])("the mock's %s is a usage error naming the flag", (error, flag, line) => {
    const report = reportFailure(error);
    expect(report.exitCode).toBe(2);
    expect(report.line).toMatch(line);
    expect(report.hint).toBeUndefined();
    const message = expect.stringMatching(line);
    expect(errorJson(error)).toMatchObject({ name: "MockOptionError", option: flag, message });
  });

  test("a UsageError's hint is in its --json form", () => {
    const json = errorJson(new UsageError("No API key.", "run sora-video mock"));
    expect(json).toEqual({ name: "UsageError", message: "No API key.", hint: "run sora-video mock" });
  });
});
