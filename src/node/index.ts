/**
 * The Node entry of sora-video-client (the `node` export condition): everything the portable entry
 * has, with a client whose default transport honours timeoutMs past Node's 300 s fetch limit, and
 * `downloadVideo`, which saves a generated video to disk atomically.
 */
import { createSoraClient as createPortableClient, type SoraClient } from "../client";
import type { SoraClientOptions } from "../types";
import type { DownloadOptions, DownloadResult } from "./download/types";
import type { Middleware } from "openapi-fetch";
import { longCallFetch } from "./transport";

export * from "../index";

/** The Node client: a SoraClient that can also save a video to disk (`downloadVideo`). */
export type NodeSoraClient = SoraClient & {
  /** Saves a generated video to a file, atomically; never sends the API key (see `downloadVideo`). */
  downloadVideo: typeof downloadVideo;
};

/** The Node client's options: the portable ones, and what only Node can do (write files). */
export interface NodeSoraClientOptions extends SoraClientOptions {
  /**
   * Saves every response the client receives (each attempt's) as one JSON file in this directory:
   * status, headers without secrets, body, with the key and signed URLs' query strings removed.
   * `sora-video verify --replay <dir>` checks them against the specs later, at no cost.
   * A recording that cannot be written is logged as a warning; the call itself is unaffected.
   * @default undefined (nothing recorded)
   */
  recordResponses?: string;
}

/** The recording middleware, its file-system code loaded on the first request (import stays fast). */
function lazyRecorder(dir: string, warn: (message: string) => void): Middleware {
  let loaded: Promise<Middleware> | undefined;
  const recorder = () => (loaded ??= import("./record/recorder").then((module) => module.responseRecorder(dir, warn)));
  return {
    onRequest: async (params) => (await recorder()).onRequest?.(params),
    onResponse: async (params) => (await recorder()).onResponse?.(params),
  };
}

/**
 * Makes a client (see the portable `createSoraClient`). In Node the default `fetch` is the
 * built-in fetch with an undici Agent whose transport timeouts are lifted (`longCallFetch`), so
 * renders longer than 300 s complete and `timeoutMs` alone decides when an attempt gives up. The client also has `downloadVideo`, which sends no key
 * and does not use the client's `fetch` or headers (they are for the API, not the video host).
 */
export function createSoraClient(options: NodeSoraClientOptions = {}): NodeSoraClient {
  const { recordResponses, ...portable } = options;
  const client = createPortableClient({ ...portable, fetch: portable.fetch ?? longCallFetch });
  if (recordResponses !== undefined) {
    const warn = portable.logger?.warn ?? ((message: string) => console.warn(message));
    client.api.use(lazyRecorder(recordResponses, warn));
  }
  return Object.assign(client, { downloadVideo });
}

/**
 * Downloads a generated video to `dest`, atomically: it streams (constant memory) into a temporary
 * file beside `dest`, renamed into place only when complete and its length checks out; a failed,
 * cut or aborted download leaves an existing `dest` as it was. Redirects are followed; a cut
 * connection is resumed with a Range request when the server allows it. No API key is ever sent.
 * Throws DownloadError (with `status`, and `url` without its query string). The file-system code
 * is loaded on first call, so importing the package stays fast.
 *
 * @example
 * const { path, bytes } = await downloadVideo(video.data[0]!.url!, "out/cat.mp4", {
 *   onProgress: ({ bytes, totalBytes }) => console.log(bytes, "/", totalBytes),
 * });
 */
export function downloadVideo(url: string, dest: string, options?: DownloadOptions): Promise<DownloadResult> {
  return import("./download").then((download) => download.downloadVideo(url, dest, options));
}

export type { DownloadOptions, DownloadProgress, DownloadResult } from "./download/types";
export type { Recording } from "./record/recording";
export { longCallFetch };
