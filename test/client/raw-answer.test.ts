import { inspect } from "node:util";
import { createSoraClient, type SoraError } from "../../src/node/index";
import { redactText, redactValue } from "../../src/redact";
import { CANARY_KEY, VALID_REQUEST, recordingFetch } from "../helpers/fetch";

/** Short, long and JSON-special keys: none may change the data, none may leave in an error. */
const KEYS = ["sk", "test", "url", "video", '"', "\\", "{", CANARY_KEY];

/** A spec-valid answer whose strings hold each key's text, standing alone and inside words. */
function answerText(key: string): string {
  const body = {
    created: 1_732_435_200,
    data: [
      {
        url: `https://cdn.example/video/${encodeURIComponent(key)}/test.mp4`,
        revised_prompt: `a test of the url "${key}" {video} ${key}`,
        video_id: `video_${key}`,
      },
    ],
  };
  // Spaced, so the bytes are not what JSON.stringify of the parsed value gives back.
  return JSON.stringify(body, null, 2);
}

function answer(text: string, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(text, { status, headers: { "content-type": "application/json", ...headers } });
}

/** Nothing left in a text that the package's rule would take out (for a long key: not there at all). */
function expectNoKey(text: string, key: string): void {
  expect(redactText(text, key)).toBe(text);
  if (key.length >= 8) expect(text).not.toContain(key);
}

/**
 * Every surface of an error: its text, and its JSON form's strings (a key such as `"` or `{` is
 * part of any JSON text's syntax, so a document is judged by its values); inspect for a long key.
 */
function expectErrorWithoutKey(error: SoraError & { requestId?: string }, key: string): void {
  for (const text of [error.message, String(error), error.requestId ?? ""]) expectNoKey(text, key);
  const document: unknown = JSON.parse(JSON.stringify(error));
  expect(redactValue(document, key)).toEqual(document);
  if (key.length >= 8) expect(inspect(error, { depth: 20, showHidden: true })).not.toContain(key);
}

describe("the caller's data is the answer as received, whatever the key", () => {
  test.each(KEYS)("key %j: generateVideo returns the server's data unchanged", async (key) => {
    const text = answerText(key);
    const { fetch } = recordingFetch(answer(text));
    const sora = createSoraClient({ apiKey: key, baseUrl: "http://127.0.0.1:9", fetch, validateResponses: "throw" });
    await expect(sora.generateVideo(VALID_REQUEST)).resolves.toEqual(JSON.parse(text));
  });

  test.each(KEYS)("key %j: sora.api's answer is byte for byte the server's", async (key) => {
    const text = answerText(key);
    const { fetch } = recordingFetch(answer(text));
    const sora = createSoraClient({ apiKey: key, baseUrl: "http://127.0.0.1:9", fetch });
    const { response } = await sora.api.POST("/v1/videos/generations", {
      body: { model: "sora-2-pro-image-to-video", ...VALID_REQUEST },
      parseAs: "stream",
    });
    expect(await new Response(response.body).text()).toBe(text);
  });

  test.each(KEYS)("key %j: an error that echoes the key carries it nowhere", async (key) => {
    const body = JSON.stringify({ error: { code: 401, message: `invalid key ${key} (got "${key}")`, type: key } });
    const headers = { "x-request-id": `${key}`, "www-authenticate": `Bearer ${key}` };
    const { fetch } = recordingFetch(answer(body, 401, headers));
    const sora = createSoraClient({ apiKey: key, baseUrl: "http://127.0.0.1:9", fetch });
    const error = (await sora.generateVideo(VALID_REQUEST).catch((caught: unknown) => caught)) as SoraError & {
      body: unknown;
      headers: Headers;
      requestId?: string;
    };
    expect(error.name).toBe("AuthenticationError");
    expectErrorWithoutKey(error, key);
    error.headers.forEach((value) => expectNoKey(value, key));
    expect(JSON.parse(JSON.stringify(error.body))).toEqual(error.body);
  });

  test.each(KEYS)("key %j: a 200 that is not JSON is reported without the key (cause included)", async (key) => {
    const { fetch } = recordingFetch(answer(`<${key}> is not json ${key}`));
    const sora = createSoraClient({ apiKey: key, baseUrl: "http://127.0.0.1:9", fetch });
    const error = (await sora.generateVideo(VALID_REQUEST).catch((caught: unknown) => caught)) as SoraError;
    expect(error.name).toBe("ResponseValidationError");
    expectErrorWithoutKey(error, key);
    expectNoKey(String((error.cause as Error | undefined)?.message ?? ""), key);
  });
});
