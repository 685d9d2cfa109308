import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { ConfigurationError } from "../../errors";
import { handleGeneration, type GenerationContext } from "./generations";
import { sendError } from "./respond";
import type { OperationPath } from "../../types";
import type { MockFault, MockServer, MockServerOptions, MockStats } from "./types";
import { serveVideo, videoSource, type VideoSource } from "./video";

const GENERATION_PATH: OperationPath = "/v1/videos/generations";
const VIDEO_PATH = /^\/videos\/([\w-]+)\.mp4$/;

function checkOptions(options: MockServerOptions): Required<Pick<MockServerOptions, "port" | "host" | "latencyMs">> {
  const { port = 0, host = "127.0.0.1", latencyMs = 0, apiKey } = options;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new ConfigurationError("port", `port must be a whole number from 0 to 65535, got ${String(port)}`);
  if (typeof latencyMs !== "number" || !Number.isFinite(latencyMs) || latencyMs < 0) throw new ConfigurationError("latencyMs", `latencyMs must be a number ≥ 0, got ${String(latencyMs)}`);
  if (apiKey !== undefined && (typeof apiKey !== "string" || apiKey === "")) throw new ConfigurationError("apiKey", "apiKey must be a non-empty string when given");
  return { port, host, latencyMs };
}

function urlHost(host: string): string {
  if (host === "0.0.0.0" || host === "") return "127.0.0.1";
  if (host === "::") return "[::1]";
  return host.includes(":") ? `[${host}]` : host;
}

function route(request: IncomingMessage, res: ServerResponse, context: GenerationContext, video: VideoSource, videos: Set<string>, baseUrl: string): Promise<void> | void {
  const path = new URL(request.url ?? "/", "http://mock.invalid").pathname;
  if (path === GENERATION_PATH) {
    if (request.method === "POST") return handleGeneration(request, res, context, baseUrl);
    res.setHeader("allow", "POST");
    return sendError(res, 405, "invalid_request_error", `Use POST ${GENERATION_PATH}`);
  }
  const id = VIDEO_PATH.exec(path)?.[1];
  if (id !== undefined && (request.method === "GET" || request.method === "HEAD")) {
    if (!videos.has(id)) return sendError(res, 404, "not_found_error", "No such video on this mock server");
    if (serveVideo(request, res, video)) context.stats.downloads += 1;
    return;
  }
  sendError(res, 404, "not_found_error", `No route for ${request.method ?? "?"} ${path}`);
}

/**
 * Starts an embedded mock of the video gateway on loopback, for demos, the CLI and downstream
 * services' own tests. It checks Authorization and validates bodies with the client's own
 * compiled validators, simulates render latency, can inject faults (429, 5xx, timeout, reset) via
 * `injectFault` or an `x-mock-fault` request header, serves a real MP4 (with Range support) at the
 * URL it answers with, and counts what it accepted. Every response carries `x-request-id`.
 *
 * @example
 * const mock = await startMockServer({ latencyMs: 1500 });
 * const sora = createSoraClient({ apiKey: "any", baseUrl: mock.url });
 * const video = await sora.generateVideo({ prompt: "A cat", image_url: "https://example.com/cat.png" });
 * await mock.close();
 */
export async function startMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  const { port, host, latencyMs } = checkOptions(options);
  const video = videoSource(options.videoBytes);
  const stats: MockStats = { requests: 0, accepted: 0, rejected: 0, acceptedBodies: [], downloads: 0 };
  const faults: MockFault[] = [];
  const videos = new Set<string>();
  const sockets = new Set<Socket>();
  const context: GenerationContext = {
    stats,
    latencyMs,
    apiKey: options.apiKey,
    nextFault: () => faults.shift(),
    newVideo: () => {
      const id = `video_${randomUUID().replaceAll("-", "")}`;
      videos.add(id);
      return id;
    },
  };
  let baseUrl = "";
  const server = createServer((request, res) => {
    res.setHeader("x-request-id", `req_mock_${randomUUID()}`);
    Promise.resolve(route(request, res, context, video, videos, baseUrl)).catch(() => request.socket.destroy());
  });
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const actualPort = (server.address() as AddressInfo).port;
  baseUrl = `http://${urlHost(host)}:${actualPort}`;
  return {
    url: baseUrl,
    port: actualPort,
    stats,
    injectFault: (fault) => {
      faults.push(fault);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}
