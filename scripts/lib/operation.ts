/** The path of the one operation this client calls. */
export const OPERATION_PATH = "/v1/videos/generations";

/** Its method, lower-case as in the spec. */
export const OPERATION_METHOD = "post";
