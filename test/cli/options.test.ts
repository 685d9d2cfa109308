import { InvalidArgumentError } from "commander";
import { parseVideoDuration } from "../../src/cli/generate";
import { clientConfig, integerIn, parseDuration, parseTimeout, useLiveDisplay } from "../../src/cli/options";
import { UsageError } from "../../src/cli/exit";
import { DEFAULT_BASE_URL } from "../../src";

describe("parseDuration", () => {
  test.each([
    ["10m", 600_000],
    ["90s", 90_000],
    ["1.5s", 1_500],
    ["250ms", 250],
    ["600000", 600_000],
    ["1h", 3_600_000],
  ])("%s → %d ms", (text, ms) => expect(parseDuration(text)).toBe(ms));

  test.each(["", "ten minutes", "-5s", "5d", "1e3"])("%j is rejected", (text) =>
    expect(() => parseDuration(text)).toThrow(InvalidArgumentError),
  );
  test("a timeout must be above zero; a latency may be zero", () => {
    expect(() => parseTimeout("0")).toThrow(InvalidArgumentError);
    expect(parseTimeout("1s")).toBe(1000);
    expect(parseDuration("0")).toBe(0);
  });
});

test.each([
  ["4", 4],
  ["64", 64],
])("integerIn(1, 64)(%s) = %d", (text, want) => expect(integerIn(1, 64)(text)).toBe(want));
test.each(["0", "65", "2.5", "x", ""])("integerIn(1, 64) rejects %j", (text) =>
  expect(() => integerIn(1, 64)(text)).toThrow(InvalidArgumentError),
);

describe("clientConfig", () => {
  const flags = { authScheme: "raw" as const, timeout: 1000, progress: "auto" as const };

  test("a missing or blank key is a UsageError naming ONEROUTER_API_KEY", () => {
    for (const env of [{}, { ONEROUTER_API_KEY: "  " }]) {
      expect(() => clientConfig(flags, env)).toThrow(UsageError);
      expect(() => clientConfig(flags, env)).toThrow(/ONEROUTER_API_KEY/);
    }
  });

  test("the key from the environment, the base URL from the flag or the spec's server", () => {
    expect(clientConfig(flags, { ONEROUTER_API_KEY: "sk-1" })).toEqual({
      apiKey: "sk-1",
      baseUrl: DEFAULT_BASE_URL,
      authScheme: "raw",
      timeoutMs: 1000,
    });
    expect(clientConfig({ ...flags, baseUrl: "http://127.0.0.1:9" }, { ONEROUTER_API_KEY: "sk-1" }).baseUrl).toBe(
      "http://127.0.0.1:9",
    );
  });
});

test.each([
  ["auto", false, {}, false],
  ["auto", true, {}, true],
  ["auto", false, { FORCE_TTY: "1" }, true],
  ["tty", false, {}, true],
  ["plain", true, { FORCE_TTY: "1" }, false],
] as const)("useLiveDisplay(%s, isTTY=%s, %j) = %s", (mode, isTTY, env, want) =>
  expect(useLiveDisplay(mode, isTTY, env)).toBe(want),
);

describe("generate --duration: the spec's seconds, with or without the unit", () => {
  test.each([
    ["8", "8"],
    ["8s", "8"],
    ["12s", "12"],
    ["4", "4"],
  ])("%s → %s", (given, want) => expect(parseVideoDuration(given)).toBe(want));

  test.each(["8.5s", "5s", "8m", "", "eight"])("%j is refused with the allowed choices listed", (given) => {
    expect(() => parseVideoDuration(given)).toThrow("Allowed choices are 4, 8, 12 (seconds; 8 and 8s both work).");
  });
});
