import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { startHttpServer, type ReceivedRequest } from "./http-server";

/** What a test server saw of one request, body included. */
export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

/** A loopback server (see startHttpServer) that also records each request's body. */
export interface BodyRecordingServer {
  url: string;
  /** Requests whose body has arrived, in order. */
  requests: SeenRequest[];
  /** Requests whose headers have arrived (a body still on its way, or never sent, counts here). */
  arrived: ReceivedRequest[];
  close(): Promise<void>;
}

/** Handles one request once its body has arrived; `index` counts from 0 across the server's life. */
export type Handler = (request: SeenRequest, response: ServerResponse, index: number) => void | Promise<void>;

/**
 * Starts a loopback server for fault tests on the one test-server helper (startHttpServer, on
 * 127.0.0.1 port 0), handing each request over with its body. Register `close` in afterEach straight
 * away: it ends every open connection, so a hanging handler never keeps jest alive.
 */
export async function startServer(handler: Handler): Promise<BodyRecordingServer> {
  const requests: SeenRequest[] = [];
  const server = await startHttpServer((incoming, response) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.on("end", () => {
      const seen = {
        method: incoming.method ?? "",
        url: incoming.url ?? "",
        headers: incoming.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      requests.push(seen);
      void handler(seen, response, requests.length - 1);
    });
  });
  return { url: server.url, requests, arrived: server.requests, close: server.close };
}

/** Sends a JSON body with a status and extra headers. */
export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    ...headers,
  });
  response.end(text);
}

/** A port on 127.0.0.1 with nothing listening (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * Registers an afterEach that closes every server started through the returned `serve`, so each
 * test file gets fresh loopback servers that are stopped even when a test fails.
 */
export function useServers(): (handler: Handler) => Promise<BodyRecordingServer> {
  const servers: BodyRecordingServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });
  return async (handler) => {
    const server = await startServer(handler);
    servers.push(server);
    return server;
  };
}
