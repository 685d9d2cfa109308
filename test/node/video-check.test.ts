import { isTextualContentType, looksLikeVideo, quoteStart } from "../../src/node/download/video-check";

describe("isTextualContentType", () => {
  test.each<[string | null, boolean]>([
    ["text/html", true],
    ["text/html; charset=utf-8", true],
    ["TEXT/PLAIN", true],
    ["application/json", true],
    ["application/problem+json", true],
    ["application/xml", true],
    ["application/xhtml+xml", true],
    ["application/javascript", true],
    ["video/mp4", false],
    ["video/webm", false],
    ["application/octet-stream", false],
    ["binary/octet-stream", false],
    ["", false],
    [null, false],
  ])("%j → %j", (type, textual) => {
    expect(isTextualContentType(type)).toBe(textual);
  });
});

describe("looksLikeVideo", () => {
  const hex = (text: string) => Buffer.from(text, "hex");
  test.each<[string, Buffer, boolean]>([
    ["an MP4 ftyp box", hex("00000018667479706d703432"), true],
    ["a QuickTime ftyp box", hex("0000001466747970717420200000"), true],
    ["a WebM EBML header", hex("1a45dfa3a34282"), true],
    ["HTML", Buffer.from("<!DOCTYPE html>"), false],
    ["JSON", Buffer.from('{"error": {}}'), false],
    ["ftyp at the wrong place", Buffer.from("ftypmp42isom"), false],
    ["an ftyp box too short to be one", hex("00000004667479706d703432"), false],
    ["a moov box first (no ftyp)", hex("000000086d6f6f76"), false],
    ["too few bytes", hex("000000"), false],
    ["nothing", Buffer.alloc(0), false],
  ])("%s → %j", (_name, head, video) => {
    expect(looksLikeVideo(head)).toBe(video);
  });
});

describe("quoteStart", () => {
  const url = new URL("https://cdn.example/v.mp4?sig=abcdef123456&exp=99");
  test.each<[string, string, string]>([
    ["collapses white space", "a\n\n  b\tc", '"a b c"'],
    ["marks control characters", "a\u0000b\u0007c", '"a·b·c"'],
    [
      "removes the query string and its values",
      "see v.mp4?sig=abcdef123456&exp=99 or abcdef123456",
      '"see v.mp4?[redacted] or [redacted]"',
    ],
    ["caps at 200 characters", "x".repeat(300), JSON.stringify(`${"x".repeat(200)}…`)],
  ])("%s", (_name, text, quoted) => {
    expect(quoteStart(Buffer.from(text), url)).toBe(quoted);
  });
});
