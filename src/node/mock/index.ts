/**
 * `sora-video-client/mock` (Node only): an embedded mock of the video gateway for demos, the CLI
 * and downstream services' own tests. See `startMockServer`.
 */
export { startMockServer } from "./server";
export { MockOptionError } from "./mock-option-error";
export { inspectMp4File, type Mp4Box } from "./mp4-boxes";
export type { MockServer, MockServerOptions, MockStats, MockFault, MockFaultStatus } from "./types";
