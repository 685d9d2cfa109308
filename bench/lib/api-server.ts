import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** The spec's 200 body, as a realistic gateway would send it. */
export const RESPONSE_BODY = JSON.stringify({
  created: 1_732_435_200,
  data: [
    {
      url: "https://cdn.example/videos/vid_123.mp4",
      revised_prompt: "The cat turns and walks away",
      video_id: "vid_123",
    },
  ],
});

/** A valid request body. */
export const REQUEST_BODY = {
  model: "sora-2-pro-image-to-video",
  prompt: "The cat turns and walks away",
  image_url: "https://img.example/cat.png",
  duration: "8",
  resolution: "1080p",
  aspect_ratio: "16:9",
} as const;

/** A valid text-to-video request body (no `image_url`). */
export const TEXT_TO_VIDEO_BODY = {
  model: "sora-2-pro-text-to-video",
  prompt: "A cat walks along a wall at dusk",
  duration: "8",
  resolution: "1080p",
  aspect_ratio: "16:9",
} as const;

/**
 * A loopback server answering every request with `body` (default: the spec's 200 body). With
 * `fresh`, each response says `Connection: close`, so every call pays for a new connection.
 */
export async function startApiServer(
  fresh: boolean,
  body: string = RESPONSE_BODY,
): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    request.resume();
    request.on("end", () => {
      response.writeHead(200, {
        "content-type": "application/json",
        "content-length": Buffer.byteLength(body),
        ...(fresh ? { connection: "close" } : {}),
      });
      response.end(body);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
