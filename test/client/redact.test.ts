import { REDACTED, redactName, redactText, redactValue } from "../../src/redact";

const LONG = "sk-canary-4f1d7c0e9b2a";

describe("redactText: the one rule for text that leaves the package", () => {
  test.each([
    ["a long key anywhere, inside a word too", { text: `req-${LONG}x`, key: LONG, want: `req-${REDACTED}x` }],
    [
      "a short key standing alone in quotes",
      { text: 'invalid key "test"', key: "test", want: `invalid key "${REDACTED}"` },
    ],
    ["a short key after Bearer", { text: "Bearer test", key: "test", want: `Bearer ${REDACTED}` }],
    [
      "a short key after a colon and before a full stop",
      { text: "key: test.", key: "test", want: `key: ${REDACTED}.` },
    ],
    ["a short key as the whole text", { text: "sk", key: "sk", want: REDACTED }],
    ["a short key inside a path is left", { text: "/tmp/smalldisk/o", key: "sk", want: "/tmp/smalldisk/o" }],
    [
      "a short key as a path segment is left",
      { text: "https://cdn/video/x.mp4", key: "video", want: "https://cdn/video/x.mp4" },
    ],
    ["a short key inside an id is left", { text: "req-test", key: "test", want: "req-test" }],
    ["a short key in a field name is left", { text: "video_id", key: "video", want: "video_id" }],
    ["a JSON-special key standing alone", { text: 'a " b', key: '"', want: `a ${REDACTED} b` }],
    ["a regex-special key", { text: "x .* y", key: ".*", want: `x ${REDACTED} y` }],
    ["no key at all", { text: "anything", key: "", want: "anything" }],
  ])("%s", (_name, { text, key, want }) => expect(redactText(text, key)).toBe(want));
});

describe("redactValue / redactName: documents stay valid JSON with their field names", () => {
  test.each(["sk", "url", '"', "\\", "{", LONG])("key %j", (key) => {
    const document = { url: `a ${key} b`, nested: [{ [key]: key }], count: 3, none: null };
    const text = JSON.stringify(redactValue(document, key));
    const parsed = JSON.parse(text) as typeof document;
    expect(parsed.url).toBe(`a ${REDACTED} b`);
    expect(parsed.count).toBe(3);
    expect(Object.keys(parsed.nested[0]!)).toEqual([key.length >= 8 ? REDACTED : key]);
    expect(redactValue(parsed, key)).toEqual(parsed);
  });

  test("redactName: only a long key is taken out of a property name", () => {
    expect(redactName("url", "url")).toBe("url");
    expect(redactName(`x-${LONG}`, LONG)).toBe(`x-${REDACTED}`);
  });
});
