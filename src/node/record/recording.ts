/** The format tag every recording file carries (a later format gets a new tag). */
export const RECORDING_FORMAT = "sora-video-recording/1";

/**
 * One real response, as saved by `recordResponses` / `--record` (one JSON file each) and read by
 * `sora-video verify --replay`: the key and URLs' query strings removed, secret headers dropped.
 */
export interface Recording {
  format: typeof RECORDING_FORMAT;
  /** When the response arrived (ISO 8601). */
  recordedAt: string;
  /** The operation it answered, e.g. `{ method: "POST", path: "/v1/videos/generations" }`. */
  operation: { method: string; path: string };
  /** The request body sent (JSON), scrubbed the same way. */
  request: { body: unknown };
  response: {
    status: number;
    headers: Record<string, string>;
    /** The body parsed as JSON; absent when it was not JSON (see `text`). */
    body?: unknown;
    /** The body as text, when it was not JSON. */
    text?: string;
  };
}
