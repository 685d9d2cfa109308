/**
 * Per-call overhead: the same POST to a loopback server answering the spec's 200 body, made by a
 * bare fetch (the floor), plain openapi-fetch, the openai SDK's generic post, ky, and this client
 * (request validation on, response validation "warn"), each as a ratio to the bare built-in fetch;
 * then a text-to-video body, by our `textToVideo` and by plain openapi-fetch on the same transport.
 * "bare fetch + long-call Agent" is the floor of our Node default transport (an undici Agent with
 * transport timeouts lifted, for renders past 300 s). Fresh connection per call, and kept alive.
 * Our client is also compared with plain openapi-fetch on the same transport (it calls through
 * openapi-fetch, so the difference is our policy: validation, timeout, error mapping, redaction).
 * Conditions: "fresh" = the server closes every connection (Connection: close), so each call
 * opens one; "keep-alive" = the server keeps connections open and each client reuses its own.
 * Prints a table of medians and ratios; `--json` prints the figures as JSON instead.
 */
import createClient from "openapi-fetch";
import OpenAI from "openai";
import { Agent } from "undici";
import { createSoraClient } from "../src/node/index";
import type { paths } from "../generated/schema";
import { startApiServer, REQUEST_BODY, TEXT_TO_VIDEO_BODY } from "./lib/api-server";
import { fmt, interleaved, type Contender } from "./lib/stats";

const KEY = "sk-bench";
const PATH = "/v1/videos/generations";

async function contenders(url: string): Promise<Contender[]> {
  const { default: ky } = (await import("ky")) as typeof import("ky");
  const headers = { "content-type": "application/json", authorization: KEY };
  const agent = new Agent({ headersTimeout: 0, bodyTimeout: 0 });
  const api = createClient<paths>({ baseUrl: url, headers: { authorization: KEY } });
  const onAgent = ((input: Request) => fetch(input, { dispatcher: agent } as RequestInit)) as typeof fetch;
  const apiOnAgent = createClient<paths>({ baseUrl: url, headers: { authorization: KEY }, fetch: onAgent });
  const openai = new OpenAI({ apiKey: KEY, baseURL: url, maxRetries: 0 });
  const ours = createSoraClient({ apiKey: KEY, baseUrl: url, maxRetries: 0, logger: { warn: () => undefined } });
  const oursOnBuiltIn = createSoraClient({
    apiKey: KEY,
    baseUrl: url,
    maxRetries: 0,
    fetch: globalThis.fetch,
    logger: { warn: () => undefined },
  });
  return [
    {
      name: "bare fetch (built-in)",
      run: async () =>
        (await fetch(url + PATH, { method: "POST", headers, body: JSON.stringify(REQUEST_BODY) })).json(),
    },
    {
      name: "bare fetch + long-call Agent",
      run: async () =>
        (
          await fetch(url + PATH, {
            method: "POST",
            headers,
            body: JSON.stringify(REQUEST_BODY),
            dispatcher: agent,
          } as RequestInit)
        ).json(),
    },
    { name: "openapi-fetch", run: () => api.POST(PATH, { body: REQUEST_BODY }) },
    { name: "openapi-fetch + long-call Agent", run: () => apiOnAgent.POST(PATH, { body: REQUEST_BODY }) },
    { name: "openai (post)", run: () => openai.post(PATH, { body: REQUEST_BODY }) },
    {
      name: "ky",
      run: () => ky.post(url + PATH, { json: REQUEST_BODY, headers: { authorization: KEY }, retry: 0 }).json(),
    },
    { name: "sora-video-client (Node default)", run: () => ours.generateVideo(REQUEST_BODY) },
    { name: "sora-video-client (fetch: built-in)", run: () => oursOnBuiltIn.generateVideo(REQUEST_BODY) },
    {
      name: "openapi-fetch + long-call Agent, text-to-video",
      run: () => apiOnAgent.POST(PATH, { body: TEXT_TO_VIDEO_BODY }),
    },
    { name: "sora-video-client textToVideo (Node default)", run: () => ours.textToVideo(TEXT_TO_VIDEO_BODY) },
  ];
}

/** One figure per contender and connection mode. */
export interface PerCallFigure {
  mode: "fresh" | "keep-alive";
  name: string;
  medianUs: number;
  ratio: number;
  addedUs: number;
  /** Ours only: the ratio to plain openapi-fetch on the same transport. */
  vsOpenapiFetch?: number;
}

/** The plain openapi-fetch contender on the same transport as one of ours. */
const PEER_OF: Readonly<Record<string, string>> = {
  "sora-video-client (Node default)": "openapi-fetch + long-call Agent",
  "sora-video-client (fetch: built-in)": "openapi-fetch",
  "sora-video-client textToVideo (Node default)": "openapi-fetch + long-call Agent, text-to-video",
};

/** Runs the measurement for both connection modes. */
export async function measurePerCall(
  rounds = 15,
  perRound = 200,
  only?: RegExp,
  modes: ReadonlyArray<"fresh" | "keep-alive"> = ["fresh", "keep-alive"],
): Promise<PerCallFigure[]> {
  const figures: PerCallFigure[] = [];
  for (const mode of modes) {
    const server = await startApiServer(mode === "fresh");
    try {
      const chosen = (await contenders(server.url)).filter(
        (contender) => !only || only.test(contender.name) || contender.name.startsWith("bare"),
      );
      const medians = await interleaved(chosen, rounds, perRound);
      const floor = medians.get("bare fetch (built-in)")!;
      for (const [name, medianUs] of medians) {
        const peer = PEER_OF[name] === undefined ? undefined : medians.get(PEER_OF[name]!);
        const vsOpenapiFetch = peer === undefined ? undefined : medianUs / peer;
        figures.push({ mode, name, medianUs, ratio: medianUs / floor, addedUs: medianUs - floor, vsOpenapiFetch });
      }
    } finally {
      await server.close();
    }
  }
  return figures;
}

if (require.main === module) {
  const only = process.env.ONLY ? new RegExp(process.env.ONLY) : undefined;
  const modes = process.env.MODES ? (process.env.MODES.split(",") as Array<"fresh" | "keep-alive">) : undefined;
  void measurePerCall(Number(process.env.ROUNDS ?? 15), Number(process.env.PER_ROUND ?? 200), only, modes).then(
    (figures) => {
      if (process.argv.includes("--json")) return console.log(JSON.stringify(figures, null, 2));
      console.log(
        "mode        contender                            median µs/call     × bare fetch   +µs   × openapi-fetch",
      );
      for (const figure of figures) {
        const peer = figure.vsOpenapiFetch === undefined ? "" : fmt(figure.vsOpenapiFetch, 2).padStart(16);
        console.log(
          `${figure.mode.padEnd(11)} ${figure.name.padEnd(36)} ${fmt(figure.medianUs, 0).padStart(14)}   ${fmt(figure.ratio, 2).padStart(16)}   ${fmt(figure.addedUs, 0).padStart(5)}${peer}`,
        );
      }
    },
  );
}
