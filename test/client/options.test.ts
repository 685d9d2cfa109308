import { createSoraClient, ConfigurationError, DEFAULT_BASE_URL, DEFAULT_MODEL } from "../../src/index";
import { CANARY_KEY, VALID_REQUEST, VALID_RESPONSE, jsonResponse, recordingFetch } from "../helpers/fetch";
import spec from "../../spec/openapi/sora-2-pro-image-to-video.json";

const saved = process.env.ONEROUTER_API_KEY;
afterEach(() => {
  if (saved === undefined) delete process.env.ONEROUTER_API_KEY;
  else process.env.ONEROUTER_API_KEY = saved;
});

describe("createSoraClient options", () => {
  test("with no apiKey and no ONEROUTER_API_KEY: a ConfigurationError naming both, before any traffic", () => {
    delete process.env.ONEROUTER_API_KEY;
    const { fetch, requests } = recordingFetch(jsonResponse(VALID_RESPONSE));
    const make = () => createSoraClient({ fetch });
    expect(make).toThrow(ConfigurationError);
    expect(make).toThrow(/apiKey option.*ONEROUTER_API_KEY/);
    expect(requests).toHaveLength(0);
  });

  test("the key comes from ONEROUTER_API_KEY when apiKey is omitted, and is sent raw by default", async () => {
    process.env.ONEROUTER_API_KEY = "sk-from-env";
    const { fetch, requests } = recordingFetch(jsonResponse(VALID_RESPONSE));
    await createSoraClient({ fetch }).generateVideo(VALID_REQUEST);
    expect(requests[0]!.headers.authorization).toBe("sk-from-env");
  });

  test("apiKey wins over the environment; authScheme bearer sends `Bearer <key>`", async () => {
    process.env.ONEROUTER_API_KEY = "sk-from-env";
    const { fetch, requests } = recordingFetch(jsonResponse(VALID_RESPONSE));
    await createSoraClient({ apiKey: CANARY_KEY, fetch }).generateVideo(VALID_REQUEST);
    await createSoraClient({ apiKey: CANARY_KEY, fetch, authScheme: "bearer" }).generateVideo(VALID_REQUEST);
    expect(requests.map((request) => request.headers.authorization)).toEqual([CANARY_KEY, `Bearer ${CANARY_KEY}`]);
  });

  test("the default base URL is the spec's servers[0], and the request is a JSON POST to the spec's path", async () => {
    expect(DEFAULT_BASE_URL).toBe(spec.servers[0]!.url);
    const { fetch, requests } = recordingFetch(jsonResponse(VALID_RESPONSE));
    await createSoraClient({ apiKey: CANARY_KEY, fetch }).generateVideo(VALID_REQUEST);
    expect(requests[0]).toMatchObject({
      url: `${spec.servers[0]!.url}/v1/videos/generations`,
      method: "POST",
      headers: { "content-type": "application/json" },
    });
  });

  test("model defaults to the vendor's example value and can be overridden", async () => {
    expect(DEFAULT_MODEL).toBe("sora-2-pro-image-to-video");
    const { fetch, requests } = recordingFetch(jsonResponse(VALID_RESPONSE));
    const sora = createSoraClient({ apiKey: CANARY_KEY, fetch });
    await sora.generateVideo(VALID_REQUEST);
    await sora.generateVideo({ ...VALID_REQUEST, model: "openai/sora-2-pro-image-to-video" });
    expect(requests.map((request) => (request.body as { model: string }).model)).toEqual([
      "sora-2-pro-image-to-video",
      "openai/sora-2-pro-image-to-video",
    ]);
  });

  test.each([
    ["a non-URL baseUrl", { baseUrl: "not a url" }, "baseUrl", /not a valid URL/],
    ["an ftp baseUrl", { baseUrl: "ftp://example.com" }, "baseUrl", /must be http\(s\)/],
    [
      "plain http to a remote host",
      { baseUrl: "http://video.example.com" },
      "baseUrl",
      /Refusing plain http to video\.example\.com/,
    ],
    ["a zero timeout", { timeoutMs: 0 }, "timeoutMs", /positive number/],
    ["negative retries", { maxRetries: -1 }, "maxRetries", /whole number/],
    ["an unknown validateResponses", { validateResponses: "loud" }, "validateResponses", /"off", "warn" or "throw"/],
    ["an unknown authScheme", { authScheme: "basic" }, "authScheme", /"raw" or "bearer"/],
  ])("%s is a ConfigurationError naming the option", (_name, options, option, message) => {
    const error = (() => {
      try {
        createSoraClient({ apiKey: CANARY_KEY, ...(options as object) });
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).option).toBe(option);
    expect((error as Error).message).toMatch(message);
  });

  test("plain http is accepted for loopback hosts, and for others only with allowInsecureHttp", () => {
    for (const baseUrl of ["http://127.0.0.1:4010", "http://localhost:8080", "http://[::1]:9"]) {
      expect(() => createSoraClient({ apiKey: CANARY_KEY, baseUrl })).not.toThrow();
    }
    expect(() =>
      createSoraClient({ apiKey: CANARY_KEY, baseUrl: "http://proxy.internal", allowInsecureHttp: true }),
    ).not.toThrow();
  });

  test("api is the openapi-fetch client with the base URL and the key installed", async () => {
    const requests: Request[] = [];
    const fetch = (async (input: Request) => {
      requests.push(input);
      return jsonResponse(VALID_RESPONSE);
    }) as unknown as typeof globalThis.fetch;
    const sora = createSoraClient({ apiKey: CANARY_KEY, fetch, baseUrl: "http://127.0.0.1:9" });
    const { data } = await sora.api.POST("/v1/videos/generations", {
      body: { model: DEFAULT_MODEL, ...VALID_REQUEST },
    });
    expect(data).toEqual(VALID_RESPONSE);
    expect(requests[0]!.url).toBe("http://127.0.0.1:9/v1/videos/generations");
    expect(requests[0]!.headers.get("authorization")).toBe(CANARY_KEY);
  });
});
