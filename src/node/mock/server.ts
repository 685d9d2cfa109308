import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { methodsOn } from "../../operations";
import { MockOptionError } from "./mock-option-error";
import { authorised, handleOperation, type OperationContext } from "./operations";
import { TASK_PATH, mockTasks } from "./tasks";
import { sendError } from "./respond";
import type { MockFault, MockServer, MockServerOptions, MockStats } from "./types";
import { serveVideo, videoSource, type VideoSource } from "./video";

const VIDEO_PATH = /^\/videos\/([\w-]+)\.mp4$/;

function checkOptions(
  options: MockServerOptions,
): Required<Pick<MockServerOptions, "port" | "host" | "latencyMs" | "mode">> {
  const { port = 0, host = "127.0.0.1", latencyMs = 0, apiKey, mode = "sync" } = options;
  if (mode !== "sync" && mode !== "async") {
    throw new MockOptionError("mode", `mode must be "sync" or "async", got ${JSON.stringify(mode)}`);
  }
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new MockOptionError("port", `port must be a whole number from 0 to 65535, got ${String(port)}`);
  }
  if (typeof latencyMs !== "number" || !Number.isFinite(latencyMs) || latencyMs < 0) {
    throw new MockOptionError("latencyMs", `latencyMs must be a number ≥ 0, got ${String(latencyMs)}`);
  }
  if (apiKey !== undefined && (typeof apiKey !== "string" || apiKey === "")) {
    throw new MockOptionError("apiKey", "apiKey must be a non-empty string when given");
  }
  return { port, host, latencyMs, mode };
}

function checkedVideoSource(videoBytes: number | undefined): VideoSource {
  try {
    return videoSource(videoBytes);
  } catch (error) {
    throw new MockOptionError("videoBytes", (error as Error).message);
  }
}

function urlHost(host: string): string {
  if (host === "0.0.0.0" || host === "") return "127.0.0.1";
  if (host === "::") return "[::1]";
  return host.includes(":") ? `[${host}]` : host;
}

function route(
  request: IncomingMessage,
  res: ServerResponse,
  context: OperationContext,
  video: VideoSource,
  baseUrl: string,
): Promise<void> | void {
  const path = new URL(request.url ?? "/", "http://mock.invalid").pathname;
  if (context.tasks && TASK_PATH.test(path)) {
    if (!authorised(request.headers.authorization, context.apiKey)) {
      return sendError(res, 401, { type: "authentication_error", message: "Invalid or missing API key" });
    }
    context.tasks.poll(path, request, res, (id) => `${baseUrl}/videos/${id}.mp4`);
    return;
  }
  const methods = methodsOn(path);
  if (methods.length > 0) {
    const method = request.method ?? "";
    if (methods.includes(method)) return handleOperation(method, path, request, res, context, baseUrl);
    res.setHeader("allow", methods.join(", "));
    return sendError(res, 405, { type: "invalid_request_error", message: `Use ${methods.join(" or ")} ${path}` });
  }
  const id = VIDEO_PATH.exec(path)?.[1];
  if (id !== undefined && (request.method === "GET" || request.method === "HEAD")) {
    if (!context.knowsVideo(id)) {
      return sendError(res, 404, { type: "not_found_error", message: "No such video on this mock server" });
    }
    if (serveVideo(request, res, video)) context.stats.downloads += 1;
    return;
  }
  sendError(res, 404, { type: "not_found_error", message: `No route for ${request.method ?? "?"} ${path}` });
}

/**
 * Starts an embedded mock of the video gateway on loopback, for demos, the CLI and downstream
 * services' own tests. It serves every documented operation: generations, and remixes of videos it
 * made (`POST /v1/videos/edits`; an unknown `video_id` is a 404). It checks Authorization and
 * validates bodies with the client's own compiled validators, simulates render latency, can inject
 * faults (402, moderation 403, 408, policy 422, 429, 5xx, a 200 carrying an error, timeout, reset;
 * see `MockFault`) via `injectFault` or an `x-mock-fault` request header, serves a real MP4 (with
 * Range support) at the URL it answers with, and counts what it accepted. Every error is the
 * gateway's envelope `{"error": {"code", "message", "type", "param"}}` with the HTTP status equal
 * to `code`; every response carries `x-request-id`. A bad option throws MockOptionError.
 *
 * @example
 * const mock = await startMockServer({ latencyMs: 1500 });
 * const sora = createSoraClient({ apiKey: "any", baseUrl: mock.url });
 * const video = await sora.generateVideo({ prompt: "A cat", image_url: "https://example.com/cat.png" });
 * const night = await sora.remixVideo({ video_id: video.data[0]!.video_id!, prompt: "Make it night" });
 * await mock.close();
 */
export async function startMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  const { port, host, latencyMs, mode } = checkOptions(options);
  const video = checkedVideoSource(options.videoBytes);
  const stats: MockStats = { requests: 0, accepted: 0, rejected: 0, acceptedBodies: [], downloads: 0, taskPolls: 0 };
  const faults: MockFault[] = [];
  const videos = new Set<string>();
  const sockets = new Set<Socket>();
  const context: OperationContext = {
    stats,
    latencyMs,
    apiKey: options.apiKey,
    nextFault: () => faults.shift(),
    newVideo: () => {
      const id = `video_${randomUUID().replaceAll("-", "")}`;
      videos.add(id);
      return id;
    },
    knowsVideo: (id) => videos.has(id),
  };
  if (mode === "async") context.tasks = mockTasks(latencyMs, context.newVideo, () => (stats.taskPolls += 1));
  let baseUrl = "";
  const server = createServer((request, res) => {
    res.setHeader("x-request-id", `req_mock_${randomUUID()}`);
    Promise.resolve(route(request, res, context, video, baseUrl)).catch(() => request.socket.destroy());
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
