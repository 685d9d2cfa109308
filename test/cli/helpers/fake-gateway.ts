import type { IncomingMessage, ServerResponse } from "node:http";
import { startMockServer, type MockServer, type MockServerOptions } from "../../../src/node/mock";
import { startHttpServer, type TestServer } from "../../helpers/http-server";

/** A gateway on 127.0.0.1:0 whose generations return a signed-looking URL of its own video path. */
export interface FakeGateway extends TestServer {
  /** The URL every generation returns (with a query string, as signed URLs have). */
  videoUrl: string;
  /** Generation requests seen. */
  generations(): number;
  /** GET requests for the video, in order. */
  downloads(): IncomingMessage["headers"][];
}

/**
 * Starts a fake gateway for CLI tests that need to script the video host (a stalled, an HTML or a
 * resumed download), which the embedded mock does not do: POST answers 200 with `videoUrl` (and an
 * x-request-id); each GET goes to `video(request, res, n)` with n counting GETs from 0. Close it in
 * a finally or afterEach.
 */
export async function startFakeGateway(
  video: (request: IncomingMessage, res: ServerResponse, n: number) => void,
): Promise<FakeGateway> {
  let generations = 0;
  let gets = 0;
  const server = await startHttpServer((request, res) => {
    if (request.method === "POST") {
      generations += 1;
      request.resume().on("end", () => {
        const body = JSON.stringify({
          created: 1,
          data: [{ url: gateway.videoUrl, video_id: "v1", revised_prompt: "a cat" }],
        });
        res.writeHead(200, { "content-type": "application/json", "x-request-id": `req_fake_${generations}` }).end(body);
      });
      return;
    }
    gets += 1;
    video(request, res, gets - 1);
  });
  const gateway: FakeGateway = {
    ...server,
    videoUrl: `${server.url}/videos/v1.mp4?sig=s3cret-signature&exp=1`,
    generations: () => generations,
    downloads: () => server.requests.filter((request) => request.method === "GET").map((request) => request.headers),
  };
  return gateway;
}

/**
 * Registers an afterEach that closes every embedded mock and fake gateway started through the
 * returned functions, so a CLI test's servers stop even when it fails.
 */
export function useCliServers(): {
  mock(options?: MockServerOptions): Promise<MockServer>;
  gateway: typeof startFakeGateway;
} {
  const open: Array<{ close(): Promise<void> }> = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((server) => server.close()));
  });
  const track = <T extends { close(): Promise<void> }>(server: T): T => {
    open.push(server);
    return server;
  };
  return {
    mock: async (options) => track(await startMockServer(options)),
    gateway: async (video) => track(await startFakeGateway(video)),
  };
}
